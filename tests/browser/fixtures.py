"""Chromium (Debian's, at /usr/bin/chromium) driven by Playwright, and axe-core checks: a pytest
plugin (``pytest_plugins`` in tests/conftest.py), one Chromium for the whole session.

Browser test modules carry ``pytestmark = pytest.mark.browser`` and run once, in the PostgreSQL
pass. They never skip: a missing Chromium is an error that says how to install it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium calls home at start-up and the closed network refuses it, many times.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(make test does)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs in this thread, Django keeps the ORM's connections in
        # that context (asgiref's Local): close them here, or the test database could not be
        # dropped at the end of the session ("accessed by other users").
        from django.db import connections

        connections.close_all()


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context bypasses CSP only so that axe-core can be injected."""
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def check_accessibility(page) -> None:
    """axe-core on the current page: no serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag",
                      values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
        })"""
    )
    bad = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert bad == [], f"axe-core on {page.url}:\n" + "\n".join(bad)


@pytest.fixture
def screenshots() -> Callable[[object, str], None]:
    """``screenshots(page, name)``: with SCREENSHOTS_DIR set, the page as it is now, whole, at
    390 px (a phone) and 1280 px wide, as ``<name>-390.png`` and ``<name>-1280.png`` there,
    for a person to look at. Without it, nothing: it is no check."""
    folder = os.environ.get("SCREENSHOTS_DIR", "")

    def take(page, name: str) -> None:
        if not folder:
            return
        size = page.viewport_size
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size(size)

    return take


def answer_quiz(page, attempt, *, right: bool = True) -> None:
    """Click an option of every question of ``attempt`` (its key, or the option after it),
    each answer saved as it is given, as a learner's clicks save it."""
    from tests.quizzes.conftest import key_display, wrong_display

    for position in range(len(attempt.items)):
        display = key_display(attempt, position) if right else wrong_display(attempt, position)
        page.locator(f"#question-{position} label").nth(display).click()
        page.get_by_text(f"Réponse à la question {position + 1} enregistrée.").wait_for()


def log_in(page, email: str, password: str) -> None:
    """Through the login form; a learner lands on her courses, course staff on their home."""
    import re

    page.goto("/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/(dashboard|teaching)/$"))
