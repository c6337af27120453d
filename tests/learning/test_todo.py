"""Reading and the quiz go together: the lesson's buttons, what is left, and "Reprendre"."""

from __future__ import annotations

import itertools
import re

import pytest
from django.urls import reverse

from courses.models import Course, LessonProgress, QuizAttempt
from courses.progress import rules
from courses.progress.services import lesson_mark_complete
from courses.quizzes.services import attempt_start, attempt_submit
from tests.quizzes.conftest import answers

from .test_views import lesson_url, lessons_of

pytestmark = pytest.mark.django_db


def start_url(course, lesson) -> str:
    return reverse("courses:quiz_start", kwargs={"slug": course.slug, "pk": lesson.pk})


def complete_url(course, lesson) -> str:
    return reverse("courses:lesson_complete", kwargs={"slug": course.slug, "pk": lesson.pk})


def resume_url(course) -> str:
    return reverse("courses:resume", kwargs={"slug": course.slug})


def page_of(client, url) -> str:
    return client.get(url).content.decode()


def quiz_box(page: str) -> str:
    found = re.search(r'<section class="quiz-box".*?</section>', page, re.S)
    assert found, page
    return found.group(0)


def pass_quiz(enrollment, lesson) -> None:
    attempt, _ = attempt_start(enrollment=enrollment, lesson=lesson)
    assert attempt_submit(
        attempt=attempt, answers=answers(attempt, right=attempt.total)
    ).attempt.passed


@pytest.fixture
def quiz_lesson(course, make_item):
    """The course's second lesson, with five approved questions."""
    lesson = lessons_of(course)[1]
    for _ in range(5):
        make_item(lesson)
    return lesson


def test_rules_what_is_left_is_exactly_what_is_not_done():
    """For every state and both rules, a lesson is done exactly when nothing is left of it;
    under "quizzes only" a lesson with a quiz never asks to be read."""
    for read, has_quiz, passed in itertools.product([False, True], repeat=3):
        state = rules.LessonState(lesson_id=1, read=read, has_quiz=has_quiz, quiz_passed=passed)
        for rule in (rules.LESSONS_AND_QUIZZES, rules.QUIZZES_ONLY):
            left = rules.lesson_left(state, rule=rule)
            assert rules.lesson_done(state, rule=rule) is not bool(left)
            assert left.quiz is (has_quiz and not passed)
            if rule == rules.QUIZZES_ONLY and has_quiz:
                assert left.read is False


def test_a_lesson_with_a_quiz_leads_from_reading_to_the_quiz(
    learner_client, course, enrolled, quiz_lesson
):
    """Not read: one primary button, "Lu — passer le quiz", in the quiz's box with its size and
    count to pass; it records the reading and opens the attempt. No "Marquer comme terminée"."""
    page = page_of(learner_client, lesson_url(course, quiz_lesson))
    box = quiz_box(page)
    assert "Lu — passer le quiz" in box
    assert "4 bonnes réponses sur 5" in box
    assert "Marquer comme lue, quiz plus tard" in box
    assert "Marquer comme terminée" not in page

    response = learner_client.post(start_url(course, quiz_lesson), {"read": "1"})

    attempt = QuizAttempt.objects.get(enrollment=enrolled, lesson=quiz_lesson)
    assert response.url == reverse(
        "courses:quiz_attempt", kwargs={"slug": course.slug, "pk": attempt.pk}
    )
    assert LessonProgress.objects.filter(enrollment=enrolled, lesson=quiz_lesson).exists()


def test_the_quiz_can_wait_and_the_learner_is_told_it_is_left(
    learner_client, course, enrolled, quiz_lesson
):
    response = learner_client.post(complete_url(course, quiz_lesson), follow=True)
    following = lessons_of(course)[2]
    assert response.redirect_chain[-1][0] == lesson_url(course, following)
    told = "Leçon lue. Son quiz reste à réussir\u00a0: il se trouve à la fin de la leçon."
    assert told in response.content.decode()
    assert LessonProgress.objects.filter(enrollment=enrolled, lesson=quiz_lesson).exists()
    # Back on the lesson: read, its quiz left, and the quiz to start.
    page = page_of(learner_client, lesson_url(course, quiz_lesson))
    assert "Leçon lue\u00a0: il reste son quiz." in page
    box = quiz_box(page)
    assert "Commencer le quiz" in box
    assert 'name="read"' not in box


def test_a_lesson_without_a_quiz_is_marked_completed(learner_client, course, enrolled, quiz_lesson):
    first = lessons_of(course)[0]
    page = page_of(learner_client, lesson_url(course, first))
    assert "Marquer comme terminée" in page
    assert "Lu — passer le quiz" not in page
    response = learner_client.post(complete_url(course, first), follow=True)
    assert "Leçon marquée comme terminée." in response.content.decode()


def test_a_passed_quiz_of_a_read_lesson_says_so(learner_client, course, enrolled, quiz_lesson):
    lesson_mark_complete(enrollment=enrolled, lesson=quiz_lesson)
    pass_quiz(enrolled, quiz_lesson)
    page = page_of(learner_client, lesson_url(course, quiz_lesson))
    assert "Leçon lue et quiz réussi." in page
    box = quiz_box(page)
    assert "Refaire le quiz" in box
    assert "Lu — passer le quiz" not in box


def test_the_course_page_says_what_is_left_and_links_to_it(
    learner_client, course, enrolled, quiz_lesson
):
    """Six lessons, one with a quiz: all left at first; the quiz's lesson read, its quiz is
    still left, with a badge on the lesson and "Passer le quiz" when it is all that is left."""
    page = page_of(learner_client, course.get_absolute_url())
    assert "Il vous reste 6 leçons à lire et 1 quiz à réussir." in page
    assert f'href="{lesson_url(course, quiz_lesson)}#quiz"' in page  # the badge
    assert "Quiz à réussir" in page

    for lesson in lessons_of(course):
        lesson_mark_complete(enrollment=enrolled, lesson=lesson)
    page = page_of(learner_client, course.get_absolute_url())
    assert "Il vous reste 1 quiz à réussir." in page
    button = re.search(r'<a class="button" href="([^"]+)">\s*(.*?)\s*</a>', page, re.S)
    assert button.groups() == (f"{lesson_url(course, quiz_lesson)}#quiz", "Passer le quiz")

    pass_quiz(enrolled, quiz_lesson)
    page = page_of(learner_client, course.get_absolute_url())
    assert "Il vous reste" not in page
    assert "Quiz à réussir" not in page


def test_resume_goes_to_what_is_left_and_says_what_it_is(
    learner_client, course, enrolled, quiz_lesson
):
    lessons = lessons_of(course)
    # The lesson she was on still has its quiz: back to it, at the quiz, told so.
    lesson_mark_complete(enrollment=enrolled, lesson=quiz_lesson)
    learner_client.get(lesson_url(course, quiz_lesson))
    response = learner_client.get(resume_url(course), follow=True)
    assert response.redirect_chain[0][0] == f"{lesson_url(course, quiz_lesson)}#quiz"
    page = response.content.decode()
    assert "Il vous reste 5 leçons à lire et 1 quiz à réussir." in page
    assert f"Prochaine étape\u00a0: le quiz de «\u00a0{quiz_lesson.title}\u00a0»." in page

    # That lesson done, she is sent to the first lesson with something left: the first one.
    pass_quiz(enrolled, quiz_lesson)
    response = learner_client.get(resume_url(course))
    assert response.url == lesson_url(course, lessons[0])

    # Nothing left: the lesson she last opened.
    for lesson in lessons:
        lesson_mark_complete(enrollment=enrolled, lesson=lesson)
    learner_client.get(lesson_url(course, lessons[4]))
    response = learner_client.get(resume_url(course))
    assert response.url == lesson_url(course, lessons[4])


def test_under_quizzes_only_a_lesson_with_a_quiz_asks_only_its_quiz(
    learner_client, course, enrolled, quiz_lesson
):
    Course.objects.filter(pk=course.pk).update(completion_rule=Course.CompletionRule.QUIZZES_ONLY)
    page = page_of(learner_client, course.get_absolute_url())
    assert "Il vous reste 5 leçons à lire et 1 quiz à réussir." in page


def test_another_learners_progress_changes_nothing(
    learner_client, course, enrolled, quiz_lesson, make_user
):
    """What is left is the learner's own: another's passed quiz does not count for her."""
    from courses.progress.services import enrollment_create

    other, _ = enrollment_create(user=make_user(), course=course)
    lesson_mark_complete(enrollment=other, lesson=quiz_lesson)
    pass_quiz(other, quiz_lesson)
    page = page_of(learner_client, course.get_absolute_url())
    assert "Il vous reste 6 leçons à lire et 1 quiz à réussir." in page


def test_the_cached_course_page_follows_the_quizzes_approved_and_withdrawn(
    learner_client, course, enrolled, quiz_lesson, make_item
):
    """Which lessons have a quiz is cached with the course (learning.selectors.course_page),
    under its stamp: an item approved or withdrawn since shows on the next view."""
    from courses.models import QuestionItem

    assert "et 1 quiz à réussir." in page_of(learner_client, course.get_absolute_url())
    other = lessons_of(course)[3]
    draft = make_item(other, status=QuestionItem.Status.DRAFT)
    assert "et 1 quiz à réussir." in page_of(learner_client, course.get_absolute_url())
    draft.status = QuestionItem.Status.APPROVED
    draft.save()
    page = page_of(learner_client, course.get_absolute_url())
    assert "Il vous reste 6 leçons à lire et 2 quiz à réussir." in page
    assert f'href="{lesson_url(course, other)}#quiz"' in page
    for item in QuestionItem.objects.filter(lesson=quiz_lesson):
        item.status = QuestionItem.Status.REJECTED
        item.save()
    draft.delete()
    page = page_of(learner_client, course.get_absolute_url())
    assert "Il vous reste 6 leçons à lire." in page
    assert "Quiz à réussir" not in page
