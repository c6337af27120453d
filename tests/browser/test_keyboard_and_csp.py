"""Keyboard alone, a visible focus, and pages that run under their CSP without a violation."""

from __future__ import annotations

import re

import pytest

from courses.catalog.selectors import course_outline
from courses.progress.services import enrollment_create

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_outline(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, text: (el.innerText || el.value || "").trim(),
                    width: parseFloat(style.outlineWidth), style: style.outlineStyle};
        }"""
    )


def test_a_lesson_is_read_and_completed_with_the_keyboard_alone(
    axe_page, learner, password, course
):
    enrollment_create(user=learner, course=course)
    first = course_outline(course=course).lessons[0]
    page = axe_page
    log_in(page, learner.email, password)
    page.goto(f"/courses/{course.slug}/lessons/{first.id}/")

    # The first Tab reaches the skip link, visible, and Enter moves past the navigation.
    page.keyboard.press("Tab")
    focus = focused_outline(page)
    assert focus["text"] == "Aller au contenu"
    assert focus["style"] != "none"
    assert focus["width"] >= 2
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Tab on to "Marquer comme terminée"; every stop on the way shows its focus.
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = focused_outline(page)
        assert focus["style"] != "none", focus
        assert focus["width"] >= 2, focus
        if focus["text"] == "Marquer comme terminée":
            break
    else:
        pytest.fail("the completion button cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/lessons/\d+/$"))
    assert int(page.locator("progress").first.get_attribute("value")) == 16  # 1 of 6


def test_pages_run_under_their_policy_without_violations(
    browser, live_server, learner, password, course
):
    """No inline script or style anywhere: Chromium reports no CSP violation."""
    enrollment_create(user=learner, course=course)
    context = browser.new_context(base_url=live_server.url)  # CSP enforced
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    try:
        for path in [
            "/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            f"/courses/{course.slug}/",
        ]:
            page.goto(path)
        log_in(page, learner.email, password)
        lesson = course_outline(course=course).lessons[0]
        for path in [
            "/dashboard/",
            "/profile/",
            f"/courses/{course.slug}/",
            f"/courses/{course.slug}/lessons/{lesson.id}/",
            "/accounts/email/",
            "/accounts/password/change/",
            "/en/",
        ]:
            response = page.goto(path)
            assert response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"]
    finally:
        context.close()
    assert violations == []


def test_phone_width_has_no_horizontal_scroll(browser, live_server, learner, password, course):
    """At 390 px, the lesson reader fits the screen and the outline starts folded."""
    enrollment_create(user=learner, course=course)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, learner.email, password)
        lesson = course_outline(course=course).lessons[0]
        for path in [
            "/",
            f"/courses/{course.slug}/",
            f"/courses/{course.slug}/lessons/{lesson.id}/",
        ]:
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        assert page.locator("details.outline").get_attribute("open") is None
    finally:
        context.close()
