"""A PreparedQuery gives the rows its queryset gives, for each call's own values, converted as
the ORM converts them; it refuses what it cannot run again (courses.system.prepared)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from courses.models import CourseCompletion, Enrollment, LessonProgress, QuizAttempt
from courses.progress.services import enrollment_create
from courses.system.prepared import PreparedQuery, PreparedQueryError

pytestmark = pytest.mark.django_db


def progress_rows(user_id, course_id):
    return (
        Enrollment.objects.filter(user_id=user_id, course_id=course_id)
        .order_by("lesson_progress__lesson_id")
        .values_list(
            "id",
            "enrolled_at",
            "completion__completed_at",
            "lesson_progress__lesson_id",
            "lesson_progress__lesson_version",
        )
    )


def attempt_rows(enrollment_id, lesson_id):
    return (
        QuizAttempt.objects.filter(enrollment_id=enrollment_id, lesson_id=lesson_id)
        .order_by("-number")
        .values_list("number", "started_at", "submitted_at", "passed", "points", "items")
    )


@pytest.fixture
def two_learners(make_user, make_course):
    course = make_course(modules=1, lessons=3)
    lessons = list(course.modules.get().lessons.order_by("position"))
    first, _ = enrollment_create(user=make_user(), course=course)
    second, _ = enrollment_create(user=make_user(), course=course)
    for lesson in lessons[:2]:
        LessonProgress.objects.create(
            enrollment=first, lesson=lesson, lesson_version=3, completed_at=timezone.now()
        )
    CourseCompletion.objects.create(enrollment=first, completed_at=timezone.now())
    return course, lessons, first, second


def test_the_rows_are_the_querysets_for_each_calls_own_values(two_learners):
    course, _lessons, first, second = two_learners
    prepared = PreparedQuery(progress_rows)
    for enrollment in (first, second, first):
        rows = prepared.rows(user_id=enrollment.user_id, course_id=course.pk)
        assert rows == list(progress_rows(enrollment.user_id, course.pk))
    # Another learner's rows are never those of the learner compiled first.
    assert {row[0] for row in prepared.rows(user_id=second.user_id, course_id=course.pk)} == {
        second.pk
    }
    assert prepared.rows(user_id=first.user_id, course_id=course.pk + 1000) == []


def test_values_are_converted_as_the_orm_converts_them(two_learners):
    """Aware datetimes (SQLite stores text), booleans (SQLite stores 0/1), decimals and JSON,
    and the NULLs of a LEFT JOIN."""
    course, lessons, first, second = two_learners
    started = timezone.now() - timedelta(minutes=5)
    for number, passed in ((1, False), (2, True)):
        QuizAttempt.objects.create(
            enrollment=first,
            lesson=lessons[0],
            number=number,
            started_at=started,
            submitted_at=started + timedelta(minutes=number),
            items=[{"item": number, "options": ["a", "b"]}],
            total=2,
            score=number,
            passed=passed,
            points=Decimal("1.50") * number,
            pass_mark=80,
        )
    prepared = PreparedQuery(attempt_rows)
    rows = prepared.rows(enrollment_id=first.pk, lesson_id=lessons[0].pk)
    assert rows == list(attempt_rows(first.pk, lessons[0].pk))
    assert [row[0] for row in rows] == [2, 1]
    number, started_at, _submitted, passed, points, items = rows[0]
    assert started_at == started
    assert started_at.tzinfo is not None
    assert passed is True
    assert rows[1][3] is False
    assert points == Decimal("3.00")
    assert items == [{"item": 2, "options": ["a", "b"]}]
    (row,) = PreparedQuery(progress_rows).rows(user_id=second.user_id, course_id=course.pk)
    assert row[2:] == (None, None, None)


def test_it_runs_in_the_callers_transaction_and_is_counted(two_learners, django_assert_num_queries):
    course, lessons, _first, second = two_learners
    prepared = PreparedQuery(progress_rows)
    prepared.rows(user_id=second.user_id, course_id=course.pk)
    with transaction.atomic():
        LessonProgress.objects.create(
            enrollment=second, lesson=lessons[2], lesson_version=1, completed_at=timezone.now()
        )
        with django_assert_num_queries(1):
            rows = prepared.rows(user_id=second.user_id, course_id=course.pk)
        assert [row[3] for row in rows] == [lessons[2].pk]


def test_what_cannot_be_run_again_is_refused(two_learners):
    _course, _lessons, first, _second = two_learners
    with pytest.raises(PreparedQueryError, match="values_list"):
        PreparedQuery(lambda pk: Enrollment.objects.filter(pk=pk)).rows(pk=first.pk)
    with pytest.raises(PreparedQueryError, match="transformed"):
        # The ORM wraps it in %...%: a value of its own no more.
        PreparedQuery(
            lambda title: QuizAttempt.objects.filter(lesson__title__contains=title).values_list(
                "pk"
            )
        ).rows(title="syndrome")
    with pytest.raises(PreparedQueryError, match="an int or a str"):
        PreparedQuery(
            lambda passed: QuizAttempt.objects.filter(passed=passed).values_list("pk")
        ).rows(passed=True)
    prepared = PreparedQuery(progress_rows)
    with pytest.raises(TypeError):
        prepared.rows(user_id=first.user_id)


def test_a_constant_like_a_stand_in_and_a_small_column_are_no_trouble(two_learners):
    """The stand-ins are small ints (any integer column's range): a constant equal to one is
    still a constant, and a filter on a small-integer column (the attempt's number) works."""
    _course, lessons, first, _second = two_learners
    attempt = QuizAttempt.objects.create(
        enrollment=first, lesson=lessons[0], number=7, items=[], total=1, pass_mark=80
    )
    prepared = PreparedQuery(
        lambda enrollment_id, number: QuizAttempt.objects.filter(
            enrollment_id=enrollment_id, number=number, total__lt=30_001
        ).values_list("pk")
    )
    assert prepared.rows(enrollment_id=first.pk, number=7) == [(attempt.pk,)]
    assert prepared.rows(enrollment_id=first.pk, number=8) == []


def test_an_int_no_column_holds_finds_nothing_without_a_query(
    two_learners, django_assert_num_queries
):
    """As a tampered address may carry (the ORM answers the same, and SQLite could not take
    it)."""
    course, _lessons, first, _second = two_learners
    prepared = PreparedQuery(progress_rows)
    prepared.rows(user_id=first.user_id, course_id=course.pk)
    with django_assert_num_queries(0):
        assert prepared.rows(user_id=10**30, course_id=course.pk) == []
