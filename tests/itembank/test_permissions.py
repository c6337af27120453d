"""Who may review: course staff and administrators; everyone else is turned away.

Every review view, for an anonymous visitor, a learner of the course, an instructor of another
course, a course instructor without the instructor role, the course's staff and an
administrator. Then the 404s: unknown course, lesson or item, and an item of another course
asked for under this course's address.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.itembank import services
from courses.itembank.services import GenerationReport
from courses.models import QuestionItem, User
from courses.progress.services import enrollment_create

from .conftest import GOOD_EDIT, first_lesson

pytestmark = pytest.mark.django_db

Status = QuestionItem.Status

# (name, method, URL kind, data): the URL kind says which of the course's objects it takes.
VIEWS = [
    ("review_index", "get", "course", None),
    ("review_lesson", "get", "lesson", None),
    ("review_regenerate", "post", "lesson", {}),
    ("item_review", "post", "item", {"status": Status.APPROVED}),
    ("item_edit", "get", "item", None),
    ("item_edit", "post", "item", GOOD_EDIT),
]
VIEW_IDS = [f"{name}-{method}" for name, method, _kind, _data in VIEWS]
# What course staff get: the page, or a redirect back to the review page after an action.
ALLOWED = {"get": 200, "post": 302}


def url_for(name: str, kind: str, *, course, lesson=None, item=None) -> str:
    kwargs: dict[str, object] = {"slug": course.slug}
    if kind == "lesson":
        kwargs["pk"] = lesson.pk
    elif kind == "item":
        kwargs["pk"] = item.pk
    return reverse(f"courses:{name}", kwargs=kwargs)


@pytest.fixture(autouse=True)
def _no_spacy(monkeypatch):
    """Regeneration's own behaviour is tested elsewhere; here only who may ask for it."""
    monkeypatch.setattr(services, "lesson_items_regenerate", lambda *, lesson: GenerationReport())


@pytest.fixture
def item(course, make_item):
    return make_item(first_lesson(course), status=Status.DRAFT)


@pytest.fixture
def users(make_user, course, other_course, learner):
    enrollment_create(user=learner, course=course)
    course_instructor_without_role = make_user()
    course.instructors.add(course_instructor_without_role)
    staff = make_user(role=User.Role.INSTRUCTOR)
    course.instructors.add(staff)
    return {
        "learner": learner,
        "other_instructor": other_course.instructors.get(),
        "instructor_without_the_role": course_instructor_without_role,
        "course_staff": staff,
        "administrator": make_user(is_superuser=True, is_staff=True),
    }


def request(client, method: str, url: str, data):
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "method", "kind", "data"), VIEWS, ids=VIEW_IDS)
def test_anonymous_visitors_are_sent_to_log_in(client, course, item, name, method, kind, data):
    """Not logged in: to the login page, and back here afterwards; nothing changes."""
    url = url_for(name, kind, course=course, lesson=item.lesson, item=item)
    response = request(client, method, url, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    item.refresh_from_db()
    assert (item.status, item.edited) == (Status.DRAFT, False)


@pytest.mark.parametrize("who", ["learner", "other_instructor", "instructor_without_the_role"])
@pytest.mark.parametrize(("name", "method", "kind", "data"), VIEWS, ids=VIEW_IDS)
def test_anyone_but_course_staff_is_refused(
    client, users, course, item, who, name, method, kind, data
):
    """A learner, another course's instructor, a listed instructor without the role: 403."""
    client.force_login(users[who])
    url = url_for(name, kind, course=course, lesson=item.lesson, item=item)
    assert request(client, method, url, data).status_code == 403
    item.refresh_from_db()
    assert (item.status, item.edited) == (Status.DRAFT, False)


@pytest.mark.parametrize("who", ["course_staff", "administrator"])
@pytest.mark.parametrize(("name", "method", "kind", "data"), VIEWS, ids=VIEW_IDS)
def test_course_staff_and_administrators_are_let_in(
    client, users, course, item, who, name, method, kind, data
):
    """The course's instructors and administrators get the page, or their action done."""
    client.force_login(users[who])
    url = url_for(name, kind, course=course, lesson=item.lesson, item=item)
    assert request(client, method, url, data).status_code == ALLOWED[method]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("review_regenerate", "lesson"), ("item_review", "item")],
)
def test_actions_need_a_post(client, users, course, item, name, kind):
    """Regenerate and the review decisions change data: a GET is 405, even for staff."""
    client.force_login(users["course_staff"])
    url = url_for(name, kind, course=course, lesson=item.lesson, item=item)
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(("name", "method", "kind", "data"), VIEWS, ids=VIEW_IDS)
def test_an_unknown_course_is_404(client, users, course, item, name, method, kind, data):
    """No such course: 404, for staff as for anyone logged in."""
    client.force_login(users["administrator"])
    url = url_for(name, kind, course=course, lesson=item.lesson, item=item)
    url = url.replace(f"/courses/{course.slug}/", "/courses/no-such-course/")
    assert request(client, method, url, data).status_code == 404


@pytest.mark.parametrize(("name", "method", "kind", "data"), VIEWS[1:], ids=VIEW_IDS[1:])
def test_an_unknown_lesson_or_item_is_404(client, users, course, item, name, method, kind, data):
    """No such lesson or item: 404."""
    client.force_login(users["course_staff"])
    url = reverse(f"courses:{name}", kwargs={"slug": course.slug, "pk": 999_999})
    assert request(client, method, url, data).status_code == 404


@pytest.mark.parametrize(("name", "method", "kind", "data"), VIEWS[1:], ids=VIEW_IDS[1:])
def test_another_courses_lesson_or_item_under_this_course_is_404(
    client, users, course, other_course, make_item, name, method, kind, data
):
    """Staff of this course asking for another course's lesson or item under this course's
    address: 404, and the other course's item is left alone."""
    client.force_login(users["course_staff"])
    foreign_lesson = first_lesson(other_course)
    foreign = make_item(foreign_lesson, status=Status.DRAFT)
    url = url_for(name, kind, course=course, lesson=foreign_lesson, item=foreign)
    assert request(client, method, url, data).status_code == 404
    foreign.refresh_from_db()
    assert (foreign.status, foreign.edited) == (Status.DRAFT, False)


def test_an_archived_lessons_review_is_404(client, users, course, item):
    """A lesson the document no longer has is not reviewed (its items are not served)."""
    from django.utils import timezone

    item.lesson.archived_at = timezone.now()
    item.lesson.save()
    client.force_login(users["course_staff"])
    url = url_for("review_lesson", "lesson", course=course, lesson=item.lesson)
    assert client.get(url).status_code == 404


def test_an_unpublished_course_is_hidden_from_learners(client, users, course, item):
    """An unpublished course does not exist for anyone but its staff: 404, not 403."""
    course.is_published = False
    course.save()
    client.force_login(users["learner"])
    assert client.get(url_for("review_index", "course", course=course)).status_code == 404
    client.force_login(users["course_staff"])
    assert client.get(url_for("review_index", "course", course=course)).status_code == 200
