"""Writes of learners' progress, and of what completing a course takes (its settings)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.catalog.selectors import course_outline
from courses.certificates.services import certificate_request, certificates_request
from courses.models import (
    Course,
    CourseCompletion,
    Enrollment,
    Lesson,
    LessonProgress,
    QuizAttempt,
    User,
)
from courses.models.catalog import (
    QUIZ_QUESTIONS_MAX,
    QUIZ_QUESTIONS_MIN,
    SATISFACTION_QUESTION_LENGTH,
    SATISFACTION_QUESTIONS_MAX,
)

from . import rules
from .selectors import completion_reading, completion_states_many


def enrollment_create(*, user: User, course: Course) -> tuple[Enrollment, bool]:
    """Enrol a learner; enrolling twice (double click, two tabs) returns the same enrolment."""
    try:
        with transaction.atomic():
            return Enrollment.objects.get_or_create(user=user, course=course)
    except IntegrityError:
        # Another request enrolled the same learner between our read and our insert.
        return Enrollment.objects.get(user=user, course=course), False


def enrollment_touch(*, enrollment: Enrollment, lesson: Lesson) -> None:
    """Remember the lesson the learner is reading, for "resume"; no write when nothing moved."""
    now = timezone.now()
    stale = (
        enrollment.last_activity_at is None
        or (now - enrollment.last_activity_at).total_seconds() > 300
    )
    if enrollment.last_lesson_id == lesson.pk and not stale:
        return
    enrollment.last_lesson = lesson
    enrollment.last_activity_at = now
    Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson, last_activity_at=now)


def enrollment_lock(*, pk: int) -> Enrollment:
    """The enrolment, with its course and completion, its row locked until the transaction
    ends (one query; inside a transaction).

    The enrolment's row is the learner's lock in the course: whatever can complete it (a
    lesson read, a quiz passed) or start an attempt takes it first (attempt_submit takes it
    with the attempt's), so that the learner's steps in a course run one after the other."""
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course", "completion")
        .get(pk=pk)
    )


def lesson_mark_complete(*, enrollment: Enrollment, lesson: Lesson) -> LessonProgress:
    """Record that the learner read the lesson's current text.

    Safe to repeat (double submit, two tabs): the first reading of a version keeps its date.
    """
    now = timezone.now()
    defaults = {"lesson_version": lesson.version, "completed_at": now}
    with transaction.atomic():
        locked = enrollment_lock(pk=enrollment.pk)
        progress, created = LessonProgress.objects.get_or_create(
            enrollment=locked, lesson=lesson, defaults=defaults
        )
        if not created and progress.lesson_version != lesson.version:
            progress.lesson_version = lesson.version
            progress.completed_at = now
            progress.save(update_fields=["lesson_version", "completed_at"])
        Enrollment.objects.filter(pk=locked.pk).update(last_activity_at=now, last_lesson=lesson)
        completion_record_if_due(enrollment=locked)
    return progress


def completion_record_if_due(*, enrollment: Enrollment) -> CourseCompletion | None:
    """Record the course's completion the moment its last condition is met.

    Called, inside their transaction, by what can complete a course (a lesson marked read, a
    quiz passed), which holds the enrolment's lock (enrollment_lock): of two steps meeting the
    last two conditions at once (two quizzes passed in two tabs), the second waits for the
    first to commit, then reads its write, so one of them records the completion. A
    completion, once recorded, stands: nothing here or elsewhere takes it back (a later
    re-import may add lessons; the learner keeps the completion and its certificate).
    Recording it also owes a certificate, published once the transaction commits.

    Reads the course and the completion from ``enrollment`` when they came with it (as
    enrollment_lock gives them), then everything else in one query.
    """
    try:
        known = enrollment.completion
    except CourseCompletion.DoesNotExist:
        known = None
    if known is not None:
        return known
    course = enrollment.course
    # Read afresh: the completion known above may be from before a wait for the lock.
    reading = completion_reading(enrollment=enrollment, outline=course_outline(course=course))
    if reading.completed:
        return CourseCompletion.objects.get(enrollment=enrollment)
    if not rules.course_complete(reading.states, rule=course.completion_rule):
        return None
    completion = CourseCompletion(
        enrollment=enrollment, completed_at=timezone.now(), rule=course.completion_rule
    )
    # One statement, no savepoint: should a change to the course have recorded this learner's
    # completion a moment ago (completions_recheck holds no learner's lock), its row stays as
    # it was and comes back here; its certificate is owed once (the issue is idempotent).
    CourseCompletion.objects.bulk_create(
        [completion],
        update_conflicts=True,
        unique_fields=["enrollment"],
        update_fields=["enrollment"],
    )
    certificate_request(completion=completion)
    return completion


def completions_recheck(*, course: Course, chunk: int = 1000) -> int:
    """Record the completions that a change to the course itself has just made due.

    A learner completes by their own step (a lesson read, a quiz passed), but the course can
    also move under them: staff switch to "quizzes_only", reject a lesson's last approved
    question (the lesson has no quiz any more), or a re-import archives a lesson. Whoever then
    meets every condition has completed at that moment, so the change's own transaction records
    it (never a periodic job), with the certificate it owes, under the same rules as a
    learner's step. Only learners who did anything are looked at (no lesson read and no quiz
    passed completes nothing); their states are read in three queries per ``chunk`` learners,
    and only those now complete cost more. Returns how many completions were recorded.
    """
    read = LessonProgress.objects.filter(enrollment=OuterRef("pk"))
    passed = QuizAttempt.objects.filter(enrollment=OuterRef("pk"), passed=True)
    candidates = list(
        Enrollment.objects.filter(course=course, completion__isnull=True)
        .filter(Exists(read) | Exists(passed))
        .order_by("pk")
    )
    if not candidates:
        return 0
    outline = course_outline(course=course)
    recorded: list[int] = []
    for start in range(0, len(candidates), chunk):
        batch = candidates[start : start + chunk]
        states = completion_states_many(enrollment_ids=[e.pk for e in batch], outline=outline)
        done = [
            enrollment
            for enrollment in batch
            if rules.course_complete(states[enrollment.pk], rule=course.completion_rule)
        ]
        recorded += _completions_insert(enrollments=done, rule=course.completion_rule)
    certificates_request(completion_ids=recorded)
    return len(recorded)


def _completions_insert(*, enrollments: list[Enrollment], rule: str) -> list[int]:
    """Insert these completions in one statement; the ids of those inserted.

    Should a learner's own step have recorded one meanwhile (the unique enrolment), the batch
    falls back to one insert each, and that learner keeps the completion already there.
    """
    if not enrollments:
        return []
    now = timezone.now()
    try:
        with transaction.atomic():
            rows = CourseCompletion.objects.bulk_create(
                CourseCompletion(enrollment=enrollment, completed_at=now, rule=rule)
                for enrollment in enrollments
            )
        return [row.pk for row in rows]
    except IntegrityError:
        inserted = []
        for enrollment in enrollments:
            try:
                with transaction.atomic():
                    row = CourseCompletion.objects.create(
                        enrollment=enrollment, completed_at=now, rule=rule
                    )
            except IntegrityError:
                continue
            inserted.append(row.pk)
        return inserted


# --- a course's settings ----------------------------------------------------------------------

CONTACT_HOURS_MIN = Decimal("0.5")
PASS_MARK_MIN = 1
PASS_MARK_MAX = 100


def satisfaction_questions_parse(text: str) -> list[str]:
    """Course staff's questions, one a line (blank lines dropped). ValidationError beyond ten
    questions or for a question over 200 characters."""
    questions = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if len(questions) > SATISFACTION_QUESTIONS_MAX:
        raise ValidationError(_("Ask at most ten questions."))
    if any(len(question) > SATISFACTION_QUESTION_LENGTH for question in questions):
        raise ValidationError(_("Keep each question under 200 characters."))
    return questions


def course_settings_update(
    *,
    course: Course,
    contact_hours: Decimal,
    completion_rule: str,
    certificate_validity_months: int | None,
    pass_mark: int,
    max_attempts: int | None,
    review_release: str | None = None,
    quiz_questions: int | None = None,
    training_nature: str | None = None,
    satisfaction_questions: list[str] | None = None,
    partial_credit: bool | None = None,
    multiple_count_shown: bool | None = None,
) -> int:
    """Set what completing the course takes and what its certificates will say.

    Raises ValidationError (by field) for hours under half an hour, a pass mark outside
    1..100, questions per attempt outside 5..50, an unknown completion rule, or a validity or
    a number of attempts under one. ``review_release``, ``quiz_questions``,
    ``training_nature`` and ``satisfaction_questions`` left out (None) keep their value.
    Attempts already started keep their questions and their pass mark.
    Certificates already issued keep what they print; completions already recorded stand.
    A change of rule completes, in the same transaction, the learners who now meet it: returns
    how many.
    """
    errors: dict[str, str] = {}
    if contact_hours < CONTACT_HOURS_MIN:
        errors["contact_hours"] = _("A course lasts at least half an hour.")
    elif contact_hours != contact_hours.quantize(Decimal("0.1")) or contact_hours >= 10_000:
        errors["contact_hours"] = _("Give the hours with at most one decimal, under 10,000.")
    if not PASS_MARK_MIN <= pass_mark <= PASS_MARK_MAX:
        errors["pass_mark"] = _("The pass mark is a percentage between 1 and 100.")
    if completion_rule not in Course.CompletionRule.values:
        errors["completion_rule"] = _("Choose one of the completion rules.")
    if certificate_validity_months is not None and certificate_validity_months < 1:
        errors["certificate_validity_months"] = _(
            "Leave the validity empty, or give at least one month."
        )
    if max_attempts is not None and max_attempts < 1:
        errors["max_attempts"] = _("Leave the attempts empty, or allow at least one.")
    review_release = review_release or course.review_release
    if quiz_questions is None:
        quiz_questions = course.quiz_questions
    if not QUIZ_QUESTIONS_MIN <= quiz_questions <= QUIZ_QUESTIONS_MAX:
        errors["quiz_questions"] = _("An attempt has between 5 and 50 questions.")
    if review_release not in Course.ReviewRelease.values:
        errors["review_release"] = _("Choose when the right answers are shown.")
    if errors:
        raise ValidationError(errors)
    if training_nature is not None:
        course.training_nature = " ".join(training_nature.split())[:300]
    if partial_credit is not None:
        course.partial_credit = partial_credit
    if multiple_count_shown is not None:
        course.multiple_count_shown = multiple_count_shown
    if satisfaction_questions is not None:
        course.satisfaction_questions = satisfaction_questions_parse(
            "\n".join(satisfaction_questions)
        )
    rule_changed = course.completion_rule != completion_rule
    course.contact_hours = contact_hours
    course.completion_rule = completion_rule
    course.certificate_validity_months = certificate_validity_months
    course.pass_mark = pass_mark
    course.max_attempts = max_attempts
    course.review_release = review_release
    course.quiz_questions = quiz_questions
    with transaction.atomic():
        course.save(
            update_fields=[
                "contact_hours",
                "completion_rule",
                "certificate_validity_months",
                "pass_mark",
                "max_attempts",
                "review_release",
                "quiz_questions",
                "training_nature",
                "satisfaction_questions",
                "partial_credit",
                "multiple_count_shown",
                "updated_at",
            ]
        )
        # Learners who meet the new rule have completed now, not at their next step.
        return completions_recheck(course=course) if rule_changed else 0
