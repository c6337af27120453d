"""Reads of quiz taking: a lesson's quiz summary, an attempt as shown and as graded, history.

What an unsubmitted attempt's page gets (``attempt_questions``) holds the stems and the
options in the order shown, and nothing else of the item: no key, no explanation, no source,
so that no template can leak them by mistake. Each read costs a fixed number of queries,
whatever the size of the lesson's bank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    AttemptAnswer,
    Course,
    Enrollment,
    Lesson,
    QuestionItem,
    QuizAttempt,
    User,
)
from courses.system.prepared import PreparedQuery

from . import scoring
from .scoring import Question


def _grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


@dataclass(frozen=True)
class AttemptRow:
    pk: int
    number: int
    started_at: datetime
    submitted_at: datetime | None
    deadline: datetime | None
    score: int | None
    total: int
    passed: bool | None
    points: Decimal | None = None  # with partial credit; None: the score

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.total:
            return None
        earned = self.points if self.points is not None else self.score
        return round(100 * earned / self.total)

    def resumable(self, *, at: datetime) -> bool:
        """Not submitted, and its time (if limited) not run out."""
        if self.submitted_at is not None:
            return False
        return self.deadline is None or at <= self.deadline + _grace()


@dataclass(frozen=True)
class QuizSummary:
    """What the lesson page says about its quiz, for one learner (or for course staff)."""

    questions: int  # in an attempt: the course's size, or fewer when the bank's families are
    pass_mark: int
    required: int  # correct answers that pass an attempt of ``questions``
    time_limit: int | None
    time_allowed: timedelta | None  # with the learner's extra time
    extra_time_percent: int
    attempts_allowed: int | None
    attempts: tuple[AttemptRow, ...]
    in_progress: AttemptRow | None
    # Not submitted, its time run out: graded (on its saved answers) once submitted or when
    # the next attempt starts.
    timed_out: AttemptRow | None

    @property
    def time_allowed_label(self) -> str:
        """ "19 min 57 s": the same abbreviations in French and in English."""
        if self.time_allowed is None:
            return ""
        minutes, seconds = divmod(int(self.time_allowed.total_seconds()), 60)
        return f"{minutes}\u00a0min {seconds}\u00a0s" if seconds else f"{minutes}\u00a0min"

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int | None:
        if self.attempts_allowed is None:
            return None
        return max(0, self.attempts_allowed - self.attempts_used)

    @property
    def can_start(self) -> bool:
        return self.in_progress is not None or self.attempts_left != 0

    @property
    def best(self) -> AttemptRow | None:
        graded = [row for row in self.attempts if row.percent is not None]
        return max(graded, key=lambda row: (row.percent, row.number), default=None)

    @property
    def passed(self) -> bool:
        return any(row.passed for row in self.attempts)


def families_aggregates(prefix: str = "") -> dict[str, Count]:
    """Aggregates whose sum (``families`` + ``alone``) is how many facts approved items ask:
    their families, an item without a family counting alone. ``prefix`` reaches the items
    from another model ("items__" from a lesson)."""
    approved = Q(**{f"{prefix}status": QuestionItem.Status.APPROVED})
    alone = Q(**{f"{prefix}family": ""})
    return {
        "families": Count(f"{prefix}family", distinct=True, filter=approved & ~alone),
        "alone": Count(f"{prefix}id", filter=approved & alone),
    }


def quiz_families(*, lesson: Lesson) -> int:
    """How many facts the lesson's approved items ask (one query). An attempt draws one item
    of each at most; none, the lesson has no quiz."""
    counts = QuestionItem.objects.filter(lesson=lesson).aggregate(**families_aggregates())
    return counts["families"] + counts["alone"]


def attempt_size(*, course: Course, families: int) -> int:
    """The questions of an attempt: the course's setting, or every family when fewer."""
    return min(families, course.quiz_questions)


# A learner's attempts at a lesson's quiz, on every lesson page.
_ATTEMPT_ROWS = PreparedQuery(
    lambda enrollment_id, lesson_id: (
        QuizAttempt.objects.filter(enrollment_id=enrollment_id, lesson_id=lesson_id)
        .order_by("number")
        .values_list(
            "pk",
            "number",
            "started_at",
            "submitted_at",
            "deadline",
            "score",
            "total",
            "passed",
            "points",
        )
    )
)


def _attempt_rows(*, enrollment: Enrollment, lesson: Lesson) -> tuple[AttemptRow, ...]:
    return tuple(
        AttemptRow(*values)
        for values in _ATTEMPT_ROWS.rows(enrollment_id=enrollment.pk, lesson_id=lesson.pk)
    )


def quiz_summary(
    *, lesson: Lesson, course: Course, enrollment: Enrollment | None, families: int | None = None
) -> QuizSummary | None:
    """The lesson's quiz for the learner; None when it has none. Two queries at most; one
    when ``families`` (quiz_families) is given."""
    if families is None:
        families = quiz_families(lesson=lesson)
    questions = attempt_size(course=course, families=families)
    if not questions:
        return None
    attempts = () if enrollment is None else _attempt_rows(enrollment=enrollment, lesson=lesson)
    extra = enrollment.extra_time_percent if enrollment is not None else 0
    now = timezone.now()
    return QuizSummary(
        questions=questions,
        pass_mark=course.pass_mark,
        required=scoring.required_correct(pass_mark=course.pass_mark, total=questions),
        time_limit=lesson.quiz_time_limit,
        time_allowed=(
            timedelta(minutes=lesson.quiz_time_limit) * (100 + extra) / 100
            if lesson.quiz_time_limit
            else None
        ),
        extra_time_percent=extra,
        attempts_allowed=course.max_attempts,
        attempts=attempts,
        in_progress=next((row for row in attempts if row.resumable(at=now)), None),
        timed_out=next(
            (row for row in attempts if row.submitted_at is None and not row.resumable(at=now)),
            None,
        ),
    )


def attempt_get(*, pk: int, user: User, slug: str) -> QuizAttempt | None:
    """The user's own attempt, with its lesson and course (one query); None for anyone else's."""
    if not user.is_authenticated:
        return None
    # By its key, so unordered and get(): the model's ordering would sort through the lesson,
    # module and course, and first() by the key (costly to build, for one row: 0.15 ms).
    try:
        return (
            QuizAttempt.objects.select_related("lesson__module__course")
            .order_by()
            .get(pk=pk, enrollment__user=user, lesson__module__course__slug=slug)
        )
    except QuizAttempt.DoesNotExist:
        return None


# The attempt's own columns, and its course's setting for the questions' labels.
_ATTEMPT_COLUMNS = tuple(field.attname for field in QuizAttempt._meta.concrete_fields)
_OWN_ATTEMPT = PreparedQuery(
    lambda pk, user_id, slug: QuizAttempt.objects.filter(
        pk=pk, enrollment__user_id=user_id, lesson__module__course__slug=slug
    ).values_list(*_ATTEMPT_COLUMNS, "lesson__module__course__multiple_count_shown")
)


def attempt_own(*, pk: int, user: User, slug: str) -> tuple[QuizAttempt, bool] | None:
    """The user's own attempt without its lesson and course, for a submission or an answer
    saved (the URL names the course), and whether its course shows how many options a
    multiple-response question wants; None for anyone else's. One prepared query: 0.3 ms
    where attempt_get takes 1.4 (bench/run.py --profile)."""
    if not user.is_authenticated:
        return None
    rows = _OWN_ATTEMPT.rows(pk=pk, user_id=user.pk, slug=slug)
    if not rows:
        return None
    *values, count_shown = rows[0]
    return QuizAttempt.from_db(QuizAttempt.objects.db, _ATTEMPT_COLUMNS, values), count_shown


# What grading and feedback read of an answer.
ANSWERS_SAVED = AttemptAnswer.objects.only(
    "position", "option", "options", "is_correct", "answered_at", "attempt_id"
)


def attempt_answers(*, attempt: QuizAttempt) -> dict[int, AttemptAnswer]:
    """The answers saved, by question position (one query)."""
    return {answer.position: answer for answer in ANSWERS_SAVED.filter(attempt=attempt)}


def attempt_seconds_left(*, attempt: QuizAttempt, at: datetime | None = None) -> int | None:
    """Whole seconds until the deadline (0 once past); None without a time limit."""
    if attempt.deadline is None:
        return None
    left = (attempt.deadline - (at or timezone.now())).total_seconds()
    return max(0, int(left))


def attempt_time_is_up(*, attempt: QuizAttempt, at: datetime | None = None) -> bool:
    return attempt.deadline is not None and (at or timezone.now()) > attempt.deadline


def attempt_was_late(*, attempt: QuizAttempt) -> bool:
    """Submitted after the deadline and its grace: graded on the answers saved in time."""
    return (
        attempt.deadline is not None
        and attempt.submitted_at is not None
        and attempt.submitted_at > attempt.deadline + _grace()
    )


@dataclass(frozen=True)
class QuestionShown:
    """A question as the quiz page shows it: stem and options in the order shown. No key."""

    position: int
    stem: str
    choices: tuple[tuple[int, str], ...]  # (position on the page, text)
    selected: int | None  # position on the page of the option saved, if any
    # A multiple-response question: checkboxes, every position saved, and how many to tick
    # when the course says so (nothing else of the keys).
    multiple: bool = False
    selected_many: tuple[int, ...] = ()
    keys_count: int | None = None

    @property
    def number(self) -> int:
        return self.position + 1


def attempt_questions(
    *, attempt: QuizAttempt, answers: dict[int, AttemptAnswer], show_count: bool = False
) -> list[QuestionShown]:
    """What the quiz page may know of each question (no query). ``show_count``: a
    multiple-response question says how many options are right (the course's setting)."""
    questions: list[Question] = attempt.items
    shown = []
    for position, question in enumerate(questions):
        snapshot = question["snapshot"]
        options = snapshot["options"]
        saved = answers.get(position)
        multiple = scoring.is_multiple(snapshot)
        many: tuple[int, ...] = ()
        if multiple and saved is not None:
            chosen = saved.options if saved.options is not None else [saved.option]
            many = tuple(
                sorted(
                    display
                    for display in (scoring.display_for_option(question, o) for o in chosen)
                    if display is not None
                )
            )
        shown.append(
            QuestionShown(
                position=position,
                stem=snapshot["stem"],
                choices=tuple(
                    (display, options[option]) for display, option in enumerate(question["order"])
                ),
                selected=(
                    scoring.display_for_option(question, saved.option)
                    if saved is not None and not multiple
                    else None
                ),
                multiple=multiple,
                selected_many=many,
                keys_count=len(scoring.keys_of(snapshot)) if multiple and show_count else None,
            )
        )
    return shown


@dataclass(frozen=True)
class OptionFeedback:
    text: str
    chosen: bool
    key: bool


@dataclass(frozen=True)
class QuestionFeedback:
    position: int
    stem: str
    options: tuple[OptionFeedback, ...]
    answered: bool
    correct: bool
    explanation: str
    sentence: str
    passage_url: str | None  # None when the lesson no longer has the sentence
    withheld: bool = False  # the right answer not shown yet (the course's review setting)
    multiple: bool = False  # a multiple-response question: several answers, several keys

    @property
    def quotes_sentence(self) -> bool:
        """The explanation already quotes the source sentence: it is shown once."""
        return bool(self.sentence) and self.sentence in self.explanation

    @property
    def number(self) -> int:
        return self.position + 1


@dataclass(frozen=True)
class QuizRecord:
    """A learner's attempts at one quiz: how many, and whether one passed."""

    used: int
    passed: bool


def attempt_record(*, attempt: QuizAttempt) -> QuizRecord:
    """The learner's record at this attempt's quiz (one query)."""
    found = QuizAttempt.objects.filter(
        enrollment_id=attempt.enrollment_id, lesson_id=attempt.lesson_id
    ).aggregate(used=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    return QuizRecord(used=found["used"], passed=bool(found["passed"]))


def answers_released(*, attempt: QuizAttempt, record: QuizRecord) -> bool:
    """Whether the learner may see the right answers of her attempts at this quiz, as the
    course's review setting says: once she has passed it, once no attempt is left (never with
    unlimited attempts), or never."""
    course = attempt.lesson.module.course
    release = course.review_release
    if release == Course.ReviewRelease.AFTER_PASS:
        return record.passed
    if release == Course.ReviewRelease.AFTER_LAST_ATTEMPT:
        return course.max_attempts is not None and record.used >= course.max_attempts
    return False


def attempt_feedback(
    *, attempt: QuizAttempt, answers: dict[int, AttemptAnswer], released: bool = True
) -> list[QuestionFeedback]:
    """Each question of a submitted attempt with the choice, the key, the explanation and a
    link to its source in the lesson (no query: the lesson comes with ``attempt_get``).

    Not ``released`` (answers_released), a question answered wrong keeps its right option,
    explanation and source sentence to itself (they hold the key): ``withheld``, with only the
    link to the passage to re-read."""
    lesson = attempt.lesson
    lesson_url = reverse(
        "courses:lesson", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
    )
    questions: list[Question] = attempt.items
    feedback = []
    for position, question in enumerate(questions):
        snapshot = question["snapshot"]
        saved = answers.get(position)
        chosen: frozenset[int] = frozenset()
        if saved is not None:
            chosen = frozenset(saved.options if saved.options is not None else [saved.option])
        keys = scoring.keys_of(snapshot)
        located = scoring.sentence_locate(
            lesson.text,
            sentence=snapshot["source_sentence"],
            start=snapshot["source_start"],
            end=snapshot["source_end"],
        )
        correct = bool(saved is not None and saved.is_correct)
        withheld = not (released or correct)
        feedback.append(
            QuestionFeedback(
                position=position,
                stem=snapshot["stem"],
                options=tuple(
                    OptionFeedback(
                        text=snapshot["options"][option],
                        chosen=option in chosen,
                        key=option in keys and not withheld,
                    )
                    for option in question["order"]
                ),
                answered=saved is not None,
                correct=correct,
                multiple=scoring.is_multiple(snapshot),
                explanation="" if withheld else snapshot["explanation"],
                sentence="" if withheld else snapshot["source_sentence"],
                withheld=withheld,
                passage_url=(
                    f"{lesson_url}?passage={attempt.pk}-{position}#passage" if located else None
                ),
            )
        )
    return feedback


@dataclass(frozen=True)
class Passage:
    """The source of one question of a submitted attempt, to highlight in the lesson."""

    sentence: str
    span: tuple[int, int] | None  # where it is in the lesson's current text; None if gone
    number: int  # the question's number in the attempt
    result_url: str


def passage_get(*, reference: str, user: User, lesson: Lesson) -> Passage | None:
    """The passage ``"<attempt>-<position>"`` refers to, for the attempt's owner only.

    Only for a submitted attempt at this lesson: before submission, the source sentence of a
    gap-fill question is its answer. None for anything else (one query at most).
    """
    attempt_pk, _dash, position_text = reference.partition("-")
    if not (attempt_pk.isdigit() and position_text.isdigit()) or not user.is_authenticated:
        return None
    position = int(position_text)
    attempt = (
        QuizAttempt.objects.filter(
            pk=int(attempt_pk),
            enrollment__user=user,
            lesson=lesson,
            submitted_at__isnull=False,
        )
        .only("pk", "items")
        .order_by()
        .first()
    )
    if attempt is None or position >= len(attempt.items):
        return None
    snapshot = attempt.items[position]["snapshot"]
    return Passage(
        sentence=snapshot["source_sentence"],
        span=scoring.sentence_locate(
            lesson.text,
            sentence=snapshot["source_sentence"],
            start=snapshot["source_start"],
            end=snapshot["source_end"],
        ),
        number=position + 1,
        result_url=reverse(
            "courses:quiz_result",
            kwargs={"slug": lesson.module.course.slug, "pk": attempt.pk},
        ),
    )


def course_enrollments(*, course: Course) -> QuerySet[Enrollment]:
    """The course's learners with their extra time, for course staff (one query)."""
    return (
        Enrollment.objects.filter(course=course)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def enrollment_in_course(*, course: Course, pk: int) -> Enrollment | None:
    return Enrollment.objects.select_related("user").filter(course=course, pk=pk).first()
