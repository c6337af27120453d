"""Taking a quiz through HTTP: the lesson page, start, answer, submit, feedback, history."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses.models import AttemptAnswer, Lesson, QuestionItem, QuizAttempt, User
from courses.quizzes import scoring
from courses.quizzes.services import attempt_start, attempt_submit

from .conftest import (
    attempt_url,
    first_lesson,
    form_data,
    history_url,
    key_display,
    lesson_url,
    start_url,
    wrong_display,
)

pytestmark = pytest.mark.django_db


def start(client, lesson) -> QuizAttempt:
    response = client.post(start_url(lesson))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.select_related("lesson__module__course").latest("pk")
    assert response.url == attempt_url(attempt)
    return attempt


# --- The lesson page ----------------------------------------------------------------------------


def test_the_lesson_page_presents_its_quiz(learner_client, enrolled, lesson, items):
    page = learner_client.get(lesson_url(lesson)).content.decode()
    assert 'aria-labelledby="quiz-title"' in page
    assert "Lu — passer le quiz" in page  # not read yet: reading and the quiz in one step
    assert start_url(lesson) in page
    facts = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S).group(1)
    assert re.search(r"<dd>\s*5\s*</dd>", facts)  # five questions
    assert "Pour réussir" in facts
    assert "4 bonnes réponses sur 5" in facts  # 80 % of five


def test_a_lesson_without_an_approved_item_shows_no_quiz(
    learner_client, enrolled, lesson, make_item
):
    make_item(lesson, status=QuestionItem.Status.DRAFT)
    page = learner_client.get(lesson_url(lesson)).content.decode()
    assert "quiz-title" not in page
    assert start_url(lesson) not in page


def _stated(page: str) -> tuple[int, int]:
    """(questions, correct answers to pass) as a page states them: "… 5 bonnes réponses sur 6"."""
    found = re.search(r"[Pp]our réussir.{0,80}?(\d+) bonnes? réponses? sur (\d+)", page, re.S)
    assert found, page
    return int(found.group(2)), int(found.group(1))


@pytest.mark.parametrize(
    ("size", "families", "pass_mark", "questions", "required"),
    [
        (6, 8, 80, 6, 5),  # 4.8 -> 5
        (5, 9, 70, 5, 3),  # 3.5 -> 3: halves down
        (10, 12, 75, 10, 7),  # 7.5 -> 7
        (5, 3, 80, 3, 2),  # fewer facts than the size: all of them, 2.4 -> 2
        (5, 5, 1, 5, 1),  # never fewer than one
        (8, 8, 100, 8, 8),
    ],
)
def test_the_size_and_the_count_to_pass_are_stated_and_are_the_attempts(
    learner_client, enrolled, lesson, make_item, size, families, pass_mark, questions, required
):
    """The course's questions per attempt (or every fact of a smaller bank) and the pass mark
    of them, rounded to the nearest (halves down): stated on the lesson page before starting,
    then on the attempt page and the result, and they are the attempt's own."""
    from courses.models import Course

    Course.objects.filter(pk=enrolled.course_id).update(quiz_questions=size, pass_mark=pass_mark)
    for family in range(families):
        make_item(lesson, family=f"fact-{family}")
        make_item(lesson, family=f"fact-{family}")  # two items of one fact: one is drawn
    assert _stated(learner_client.get(lesson_url(lesson)).content.decode()) == (
        questions,
        required,
    )
    attempt = start(learner_client, lesson)
    assert (attempt.total, len(attempt.items)) == (questions, questions)
    assert scoring.required_correct(pass_mark=attempt.pass_mark, total=attempt.total) == required
    assert _stated(learner_client.get(attempt_url(attempt)).content.decode()) == (
        questions,
        required,
    )
    # Exactly the count stated passes; one fewer does not.
    response = learner_client.post(
        attempt_url(attempt), form_data(attempt, right=required), follow=True
    )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (required, True)
    assert _stated(response.content.decode()) == (questions, required)
    again = start(learner_client, lesson)
    learner_client.post(attempt_url(again), form_data(again, right=required - 1))
    again.refresh_from_db()
    assert (again.score, again.passed) == (required - 1, False)


def test_course_staff_see_the_quiz_without_a_start_button(client, instructor, lesson, items):
    lesson.module.course.instructors.add(instructor)
    client.force_login(instructor)
    page = client.get(lesson_url(lesson)).content.decode()
    assert "quiz-title" in page
    assert start_url(lesson) not in page


def test_the_lesson_page_offers_to_resume_an_attempt_in_progress(
    learner_client, enrolled, lesson, items
):
    start(learner_client, lesson)
    page = learner_client.get(lesson_url(lesson)).content.decode()
    assert "Reprendre le quiz" in page
    assert history_url(lesson) in page


def test_the_lesson_page_shows_attempts_and_the_best_result(
    learner_client, enrolled, lesson, items, course
):
    course.max_attempts = 3
    course.save()
    attempt = start(learner_client, lesson)
    learner_client.post(attempt_url(attempt), form_data(attempt, right=3))
    page = learner_client.get(lesson_url(lesson)).content.decode()
    assert "1 sur 3 utilisée" in page
    assert "60&nbsp;%" in page
    assert "Pas encore réussi" in page


# --- Starting -----------------------------------------------------------------------------------


def test_starting_twice_resumes_the_same_attempt(learner_client, enrolled, lesson, items):
    first = start(learner_client, lesson)
    second = start(learner_client, lesson)
    assert first.pk == second.pk
    assert QuizAttempt.objects.count() == 1


def test_starting_needs_a_post_and_an_enrolment(learner_client, lesson, items):
    assert learner_client.get(start_url(lesson)).status_code == 405
    response = learner_client.post(start_url(lesson))
    assert response.url == lesson.module.course.get_absolute_url()
    assert QuizAttempt.objects.count() == 0


def test_starting_beyond_the_limit_is_refused_with_a_message(
    learner_client, enrolled, lesson, items, course
):
    course.max_attempts = 1
    course.save()
    attempt = start(learner_client, lesson)
    learner_client.post(attempt_url(attempt), form_data(attempt, right=0))
    response = learner_client.post(start_url(lesson), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == lesson_url(lesson)
    assert "Vous avez utilisé toutes les tentatives" in page
    assert QuizAttempt.objects.count() == 1


def test_a_lesson_without_a_quiz_cannot_be_started(learner_client, enrolled, lesson):
    response = learner_client.post(start_url(lesson), follow=True)
    assert "pas encore de quiz" in response.content.decode()
    assert QuizAttempt.objects.count() == 0


# --- The quiz page ------------------------------------------------------------------------------


def test_each_question_is_a_fieldset_with_its_stem_as_legend(
    learner_client, enrolled, lesson, items
):
    attempt = start(learner_client, lesson)
    page = learner_client.get(attempt_url(attempt)).content.decode()
    assert page.count("<fieldset") == 5
    assert page.count("<legend") == 5
    for question in attempt.items:
        assert question["snapshot"]["stem"] in page
        for text in question["snapshot"]["options"]:
            assert f">{text}</label>" in page
    for label_for in re.findall(r'<label for="([^"]+)"', page):
        assert f'id="{label_for}"' in page


def test_the_quiz_page_ticks_the_answers_saved(learner_client, enrolled, lesson, items):
    attempt = start(learner_client, lesson)
    display = wrong_display(attempt, 2)
    learner_client.post(attempt_url(attempt, "quiz_answer"), {"position": 2, "choice": display})
    page = learner_client.get(attempt_url(attempt)).content.decode()
    checked = re.findall(r'<input type="radio" name="(q\d+)" value="(\d+)"[^>]*checked', page)
    assert checked == [("q2", str(display))]


def test_an_answer_is_saved_as_it_is_given(learner_client, enrolled, lesson, items):
    attempt = start(learner_client, lesson)
    response = learner_client.post(
        attempt_url(attempt, "quiz_answer"), {"position": 0, "choice": key_display(attempt, 0)}
    )
    assert response.status_code == 200
    assert response.json() == {"saved": True}
    row = AttemptAnswer.objects.get(attempt=attempt)
    assert (row.position, row.option) == (0, attempt.items[0]["snapshot"]["answer"])


def test_unanswered_questions_are_pointed_out_and_nothing_is_submitted(
    learner_client, enrolled, lesson, items
):
    attempt = start(learner_client, lesson)
    data = form_data(attempt, right=5)
    del data["q1"], data["q3"]
    response = learner_client.post(attempt_url(attempt), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page
    assert 'href="#question-1"' in page
    assert 'href="#question-3"' in page
    assert 'aria-describedby="question-1-error"' in page
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    # What was answered stays ticked.
    assert len(re.findall(r'type="radio"[^>]*checked', page)) == 3


# --- Submitting and the result ------------------------------------------------------------------


def test_submitting_shows_the_score_the_right_answers_keys_and_passages(
    learner_client, enrolled, lesson, items
):
    """Not passed yet: the right answers show their key and explanation, the wrong ones only
    the passage to re-read (tests/quizzes/test_review.py)."""
    attempt = start(learner_client, lesson)
    response = learner_client.post(attempt_url(attempt), form_data(attempt, right=3))
    assert response.url == attempt_url(attempt, "quiz_result")
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (3, False)
    page = learner_client.get(response.url).content.decode()
    assert "Quiz non réussi" in page
    assert "3 bonnes réponses sur 5" in page
    assert "(60&nbsp;%)" in page
    # A right answer is shown as the answer given, marked right; a wrong one, not released,
    # shows no right answer.
    assert page.count("Votre réponse") == 5
    assert page.count("Bonne réponse") == 0
    assert page.count('class="feedback__answer is-key"') == 3
    for position, question in enumerate(attempt.items):
        assert (question["snapshot"]["explanation"] in page) is (position < 3)
    assert page.count(f"?passage={attempt.pk}-") == 5
    assert "Refaire le quiz" in page


def test_a_passed_quiz_says_so(learner_client, enrolled, lesson, items):
    attempt = start(learner_client, lesson)
    learner_client.post(attempt_url(attempt), form_data(attempt, right=4))
    page = learner_client.get(attempt_url(attempt, "quiz_result")).content.decode()
    assert "Quiz réussi" in page


def test_a_double_submit_shows_the_first_result(learner_client, enrolled, lesson, items):
    """The second post (double click, back button, second tab) changes nothing."""
    attempt = start(learner_client, lesson)
    learner_client.post(attempt_url(attempt), form_data(attempt, right=5))
    attempt.refresh_from_db()
    submitted_at = attempt.submitted_at
    again = learner_client.post(attempt_url(attempt), form_data(attempt, right=0))
    assert again.status_code == 302
    assert again.url == attempt_url(attempt, "quiz_result")
    attempt.refresh_from_db()
    assert (attempt.score, attempt.submitted_at) == (5, submitted_at)


def test_the_quiz_page_of_a_submitted_attempt_goes_to_its_result(
    learner_client, enrolled, lesson, items
):
    attempt = start(learner_client, lesson)
    assert learner_client.get(attempt_url(attempt, "quiz_result")).url == attempt_url(attempt)
    learner_client.post(attempt_url(attempt), form_data(attempt, right=5))
    assert learner_client.get(attempt_url(attempt)).url == attempt_url(attempt, "quiz_result")


def test_the_history_lists_every_attempt(learner_client, enrolled, lesson, items):
    first = start(learner_client, lesson)
    learner_client.post(attempt_url(first), form_data(first, right=2))
    second = start(learner_client, lesson)
    learner_client.post(attempt_url(second), form_data(second, right=5))
    start(learner_client, lesson)
    page = learner_client.get(history_url(lesson)).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\d+)</th>", page)
    assert rows == ["1", "2", "3"]
    assert '2/5 <span class="history__percent">(40&nbsp;%)</span>' in page
    assert '5/5 <span class="history__percent">(100&nbsp;%)</span>' in page
    assert attempt_url(first, "quiz_result") in page
    assert "En cours" in page


def test_the_history_needs_an_enrolment(learner_client, lesson, items):
    response = learner_client.get(history_url(lesson))
    assert response.status_code == 302


# --- The source passage -------------------------------------------------------------------------


def submitted(enrolled, lesson) -> QuizAttempt:
    attempt, _ = attempt_start(enrollment=enrolled, lesson=lesson)
    attempt_submit(attempt=attempt, answers={})
    return QuizAttempt.objects.select_related("lesson__module__course").get(pk=attempt.pk)


def test_the_passage_link_highlights_the_source_sentence(learner_client, enrolled, lesson, items):
    attempt = submitted(enrolled, lesson)
    page = learner_client.get(f"{lesson_url(lesson)}?passage={attempt.pk}-0").content.decode()
    sentence = attempt.items[0]["snapshot"]["source_sentence"]
    assert f'<mark id="passage" tabindex="-1">{sentence}</mark>' in page
    assert attempt_url(attempt, "quiz_result") in page


def test_the_highlighted_render_is_not_served_to_plain_readers(
    learner_client, enrolled, lesson, items
):
    attempt = submitted(enrolled, lesson)
    learner_client.get(f"{lesson_url(lesson)}?passage={attempt.pk}-0")
    assert "<mark" not in learner_client.get(lesson_url(lesson)).content.decode()


@pytest.mark.parametrize("reference", ["abc", "1", "-", "99999-0", "{pk}-99", "{pk}-x", "{pk}--1"])
def test_a_wrong_passage_reference_shows_the_lesson_plainly(
    learner_client, enrolled, lesson, items, reference
):
    attempt = submitted(enrolled, lesson)
    response = learner_client.get(f"{lesson_url(lesson)}?passage={reference.format(pk=attempt.pk)}")
    assert response.status_code == 200
    assert "<mark" not in response.content.decode()


def test_no_passage_before_the_attempt_is_submitted(learner_client, enrolled, lesson, items):
    """Before submission a source sentence would give the answer away."""
    attempt = start(learner_client, lesson)
    page = learner_client.get(f"{lesson_url(lesson)}?passage={attempt.pk}-0").content.decode()
    assert "<mark" not in page


def test_no_passage_from_another_learners_attempt(client, make_user, enrolled, lesson, items):
    from courses.progress.services import enrollment_create

    attempt = submitted(enrolled, lesson)
    other = make_user()
    enrollment_create(user=other, course=lesson.module.course)
    client.force_login(other)
    page = client.get(f"{lesson_url(lesson)}?passage={attempt.pk}-0").content.decode()
    assert "<mark" not in page


def test_a_changed_lesson_is_shown_without_highlight_and_the_sentence_quoted(
    learner_client, enrolled, lesson, items
):
    from courses.models import Course

    # The right answers released (the one attempt allowed is used): the sentence is quoted.
    Course.objects.filter(pk=lesson.module.course_id).update(
        review_release=Course.ReviewRelease.AFTER_LAST_ATTEMPT, max_attempts=1
    )
    attempt = submitted(enrolled, lesson)
    lesson = Lesson.objects.get(pk=lesson.pk)
    lesson.text = lesson.text.replace("réaction inflammatoire grave", "réaction systémique")
    lesson.save()
    sentence = attempt.items[0]["snapshot"]["source_sentence"]
    result = learner_client.get(attempt_url(attempt, "quiz_result")).content.decode()
    assert f"<blockquote>{sentence}</blockquote>" in result
    assert f"?passage={attempt.pk}-0" not in result  # the other questions' sentences remain
    assert "La leçon a changé depuis" in result
    page = learner_client.get(f"{lesson_url(lesson)}?passage={attempt.pk}-0").content.decode()
    assert "<mark" not in page
    assert f"<blockquote>{sentence}</blockquote>" in page


def test_a_sentence_moved_by_an_edit_elsewhere_is_still_highlighted(
    learner_client, enrolled, lesson, items
):
    attempt = submitted(enrolled, lesson)
    lesson = Lesson.objects.get(pk=lesson.pk)
    lesson.text = "Une introduction ajoutée.\n\n" + lesson.text
    lesson.save()
    page = learner_client.get(f"{lesson_url(lesson)}?passage={attempt.pk}-0").content.decode()
    assert '<mark id="passage" tabindex="-1">' in page


# --- Extra time, set by course staff ------------------------------------------------------------


def extra_time_url(enrollment) -> str:
    return reverse(
        "courses:extra_time", kwargs={"slug": enrollment.course.slug, "enrollment": enrollment.pk}
    )


def test_course_staff_set_a_learners_extra_time(client, instructor, enrolled):
    enrolled.course.instructors.add(instructor)
    client.force_login(instructor)
    listing = client.get(reverse("courses:extra_time_list", kwargs={"slug": enrolled.course.slug}))
    assert extra_time_url(enrolled) in listing.content.decode()
    response = client.post(extra_time_url(enrolled), {"extra_time_percent": "33"})
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.extra_time_percent == 33
    invalid = client.post(extra_time_url(enrolled), {"extra_time_percent": "500"})
    assert invalid.status_code == 200
    enrolled.refresh_from_db()
    assert enrolled.extra_time_percent == 33


def test_the_course_page_links_staff_to_extra_time(client, instructor, course):
    course.instructors.add(instructor)
    client.force_login(instructor)
    page = client.get(course.get_absolute_url()).content.decode()
    assert reverse("courses:extra_time_list", kwargs={"slug": course.slug}) in page


def test_only_course_staff_set_extra_time(client, make_user, learner, enrolled):
    """The learner, an instructor of another course: 403; a visitor is sent to log in."""
    other_instructor = make_user(role=User.Role.INSTRUCTOR)
    listing = reverse("courses:extra_time_list", kwargs={"slug": enrolled.course.slug})
    for user in (learner, other_instructor):
        client.force_login(user)
        assert client.get(listing).status_code == 403
        assert client.get(extra_time_url(enrolled)).status_code == 403
        assert (
            client.post(extra_time_url(enrolled), {"extra_time_percent": "50"}).status_code == 403
        )
    client.logout()
    assert client.post(extra_time_url(enrolled), {"extra_time_percent": "50"}).status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.extra_time_percent == 0


def test_extra_time_of_another_courses_learner_is_404(client, instructor, enrolled, make_course):
    other = make_course()
    other.instructors.add(instructor)
    client.force_login(instructor)
    url = reverse("courses:extra_time", kwargs={"slug": other.slug, "enrollment": enrolled.pk})
    assert client.get(url).status_code == 404


def test_extra_time_is_editable_in_the_admin(client, make_user, enrolled):
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("admin:courses_enrollment_changelist")).content.decode()
    assert 'name="form-0-extra_time_percent"' in page
    change = client.get(
        reverse("admin:courses_enrollment_change", args=[enrolled.pk])
    ).content.decode()
    assert 'name="extra_time_percent"' in change


# --- Queries ------------------------------------------------------------------------------------

# The session comes from the cache. Quiz page: user, the attempt with its lesson and course
# (one query), its saved answers. Result page: the same, and the count of attempts used.
QUIZ_PAGE_QUERIES = 3
RESULT_PAGE_QUERIES = 4


# A quiz's submission (issue 20): the user, the attempt (alone: quizzes.selectors.attempt_own),
# then in one transaction: the attempt and its enrolment locked, its answers, every answer
# written with its result, the attempt's result, the course's state (a pass: one query), the
# completion (a pass that completes the course); BEGIN and COMMIT (savepoints here, in the
# test's own transaction) counted.
SUBMIT_QUERIES = 10


@pytest.mark.parametrize("completes", [True, False])
@pytest.mark.parametrize("questions", [5, 20])
@pytest.mark.parametrize("autosaved", [0, 3])
def test_a_passing_submission_costs_ten_queries_whether_or_not_it_completes_the_course(
    learner_client,
    learner,
    make_course,
    make_item,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
    completes,
    questions,
    autosaved,
):
    """``autosaved``: answers saved as given before the submission (the first one wrong, then
    put right by the submission; the others unchanged)."""
    from courses.models import CourseCompletion
    from courses.progress.services import enrollment_create, lesson_mark_complete

    course = make_course(modules=1, lessons=1 if completes else 2, quiz_questions=questions)
    enrollment, _created = enrollment_create(user=learner, course=course)
    lesson = first_lesson(course)
    for _ in range(questions):
        make_item(lesson)
    lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    attempt = start(learner_client, lesson)
    for position in range(autosaved):
        choice = (
            wrong_display(attempt, position) if position == 0 else key_display(attempt, position)
        )
        saved = learner_client.post(
            attempt_url(attempt, "quiz_answer"), {"position": position, "choice": choice}
        )
        assert saved.status_code == 200
    with (
        django_capture_on_commit_callbacks(execute=False),
        django_assert_max_num_queries(SUBMIT_QUERIES),
    ):
        response = learner_client.post(attempt_url(attempt), form_data(attempt, right=questions))
    assert response.status_code == 302
    assert response.url == attempt_url(attempt, "quiz_result")
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (questions, True)
    assert attempt.answers.filter(is_correct=True).count() == questions
    assert attempt.answers.count() == questions
    assert CourseCompletion.objects.filter(enrollment=enrollment).exists() is completes


# A start (the heaviest step of an exam hour, issue 20): the user, the lesson with its course,
# the enrolment; then in one transaction: an open attempt (locked), the enrolment locked, an
# open attempt again (made while this start waited), the last attempt's number and questions
# with how many there are, the bank's approved items, the items drawn, the new attempt; BEGIN
# and COMMIT (savepoints here). SQLite, without row locks, adds a savepoint for the insert.
START_QUERIES = 12


@pytest.mark.postgres
@pytest.mark.parametrize("before", [0, 2])
def test_a_start_costs_twelve_queries_whatever_the_attempts_before(
    learner_client, enrolled, lesson, make_item, django_assert_num_queries, before
):
    from courses.models import Course
    from courses.progress.services import lesson_mark_complete

    Course.objects.filter(pk=enrolled.course_id).update(max_attempts=None)
    for _ in range(10):
        make_item(lesson)
    lesson_mark_complete(enrollment=enrolled, lesson=lesson)
    for _ in range(before):
        attempt = start(learner_client, lesson)
        learner_client.post(attempt_url(attempt), form_data(attempt, right=0))
    with django_assert_num_queries(START_QUERIES):
        response = learner_client.post(start_url(lesson))
    attempt = QuizAttempt.objects.latest("pk")
    assert response.url == attempt_url(attempt)
    assert attempt.number == before + 1
    assert attempt.submitted_at is None


@pytest.mark.parametrize("bank", [10, 200])
def test_quiz_and_result_pages_cost_the_same_whatever_the_bank(
    learner_client, enrolled, lesson, make_item, django_assert_max_num_queries, bank
):
    """Ten approved items or two hundred: the same queries for the quiz and its result."""
    for _ in range(bank):
        make_item(lesson)
    attempt = start(learner_client, lesson)
    for position in range(3):
        learner_client.post(
            attempt_url(attempt, "quiz_answer"),
            {"position": position, "choice": key_display(attempt, position)},
        )
    with django_assert_max_num_queries(QUIZ_PAGE_QUERIES):
        assert learner_client.get(attempt_url(attempt)).status_code == 200
    learner_client.post(attempt_url(attempt), form_data(attempt, right=7))
    with django_assert_max_num_queries(RESULT_PAGE_QUERIES):
        page = learner_client.get(attempt_url(attempt, "quiz_result"))
    assert page.status_code == 200
    assert page.content.decode().count('class="feedback ') == 10
