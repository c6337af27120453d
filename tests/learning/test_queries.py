"""The course and lesson pages cost a fixed number of queries, whatever the course's size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Lesson, LessonProgress
from courses.progress.services import enrollment_create, lesson_mark_complete

# The session comes from the cache. Lesson page: user, the learner's enrolment with their
# progress rows (one query), their attempts at the lesson's quiz. On a cold cache, the lesson
# with its course, the count of its approved items and the course outline (cached together
# under the course's stamp: learning.selectors.lesson_page); when the learner moves to another
# lesson, the "resume" bookkeeping update.
LESSON_PAGE_QUERIES = 7
LESSON_PAGE_QUERIES_WARM = 3
# Course page: user, enrolment with progress and completion date, which quizzes the learner
# passed (what is left); on a cold cache (once per change of the course, for everyone), the
# course, the outline and which lessons have a quiz (cached together under its stamp:
# learning.selectors.course_page), and the session if it was evicted too; once the course is
# complete, its certificates (one more, for the banner) and no "what is left".
COURSE_PAGE_QUERIES = 7
COURSE_PAGE_QUERIES_WARM = 4
# Dashboard: user, enrolments with their courses, completions and quiz counts (joined and
# subqueries of one query), progress rows of all, outlines when cold, and the certificates of
# the completed courses (one more than before certificates: tests/certificates/test_dashboard),
# the learner's cohorts and their invitations waiting (two more: tests/cohorts/test_views).
DASHBOARD_QUERIES = 7
DASHBOARD_QUERIES_WARM = 6


def _populate(course, make_user, *, learners: int) -> None:
    """Other learners with progress on every lesson: rows the pages must not touch."""
    lessons = list(Lesson.objects.filter(module__course=course))
    for _ in range(learners):
        enrollment, _created = enrollment_create(user=make_user(), course=course)
        LessonProgress.objects.bulk_create(
            [
                LessonProgress(
                    enrollment=enrollment,
                    lesson=lesson,
                    lesson_version=lesson.version,
                    completed_at="2026-01-01T00:00:00Z",
                )
                for lesson in lessons
            ]
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("modules", "lessons", "learners"), [(1, 2, 0), (6, 15, 40)])
def test_lesson_page_queries_do_not_grow(
    client,
    make_course,
    make_user,
    make_item,
    learner,
    django_assert_max_num_queries,
    modules,
    lessons,
    learners,
):
    """The lesson page costs the same queries for 2 lessons and no one else as for 90 and 40.

    Its quiz too: the same queries for 2 approved items and one attempt as for 30 and 5.
    """
    from courses.quizzes.services import attempt_start, attempt_submit

    course = make_course(modules=modules, lessons=lessons)
    _populate(course, make_user, learners=learners)
    enrollment, _ = enrollment_create(user=learner, course=course)
    all_lessons = list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    )
    for lesson in all_lessons[: len(all_lessons) // 2]:
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    for _ in range(2 if learners == 0 else 30):
        make_item(all_lessons[-1])
    for _ in range(1 if learners == 0 else 5):
        attempt, _created = attempt_start(enrollment=enrollment, lesson=all_lessons[-1])
        attempt_submit(attempt=attempt, answers={})
    client.force_login(learner)
    url = reverse("courses:lesson", kwargs={"slug": course.slug, "pk": all_lessons[-1].pk})
    with django_assert_max_num_queries(LESSON_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(LESSON_PAGE_QUERIES_WARM):
        client.get(url)
    assert all_lessons[-1].title in response.content.decode()
    assert 'aria-labelledby="quiz-title"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("modules", "lessons", "learners"), [(1, 2, 0), (6, 15, 40)])
def test_course_page_queries_do_not_grow(
    client,
    make_course,
    make_user,
    learner,
    django_assert_max_num_queries,
    modules,
    lessons,
    learners,
):
    """The course page costs the same queries for a small and a large course and cohort."""
    course = make_course(modules=modules, lessons=lessons)
    _populate(course, make_user, learners=learners)
    enrollment_create(user=learner, course=course)
    client.force_login(learner)
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES_WARM):
        client.get(course.get_absolute_url())
    assert response.content.decode().count('class="lesson-list__item') == modules * lessons


@pytest.mark.django_db
@pytest.mark.parametrize("courses", [1, 12])
def test_dashboard_queries_do_not_grow(
    client, make_course, learner, django_assert_max_num_queries, courses
):
    """The learner's dashboard costs the same queries for one course or twelve."""
    for _ in range(courses):
        enrollment_create(user=learner, course=make_course(modules=2, lessons=4))
    client.force_login(learner)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 200
    with django_assert_max_num_queries(DASHBOARD_QUERIES_WARM):
        client.get(reverse("courses:dashboard"))
    assert response.content.decode().count("<progress") == courses
