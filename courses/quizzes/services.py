"""Writes of quiz taking: starting an attempt, saving an answer, submitting, extra time.

Every write to an attempt's answers and result happens with the attempt's row locked
(``select_for_update``) and its state read again under the lock, so that a double submit, two
tabs or a late answer racing the submission can neither change a submitted attempt nor grade
it twice. Submitting and starting also lock the enrolment's row (progress.services.
enrollment_lock), so that two clicks on "start" make one attempt and two passes completing the
course at once record it; both lock the attempt first when there is one, then the enrolment,
in one statement (one order everywhere: no deadlock).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Func, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import AttemptAnswer, Enrollment, Lesson, QuestionItem, QuizAttempt
from courses.progress.selectors import count_subquery
from courses.progress.services import completion_record_if_due, enrollment_lock

from . import scoring
from .scoring import InvalidChoice, ItemSnapshot, Question

# Enrollment.extra_time_percent's own validator allows up to this much.
EXTRA_TIME_MAX = 200


class QuizError(Exception):
    """A quiz action refused; ``message`` says why, to the learner."""

    message = _("This action is not possible.")

    def __str__(self) -> str:
        return str(self.message)


class NoQuiz(QuizError):
    message = _("This lesson has no quiz yet.")


class AttemptsExhausted(QuizError):
    message = _("You have used all the attempts allowed for this quiz.")


class AttemptSubmitted(QuizError):
    message = _("This attempt has been submitted: its answers can no longer change.")


class TimeIsUp(QuizError):
    message = _("Time is up: answers given after the time limit are not recorded.")


class InvalidAnswer(QuizError):
    message = _("This answer is not one of the choices offered.")


def _rng() -> random.Random:
    # Which questions and in what order must not be predictable from one attempt to the next.
    return secrets.SystemRandom()


def _grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


def attempt_is_late(*, attempt: QuizAttempt, at: datetime) -> bool:
    """Past the deadline and its grace period: a submission now counts saved answers only."""
    return attempt.deadline is not None and at > attempt.deadline + _grace()


def attempt_deadline(
    *, started: datetime, limit_minutes: int | None, extra_percent: int
) -> datetime | None:
    """started + limit × (1 + extra/100); None without a time limit."""
    if not limit_minutes:
        return None
    return started + timedelta(minutes=limit_minutes) * (100 + extra_percent) / 100


def item_snapshot(item: QuestionItem) -> ItemSnapshot:
    """What an attempt keeps of an item as it was shown (the item may change later)."""
    snapshot: ItemSnapshot = {
        "stem": item.stem,
        "options": [str(option) for option in item.options],
        "answer": item.answer,
        "explanation": item.explanation,
        "source_sentence": item.source_sentence,
        "source_start": item.source_start,
        "source_end": item.source_end,
    }
    if item.is_multiple:
        snapshot["answers"] = item.keys
    return snapshot


def _questions_draw(
    *, lesson: Lesson, limit: int, rng: random.Random, previous: Collection[int] = ()
) -> list[Question]:
    """Approved items only (a draft or rejected item is never served), at most ``limit`` (the
    course's questions per attempt), one of each family; the families of the ``previous``
    attempt's items only when the others are too few."""
    rows = list(
        QuestionItem.objects.filter(lesson=lesson, status=QuestionItem.Status.APPROVED)
        .order_by("source_start", "id")
        .values_list("id", "family")
    )
    ids = [pk for pk, _family in rows]
    groups = {pk: scoring.family_of(pk, family) for pk, family in rows}
    avoid = {groups[pk] for pk in previous if pk in groups}
    chosen = scoring.draw(ids, limit=limit, rng=rng, groups=groups, avoid=avoid)
    items = QuestionItem.objects.in_bulk(chosen)
    return [
        scoring.question_build(item=pk, snapshot=item_snapshot(items[pk]), rng=rng)
        for pk in chosen
        if pk in items
    ]


def attempt_start(
    *, enrollment: Enrollment, lesson: Lesson, rng: random.Random | None = None
) -> tuple[QuizAttempt, bool]:
    """The learner's attempt at the lesson's quiz: the one in progress, else a new one.

    Returns ``(attempt, created)``. An attempt not yet submitted is resumed, unless its time
    ran out (deadline and grace period past): then it is graded on the answers it saved, and
    a new one starts if the course allows another. Raises NoQuiz when the lesson has no
    approved item, AttemptsExhausted when the course's limit is reached.
    """
    if lesson.module.course_id != enrollment.course_id:
        raise ValueError("The lesson is not in the enrolment's course.")
    rng = rng or _rng()
    refusal: QuizError
    with transaction.atomic():
        # One start at a time per learner: the second click waits, then resumes the first.
        mine = QuizAttempt.objects.filter(enrollment_id=enrollment.pk, lesson=lesson)
        open_attempt = _locked(mine.filter(submitted_at__isnull=True).order_by("-number")).first()
        if open_attempt is not None:
            locked = open_attempt.enrollment
        else:
            locked = enrollment_lock(pk=enrollment.pk)
            # Another start may have made one while this one waited for the lock.
            open_attempt = mine.filter(submitted_at__isnull=True).order_by("-number").first()
        now = timezone.now()
        if open_attempt is not None:
            if not attempt_is_late(attempt=open_attempt, at=now):
                return open_attempt, False
            attempt_submit(attempt=open_attempt, answers={})
        # The last attempt's number and questions, and how many there are, in one query.
        last_number, last_items, used = (
            mine.order_by("-number")
            .values_list("number", "items", count_subquery(mine, per="enrollment"))
            .first()
        ) or (0, [], 0)
        course = locked.course
        if course.max_attempts is not None and used >= course.max_attempts:
            refusal = AttemptsExhausted()
        else:
            previous = {question["item"] for question in last_items}
            questions = _questions_draw(
                lesson=lesson, limit=course.quiz_questions, rng=rng, previous=previous
            )
            if questions:
                # With row locks (PostgreSQL), no other start can create one meanwhile: no
                # savepoint (two statements) to recover from a conflict that cannot happen.
                row_locks = connection.features.has_select_for_update
                try:
                    with transaction.atomic(savepoint=not row_locks):
                        attempt = QuizAttempt.objects.create(
                            enrollment=locked,
                            lesson=lesson,
                            number=last_number + 1,
                            items=questions,
                            total=len(questions),
                            pass_mark=course.pass_mark,
                            partial_credit=course.partial_credit,
                            deadline=attempt_deadline(
                                started=now,
                                limit_minutes=lesson.quiz_time_limit,
                                extra_percent=locked.extra_time_percent,
                            ),
                        )
                except IntegrityError:
                    # Only without row locks (SQLite): another start won; resume it.
                    if row_locks:
                        raise
                    winner = mine.filter(submitted_at__isnull=True).order_by("-number").first()
                    if winner is None:
                        raise
                    return winner, False
                return attempt, True
            refusal = NoQuiz()
    # Raised outside the transaction: an expired attempt graded above stays graded.
    raise refusal


def _item_ids_existing(questions: list[Question]) -> set[int]:
    # An item deleted since the attempt began leaves its answers with no item (SET_NULL).
    return set(
        QuestionItem.objects.filter(pk__in=[q["item"] for q in questions])
        .order_by()
        .values_list("pk", flat=True)
    )


def _answers_upsert(
    *,
    attempt: QuizAttempt,
    questions: list[Question],
    chosen: Mapping[int, scoring.Chosen],
    at: datetime,
) -> None:
    """Save these answers as given (an answer saved while the quiz is taken)."""
    merged = _answers_merge(
        attempt=attempt,
        questions=questions,
        saved=None,
        chosen=chosen,
        existing=_item_ids_existing(questions),
        at=at,
    )
    _answers_write(list(merged.values()))


def _answer_row(
    questions: list[Question], position: int, option: scoring.Chosen, **fields: Any
) -> AttemptAnswer:
    """An answer as saved: every option chosen in ``options`` for a multiple-response
    question, the first of them in ``option``."""
    selected = sorted(scoring.chosen_set(option))
    multiple = scoring.is_multiple(questions[position]["snapshot"])
    return AttemptAnswer(
        position=position, option=selected[0], options=selected if multiple else None, **fields
    )


def _points(result: scoring.Grade) -> Decimal:
    # Shown, never rounded up: the pass was decided on the exact fraction.
    return (Decimal(result.points.numerator) / Decimal(result.points.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )


def answer_chosen(row: AttemptAnswer) -> scoring.Chosen:
    """What a saved answer chose: its options (multiple response) or its option."""
    return frozenset(row.options) if row.options is not None else row.option


def attempt_answer_save(
    *, attempt: QuizAttempt, position: int, choice: int | Collection[int]
) -> None:
    """Save one answer as it is given; ``choice`` is the option's position on the page (the
    positions of every option ticked, for a multiple-response question: none clears it).

    Refused, changing nothing, when the choice is not offered (InvalidAnswer), the attempt is
    submitted (AttemptSubmitted) or its deadline is past (TimeIsUp).
    """
    questions: list[Question] = attempt.items
    try:
        if isinstance(choice, int):
            option: scoring.Chosen = scoring.option_for_display(
                questions, position=position, display=choice
            )
        else:
            option = scoring.options_for_display(questions, {position: choice}).get(
                position, frozenset()
            )
    except InvalidChoice as error:
        raise InvalidAnswer() from error
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.submitted_at is not None:
            raise AttemptSubmitted()
        now = timezone.now()
        if locked.deadline is not None and now > locked.deadline:
            raise TimeIsUp()
        _answers_upsert(attempt=locked, questions=locked.items, chosen={position: option}, at=now)


@dataclass(frozen=True)
class Submission:
    attempt: QuizAttempt
    graded_now: bool  # False: it had been submitted already, this is the earlier result


def _locked(attempts: QuerySet[QuizAttempt]) -> QuerySet[QuizAttempt]:
    """These attempts, each with its enrolment and course, both rows locked until the
    transaction ends: the attempt's, then the enrolment's (their order in the query)."""
    return attempts.select_for_update(of=("self", "enrollment")).select_related(
        "enrollment__course", "enrollment__completion"
    )


def attempt_submit(*, attempt: QuizAttempt, answers: Mapping[int, scoring.Chosen]) -> Submission:
    """Grade the attempt once and for all; submitting it again returns the first result.

    ``answers`` maps question positions to the options' positions on the page, as posted
    (the form's answers, possibly none: a timed-out attempt is graded on what it saved).
    They are saved with the submission, unless it arrives after the deadline and its grace
    period: then only the answers saved before the deadline count. A choice that was not
    offered raises InvalidAnswer before anything is written.

    In the transaction: the attempt and its enrolment locked and read again (with whether its
    items are all still in the bank), its answers read, graded in Python, every answer written
    with its result in one statement, the attempt's result in another; then what a pass sets
    off (_after_grading).
    """
    questions: list[Question] = attempt.items
    try:
        chosen = scoring.options_for_display(questions, answers)
    except InvalidChoice as error:
        raise InvalidAnswer() from error
    item_ids = [question["item"] for question in questions]
    with transaction.atomic():
        locked = (
            _locked(QuizAttempt.objects.filter(pk=attempt.pk))
            .annotate(items_found=_items_found(item_ids))
            .get()
        )
        if locked.submitted_at is not None:
            return Submission(attempt=locked, graded_now=False)
        now = timezone.now()
        late = attempt_is_late(attempt=locked, at=now)
        saved = {row.position: row for row in AttemptAnswer.objects.filter(attempt=locked)}
        if not late:
            existing = (
                set(item_ids)
                if locked.items_found == len(set(item_ids))
                else _item_ids_existing(questions)
            )
            saved = _answers_merge(
                attempt=locked,
                questions=questions,
                saved=saved,
                chosen=chosen,
                existing=existing,
                at=now,
            )
        counted = {
            position: answer_chosen(row)
            for position, row in saved.items()
            if not late or locked.deadline is None or row.answered_at <= locked.deadline
        }
        result = scoring.grade(
            questions, counted, pass_mark=locked.pass_mark, partial=locked.partial_credit
        )
        for position, row in saved.items():
            row.is_correct = result.correct.get(position, False)
        _answers_write(list(saved.values()))
        locked.score = result.score
        locked.points = _points(result)
        locked.total = result.total
        locked.passed = result.passed
        locked.submitted_at = now
        locked.save(update_fields=["score", "points", "total", "passed", "submitted_at"])
        _after_grading(locked)
    return Submission(attempt=locked, graded_now=True)


def _items_found(item_ids: list[int]) -> Subquery:
    """How many of these items are still in the bank (a subquery)."""
    return Subquery(
        QuestionItem.objects.filter(pk__in=item_ids)
        .order_by()
        .values(found=Func(F("pk"), function="COUNT"))
    )


def _answers_merge(
    *,
    attempt: QuizAttempt,
    questions: list[Question],
    saved: dict[int, AttemptAnswer] | None,
    chosen: Mapping[int, scoring.Chosen],
    existing: set[int],
    at: datetime,
) -> dict[int, AttemptAnswer]:
    """The answers ``saved`` (None: not read) once those ``chosen`` are in, by position: a
    changed or new answer is answered ``at``, an unchanged one keeps its time; a
    multiple-response question whose options were all unticked loses its answer (deleted
    here). An item no longer in the bank (not in ``existing``) is not linked. In memory:
    _answers_write writes them."""
    merged = dict(saved or {})
    cleared = [
        position
        for position, option in chosen.items()
        if not scoring.chosen_set(option) and (saved is None or position in saved)
    ]
    if cleared:
        AttemptAnswer.objects.filter(attempt=attempt, position__in=cleared).delete()
    for position, option in chosen.items():
        if not scoring.chosen_set(option):
            merged.pop(position, None)
            continue
        before = merged.get(position)
        if before is not None and scoring.chosen_set(answer_chosen(before)) == scoring.chosen_set(
            option
        ):
            continue
        item_id = questions[position]["item"]
        merged[position] = _answer_row(
            questions,
            position,
            option,
            attempt=attempt,
            item_id=item_id if item_id in existing else None,
            answered_at=at,
        )
    return merged


def _answers_write(rows: list[AttemptAnswer]) -> None:
    """Insert or update these answers in one statement, safe against a concurrent insert
    (ON CONFLICT DO UPDATE on the attempt and position)."""
    if not rows:
        return
    # Django inserts the rows that carry a primary key (answers read back) apart from those
    # that do not: written as new, they all go in one statement, and the conflict finds them.
    AttemptAnswer.objects.bulk_create(
        [
            AttemptAnswer(
                attempt_id=row.attempt_id,
                position=row.position,
                item_id=row.item_id,
                option=row.option,
                options=row.options,
                is_correct=row.is_correct,
                answered_at=row.answered_at,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["attempt", "position"],
        update_fields=["item", "option", "options", "answered_at", "is_correct"],
    )


# --- "Voir comme apprenant·e": a quiz drawn and graded as an attempt is, stored nowhere ------


def quiz_preview_draw(*, lesson: Lesson, rng: random.Random | None = None) -> list[Question]:
    """The questions a learner's first attempt at the lesson's quiz could draw (the same draw
    as attempt_start). Raises NoQuiz when the lesson has no approved item. Writes nothing."""
    course = lesson.module.course
    questions = _questions_draw(lesson=lesson, limit=course.quiz_questions, rng=rng or _rng())
    if not questions:
        raise NoQuiz()
    return questions


def quiz_preview_attempt(*, lesson: Lesson, questions: list[Question]) -> QuizAttempt:
    """An attempt as attempt_start makes it, for the quiz and result pages; never saved."""
    course = lesson.module.course
    return QuizAttempt(
        lesson=lesson,
        number=1,
        items=questions,
        total=len(questions),
        pass_mark=course.pass_mark,
        partial_credit=course.partial_credit,
    )


def quiz_preview_grade(
    *, attempt: QuizAttempt, answers: Mapping[int, scoring.Chosen]
) -> dict[int, AttemptAnswer]:
    """Grade an unsaved attempt as attempt_submit grades one (``answers`` as posted: the
    options' positions on the page), in memory: the attempt gets its score and result, the
    answers come back by position; nothing is written. A choice not offered raises
    InvalidAnswer."""
    if attempt.pk is not None:
        raise ValueError("A learner's attempt is graded by attempt_submit.")
    questions: list[Question] = attempt.items
    try:
        chosen = scoring.options_for_display(questions, answers)
    except InvalidChoice as error:
        raise InvalidAnswer() from error
    chosen = {position: option for position, option in chosen.items() if scoring.chosen_set(option)}
    result = scoring.grade(
        questions, chosen, pass_mark=attempt.pass_mark, partial=attempt.partial_credit
    )
    attempt.score = result.score
    attempt.points = _points(result)
    attempt.total = result.total
    attempt.passed = result.passed
    attempt.submitted_at = timezone.now()
    return {
        position: _answer_row(
            questions, position, option, is_correct=result.correct.get(position, False)
        )
        for position, option in chosen.items()
    }


def _after_grading(attempt: QuizAttempt) -> None:
    """Called once per attempt, inside the grading transaction, right after it is graded.

    The one place where a graded attempt's consequences start (CONVENTIONS 7: explicit calls,
    not signals): a passed quiz may complete the course, which owes a certificate.
    """
    if attempt.passed:
        # The enrolment came locked with the attempt (attempt_submit), with its course and
        # completion.
        completion_record_if_due(enrollment=attempt.enrollment)


def enrollment_set_extra_time(*, enrollment: Enrollment, percent: int) -> Enrollment:
    """Extra time on timed quizzes (e.g. 33 % for a third more); for attempts started later."""
    if not 0 <= percent <= EXTRA_TIME_MAX:
        raise ValueError(f"extra time must be between 0 and {EXTRA_TIME_MAX} %")
    enrollment.extra_time_percent = percent
    Enrollment.objects.filter(pk=enrollment.pk).update(extra_time_percent=percent)
    return enrollment
