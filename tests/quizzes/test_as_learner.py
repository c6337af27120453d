"""“Voir comme apprenant·e”: course staff open a lesson and take its quiz as a learner would,
without counting as one: no enrolment, no reading, no attempt, no answer, no completion, no
certificate is stored, whether or not they are enrolled themselves."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import reverse

from courses.models import Enrollment, LessonProgress
from courses.quizzes.views import PREVIEW_SESSION_KEY

from .conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(instructor, course):
    course.instructors.add(instructor)
    return instructor


def url(name: str, lesson) -> str:
    return reverse(f"courses:{name}", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk})


def row_counts() -> dict[str, int]:
    """Every table of the app, counted."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("courses").get_models()
    }


def drawn(client) -> SimpleNamespace:
    """The preview's questions, from the session (as an attempt: ``.items``)."""
    return SimpleNamespace(items=client.session[PREVIEW_SESSION_KEY]["questions"])


def take(client, lesson, *, right: int | None = None):
    """Start the preview of the lesson's quiz and submit it, ``right`` questions answered
    right (all of them unless told); return the result page's response."""
    response = client.post(url("quiz_as_learner_start", lesson))
    assert response.status_code == 302
    assert response["Location"] == url("quiz_as_learner", lesson)
    questions = drawn(client)
    right = len(questions.items) if right is None else right
    response = client.post(url("quiz_as_learner", lesson), form_data(questions, right=right))
    assert response.status_code == 302
    assert response["Location"] == url("quiz_as_learner_result", lesson)
    return client.get(response["Location"])


def test_the_course_opens_on_its_first_lesson_as_a_learner(client, staff, course, lesson):
    client.force_login(staff)
    response = client.get(reverse("courses:course_as_learner", kwargs={"slug": course.slug}))
    assert response["Location"] == url("lesson_as_learner", lesson)


def test_a_lesson_as_a_learner_sees_it_and_stores_nothing(client, staff, lesson, items):
    """The lesson with its quiz box and “Lu — passer le quiz” (to the preview), the progress
    at zero, the contents leading to the other lessons seen as a learner, and the note that
    nothing is recorded."""
    client.force_login(staff)
    before = row_counts()
    page = client.get(url("lesson_as_learner", lesson)).content.decode()
    assert "Vue apprenant·e." in page
    assert "Rien n’est enregistré" in page
    assert "Lu — passer le quiz" in page
    assert f'action="{url("quiz_as_learner_start", lesson)}"' in page
    assert f'action="{url("quiz_start", lesson)}"' not in page
    assert "0 leçon lue sur" in page or "0 leçons lues sur" in page
    following = lesson.module.lessons.exclude(pk=lesson.pk).order_by("position").first()
    assert url("lesson_as_learner", following) in page
    assert url("lesson_complete", lesson) not in page
    assert row_counts() == before


def test_a_quiz_taken_as_a_learner_is_graded_and_stores_nothing(client, staff, lesson, items):
    """Drawn as a first attempt is, graded on the server as one is, the result with its
    feedback; not a row more in any table."""
    client.force_login(staff)
    before = row_counts()
    result = take(client, lesson, right=4).content.decode()
    assert "Quiz réussi" in result
    assert "4 bonnes réponses sur 5" in result
    assert "Vue apprenant·e." in result
    failed = take(client, lesson, right=1).content.decode()
    assert "Quiz non réussi" in failed
    assert row_counts() == before


def test_staff_enrolled_in_their_course_count_no_more_through_the_preview(
    client, staff, course, lesson, items
):
    """An instructor who also takes the course: the preview leaves her enrolment as it was."""
    from courses.progress.services import enrollment_create

    enrollment, _created = enrollment_create(user=staff, course=course)
    client.force_login(staff)
    before = row_counts()
    client.get(url("lesson_as_learner", lesson))
    take(client, lesson)
    assert row_counts() == before
    enrollment.refresh_from_db()
    assert enrollment.last_lesson_id is None
    assert not LessonProgress.objects.filter(enrollment=enrollment).exists()


def test_the_quiz_page_holds_no_key_and_saves_nothing_as_it_goes(client, staff, lesson, items):
    """No autosave address (nothing to save to); no explanation, source or key in the page."""
    client.force_login(staff)
    client.post(url("quiz_as_learner_start", lesson))
    page = client.get(url("quiz_as_learner", lesson)).content.decode()
    assert "data-save-url" not in page
    for item in items:
        assert item.stem in page
        assert item.explanation not in page
    assert '"answer"' not in page


def test_a_tampered_answer_is_refused_and_nothing_stored(client, staff, lesson, items):
    client.force_login(staff)
    client.post(url("quiz_as_learner_start", lesson))
    data = form_data(drawn(client), right=5)
    data["q0"] = "9"
    before = row_counts()
    response = client.post(url("quiz_as_learner", lesson), data)
    assert response.status_code == 400
    assert "answers" not in client.session[PREVIEW_SESSION_KEY]
    assert row_counts() == before


def test_without_a_draw_the_quiz_and_result_lead_back_to_the_lesson(
    client, staff, lesson, items, course
):
    """Nothing started, or started on another lesson: back to this lesson's quiz box."""
    client.force_login(staff)
    for name in ("quiz_as_learner", "quiz_as_learner_result"):
        response = client.get(url(name, lesson))
        assert response["Location"] == url("lesson_as_learner", lesson) + "#quiz"
    other = lesson.module.lessons.exclude(pk=lesson.pk).first()
    client.post(url("quiz_as_learner_start", lesson))
    response = client.get(url("quiz_as_learner", other))
    assert response["Location"] == url("lesson_as_learner", other) + "#quiz"


def test_a_lesson_without_quiz_says_so(client, staff, lesson):
    client.force_login(staff)
    response = client.post(url("quiz_as_learner_start", lesson), follow=True)
    assert response.redirect_chain[-1][0] == url("lesson_as_learner", lesson)
    assert PREVIEW_SESSION_KEY not in client.session


@pytest.mark.parametrize("who", ["learner", "enrolled_learner", "other_instructor"])
def test_only_course_staff_see_as_a_learner(
    client, course, lesson, items, learner, other_instructor, enrolled, who
):
    """A learner (enrolled or not) and another course's instructor are refused every page."""
    user = {"learner": learner, "enrolled_learner": enrolled.user}.get(who, other_instructor)
    client.force_login(user)
    before = row_counts()
    assert client.get(url("lesson_as_learner", lesson)).status_code == 403
    assert client.post(url("quiz_as_learner_start", lesson)).status_code == 403
    assert client.get(url("quiz_as_learner", lesson)).status_code == 403
    assert client.get(url("quiz_as_learner_result", lesson)).status_code == 403
    assert row_counts() == before


def test_anonymous_visitors_log_in_first(client, lesson, items):
    response = client.get(url("lesson_as_learner", lesson))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Enrollment.objects.exists()
