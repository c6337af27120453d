"""Every page each role can reach, at 390 px (issue 19): no sideways scroll, no tap target
under 24 × 24 px outside running text (WCAG 2.2, 2.5.8), axe-core clean, no term the
glossary rejects (docs/glossary.md) in what the page reads. The crawler follows
the links of each page from the role's home; the pages it visited are printed, and it fails if
it reached fewer URL patterns than each role is expected to reach."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from courses.cohorts.services import cohort_join
from courses.models import Invitation
from courses.quizzes.services import attempt_start, attempt_submit
from tests.quizzes.conftest import key_display
from tests.test_glossary import rejected

from .conftest import check_accessibility, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Files and actions a crawler must not follow: downloads, signing out, the admin's deletions.
SKIP = re.compile(
    r"(/logout/|\.csv$|\.xlsx$|/pdf/$|/scorm/|/cover/$|/images/|/delete/$|/history/\d+/$"
    r"|/i18n/|/password/|/email/$|/as-learner/.*/quiz/start/$|^/en/)"
)
MEASURE = """() => {
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  const small = [];
  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary');
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // visually hidden (skip link until focused)
    if (getComputedStyle(el).visibility === 'hidden') continue;
    let box = r;
    if ((el.type === 'radio' || el.type === 'checkbox') && el.labels && el.labels.length) {
      box = el.labels[0].getBoundingClientRect();  // the label is the target too
    }
    if (box.width >= 24 && box.height >= 24) continue;
    if (el.tagName === 'A') {
      // The inline exception: a link in a sentence, its size set by the line of text.
      const block = el.parentElement.closest('p, li, dd, td, th, figcaption, small, span');
      const own = el.textContent.trim().length;
      if (block && block.textContent.trim().length > own + 2) continue;
    }
    const label = (el.textContent || el.value || el.name || '').trim().slice(0, 40);
    const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
    small.push(`${el.tagName.toLowerCase()} "${label}" ${size}`);
  }
  return {overflow, small};
}"""


def route_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(page, start: list[str], *, limit_per_route: int = 2) -> tuple[list[str], list[str]]:
    """Visit what the start pages link to, breadth first, at most ``limit_per_route`` pages of
    each URL pattern; return the paths visited and the problems found."""
    seen: set[str] = set()
    per_route: dict[str, int] = {}
    queue = deque(start)
    visited, problems = [], []
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        name = route_name(path)
        if name is None or SKIP.search(path) or per_route.get(name, 0) >= limit_per_route:
            continue
        per_route[name] = per_route.get(name, 0) + 1
        response = page.goto(path)
        if (
            response is None
            or response.status >= 400
            or not (response.headers.get("content-type", "").startswith("text/html"))
        ):
            continue
        visited.append(path)
        measured = page.evaluate(MEASURE)
        if measured["overflow"] > 0:
            problems.append(f"{path}: scrolls sideways by {measured['overflow']} px")
        for target in measured["small"]:
            problems.append(f"{path}: small target {target}")
        try:
            check_accessibility(page)
        except AssertionError as error:
            problems.append(str(error))
        # The product's words (docs/glossary.md), Django's and allauth's as the page shows them.
        words = page.evaluate("() => document.body.innerText")
        for pattern, compiled in rejected():
            for match in compiled.finditer(words):
                problems.append(f"{path}: «{match.group(0)}» ({pattern})")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc and parts.netloc != urlsplit(page.url).netloc:
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path and link not in seen:
                queue.append(parts.path)
    return visited, problems


@pytest.fixture
def school(make_course, make_cohort, make_item, make_user, issue_certificate, instructor):
    """A course with a quiz, a cohort with learners who took it, a certificate, a pending
    invitation; its instructor, a co-instructor, an administrator."""
    course = make_course(modules=2, lessons=2, title="Surveillance du SRC", is_published=True)
    first = course.modules.order_by("position").first().lessons.order_by("position").first()
    cohort = make_cohort(course, owner=instructor, name="IDE oncologie — promotion 2026")
    co = make_user(email="co@example.org", full_name="Paul Girard", role="instructor")
    cohort.co_instructors.add(co)
    learner = make_user(email="lea@example.org", full_name="Léa Dubois")
    member = cohort_join(cohort=cohort, user=learner)
    issue_certificate(member.enrollment)
    for _ in range(3):
        make_item(first)
    for index in range(3):
        other = cohort_join(cohort=cohort, user=make_user(full_name=f"Apprenante {index}"))
        attempt, _created = attempt_start(enrollment=other.enrollment, lesson=first)
        attempt_submit(
            attempt=attempt, answers={p: key_display(attempt, p) for p in range(len(attempt.items))}
        )
    Invitation.objects.create(cohort=cohort, email="zoe@example.org", invited_by=instructor)
    # Pages reached by a POST, not a link: a quiz in progress and a quiz's result.
    second = first.module.lessons.order_by("position").last()
    for _ in range(3):
        make_item(second)
    done, _created = attempt_start(enrollment=member.enrollment, lesson=first)
    attempt_submit(attempt=done, answers={0: key_display(done, 0)})
    ongoing, _created = attempt_start(enrollment=member.enrollment, lesson=second)
    slug = course.slug
    learner.start_pages = [
        f"/courses/{slug}/quiz/{ongoing.pk}/",
        f"/courses/{slug}/quiz/{done.pk}/result/",
    ]
    admin = make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    return {"learner": learner, "instructor": instructor, "co-instructor": co, "admin": admin}


EXPECTED = {
    # Role: (its start pages, the least number of URL patterns it must reach).
    "learner": (["/dashboard/", "/", "/profile/", "/privacy/"], 12),
    "instructor": (["/teaching/", "/cohorts/", "/profile/"], 36),
    "co-instructor": (["/teaching/", "/cohorts/"], 17),
    # The site's pages as an administrator sees them (every course), and Django's admin: its
    # index, change lists, add, change and history pages of every model.
    "admin": (["/teaching/", "/cohorts/", "/", "/admin/"], 86),
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_page_a_role_reaches_fits_a_phone(browser, live_server, school, password, role):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        user = school[role]
        log_in(page, user.email, password)
        start, least = EXPECTED[role]
        visited, problems = crawl(page, start + getattr(user, "start_pages", []))
    finally:
        context.close()
    routes = sorted({route_name(path) for path in visited})
    # The pages visited, for the record (pytest -s, or the report of a failure).
    print(f"\n{role}: {len(visited)} pages, {len(routes)} URL patterns")  # noqa: T201
    for path in visited:
        print(f"  {path}")  # noqa: T201
    assert len(routes) >= least, routes
    assert problems == [], "\n".join(problems)
