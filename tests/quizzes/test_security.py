"""Nothing on the quiz page gives the key away, and a tampered post changes nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import AttemptAnswer, QuestionItem, QuizAttempt
from courses.progress.services import enrollment_create
from courses.quizzes.services import attempt_start, attempt_submit

from .conftest import attempt_url, form_data, key_display, lesson_url, start_url

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">')


def quiz_page(client, attempt) -> str:
    """The quiz page without its per-request CSRF token."""
    response = client.get(attempt_url(attempt))
    assert response.status_code == 200
    return CSRF_INPUT.sub("", response.content.decode())


def unchanged(attempt: QuizAttempt) -> bool:
    attempt.refresh_from_db()
    return (
        attempt.submitted_at is None and not AttemptAnswer.objects.filter(attempt=attempt).exists()
    )


# --- The key never reaches the browser before submission ----------------------------------------


def test_the_quiz_page_is_the_same_whatever_the_key(learner_client, attempt):
    """Rendered with each option in turn as the key, the page does not change by one byte."""
    pages = set()
    for key in range(4):
        items = attempt.items
        for question in items:
            question["snapshot"]["answer"] = key
        QuizAttempt.objects.filter(pk=attempt.pk).update(items=items)
        QuestionItem.objects.filter(lesson=attempt.lesson).update(answer=key)
        pages.add(quiz_page(learner_client, attempt))
    assert len(pages) == 1


def test_the_quiz_page_holds_no_key_explanation_or_source(learner_client, attempt):
    page = quiz_page(learner_client, attempt)
    for question in attempt.items:
        snapshot = question["snapshot"]
        assert snapshot["explanation"] not in page
        assert snapshot["source_sentence"] not in page
    for marker in ("answer", "correct", "data-key", "is-key", "explanation", "passage"):
        assert marker not in page.lower(), marker


def test_form_values_are_positions_on_the_page(learner_client, attempt):
    """Each question's values are 0..3 in order: they say where an option is, not which."""
    page = quiz_page(learner_client, attempt)
    for position in range(len(attempt.items)):
        values = re.findall(rf'<input type="radio" name="q{position}" value="([^"]*)"', page)
        assert values == ["0", "1", "2", "3"]


def test_the_options_are_shown_in_the_stored_order(learner_client, attempt):
    page = quiz_page(learner_client, attempt)
    for position, question in enumerate(attempt.items):
        options = question["snapshot"]["options"]
        shown = [options[option] for option in question["order"]]
        fieldset = re.search(
            rf'<fieldset[^>]*id="question-{position}".*?</fieldset>', page, re.S
        ).group(0)
        assert re.findall(r"<label for=[^>]*>([^<]*)</label>", fieldset) == shown


def test_the_answer_endpoint_says_saved_and_nothing_else(learner_client, attempt):
    for display in range(4):
        response = learner_client.post(
            attempt_url(attempt, "quiz_answer"), {"position": 0, "choice": display}
        )
        assert response.json() == {"saved": True}


def test_a_draft_or_rejected_item_never_appears(learner_client, enrolled, lesson, items, make_item):
    draft = make_item(lesson, status=QuestionItem.Status.DRAFT, stem="BROUILLON-secret")
    rejected = make_item(lesson, status=QuestionItem.Status.REJECTED, stem="REJETE-secret")
    page = learner_client.get(lesson_url(lesson)).content.decode()
    assert re.search(r"<dd>\s*5\s*</dd>", page)  # the approved five only
    for _ in range(10):
        learner_client.post(start_url(lesson))
        attempt = QuizAttempt.objects.select_related("lesson__module__course").latest("pk")
        assert {q["item"] for q in attempt.items}.isdisjoint({draft.pk, rejected.pk})
        assert "secret" not in quiz_page(learner_client, attempt)
        learner_client.post(attempt_url(attempt), form_data(attempt, right=0))


# --- Tampered posts -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["7", "4", "-1", "abc", "", "0x1", "1.0", " 1"])
def test_a_value_not_offered_is_refused_at_submission(learner_client, attempt, value):
    data = form_data(attempt, right=5)
    data["q0"] = value
    response = learner_client.post(attempt_url(attempt), data)
    assert response.status_code in {200, 400}
    if value.strip():
        assert response.status_code == 400
    assert unchanged(attempt)


@pytest.mark.parametrize("value", ["7", "4", "-1", "abc", ""])
def test_a_value_not_offered_is_refused_by_the_answer_endpoint(learner_client, attempt, value):
    response = learner_client.post(
        attempt_url(attempt, "quiz_answer"), {"position": 0, "choice": value}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert unchanged(attempt)


@pytest.mark.parametrize("position", ["5", "99", "-1", "x"])
def test_a_question_not_in_the_attempt_is_refused(learner_client, attempt, position):
    response = learner_client.post(
        attempt_url(attempt, "quiz_answer"), {"position": position, "choice": 0}
    )
    assert response.status_code == 400
    data = form_data(attempt, right=5)
    data[f"q{position}"] = "0"
    assert learner_client.post(attempt_url(attempt), data).status_code == 400
    assert unchanged(attempt)


def test_another_learners_attempt_is_not_found(client, make_user, attempt):
    """Every page and action of someone else's attempt: 404, and nothing changes."""
    intruder = make_user()
    enrollment_create(user=intruder, course=attempt.lesson.module.course)
    client.force_login(intruder)
    assert client.get(attempt_url(attempt)).status_code == 404
    assert client.get(attempt_url(attempt, "quiz_result")).status_code == 404
    assert client.post(attempt_url(attempt), form_data(attempt, right=5)).status_code == 404
    response = client.post(attempt_url(attempt, "quiz_answer"), {"position": 0, "choice": 0})
    assert response.status_code == 404
    assert unchanged(attempt)


def test_a_submitted_result_of_another_learner_is_not_found(client, make_user, attempt):
    attempt_submit(attempt=attempt, answers={})
    client.force_login(make_user())
    assert client.get(attempt_url(attempt, "quiz_result")).status_code == 404


def test_course_staff_cannot_answer_for_a_learner(client, instructor, attempt):
    attempt.lesson.module.course.instructors.add(instructor)
    client.force_login(instructor)
    assert client.post(attempt_url(attempt), form_data(attempt, right=5)).status_code == 404
    response = client.post(attempt_url(attempt, "quiz_answer"), {"position": 0, "choice": 0})
    assert response.status_code == 404
    assert unchanged(attempt)


def test_an_anonymous_visitor_is_sent_to_log_in(attempt):
    client = Client()
    for url in (attempt_url(attempt), attempt_url(attempt, "quiz_answer")):
        response = client.post(url, {"position": 0, "choice": 0, **form_data(attempt, right=5)})
        assert response.status_code == 302
        assert reverse("account_login") in response.url
    assert client.post(start_url(attempt.lesson)).status_code == 302
    assert unchanged(attempt)


def test_posts_without_a_csrf_token_are_refused(learner, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(attempt_url(attempt), form_data(attempt, right=5)).status_code == 403
    response = client.post(attempt_url(attempt, "quiz_answer"), {"position": 0, "choice": 0})
    assert response.status_code == 403
    assert client.post(start_url(attempt.lesson)).status_code == 403
    assert unchanged(attempt)
    assert QuizAttempt.objects.count() == 1


def test_the_answer_endpoint_takes_the_csrf_token_in_a_header(learner, attempt):
    """What the page's script does: the token from the form's hidden input, as X-CSRFToken."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    page = client.get(attempt_url(attempt)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        attempt_url(attempt, "quiz_answer"),
        {"position": 0, "choice": key_display(attempt, 0)},
        headers={"X-CSRFToken": token},
    )
    assert response.json() == {"saved": True}


def test_a_submitted_attempt_cannot_be_changed(learner_client, attempt):
    learner_client.post(attempt_url(attempt), form_data(attempt, right=0))
    attempt.refresh_from_db()
    before = list(AttemptAnswer.objects.filter(attempt=attempt).values_list("position", "option"))
    response = learner_client.post(
        attempt_url(attempt, "quiz_answer"), {"position": 0, "choice": key_display(attempt, 0)}
    )
    assert response.status_code == 409
    learner_client.post(attempt_url(attempt), form_data(attempt, right=5))
    after = list(AttemptAnswer.objects.filter(attempt=attempt).values_list("position", "option"))
    assert after == before
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_an_attempt_is_reached_only_under_its_own_course(learner_client, attempt, make_course):
    other = make_course()
    url = reverse("courses:quiz_attempt", kwargs={"slug": other.slug, "pk": attempt.pk})
    assert learner_client.get(url).status_code == 404
    # Posted (a submission, an answer saved: the attempt read alone), the same.
    assert learner_client.post(url, form_data(attempt, right=5)).status_code == 404
    answer = reverse("courses:quiz_answer", kwargs={"slug": other.slug, "pk": attempt.pk})
    assert learner_client.post(answer, {"position": 0, "choice": 0}).status_code == 404
    assert unchanged(attempt)


def test_an_attempt_number_no_column_holds_is_not_found(learner_client, attempt):
    """A tampered address with a key beyond 64 bits: 404 for the page, the submission and an
    answer saved, not a server error (SQLite cannot take such an int)."""
    slug = attempt.lesson.module.course.slug
    for name in ("quiz_attempt", "quiz_result", "quiz_answer"):
        url = reverse(f"courses:{name}", kwargs={"slug": slug, "pk": 10**25})
        assert learner_client.get(url).status_code in {404, 405}
        assert learner_client.post(url, {"position": 0, "choice": 0}).status_code in {404, 405}
    assert unchanged(attempt)


def test_a_learner_of_another_course_cannot_start_its_quiz(client, make_user, lesson, items):
    client.force_login(make_user())
    response = client.post(start_url(lesson))
    assert response.status_code == 302
    assert QuizAttempt.objects.count() == 0


def test_an_unpublished_courses_quiz_is_not_found(learner_client, enrolled, lesson, items, course):
    attempt_start(enrollment=enrolled, lesson=lesson)
    course.is_published = False
    course.save()
    assert learner_client.post(start_url(lesson)).status_code == 404
