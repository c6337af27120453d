"""The item bank: generated items stored as drafts, reviewed by course staff.

Generation itself is pure (``courses.quizgen``); this module stores its result without churning
what staff reviewed: an item is recognised by its fingerprint (kind, key, source sentence), an
approved or edited item keeps its text, and an item whose source sentence changed goes back to
review.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import BackgroundJob, Course, Lesson, QuestionItem, User
from courses.progress.services import completions_recheck
from courses.quizgen import (
    GENERATOR_VERSION,
    Flaw,
    Item,
    LessonQuiz,
    LessonText,
    generate,
    load_glossary,
    text_flaws,
)
from courses.quizgen.glossary import Glossary
from courses.quizgen.terminology import load_terminology
from courses.quizgen.terms import load_types
from courses.system import jobs
from courses.system.broker import publish, publish_many

from . import tasks
from .selectors import lesson_sentences

log = logging.getLogger(__name__)


def glossary() -> Glossary:
    return load_glossary(str(settings.QUIZ_GLOSSARY))


def lessons_generate(texts: Sequence[LessonText]) -> list[LessonQuiz]:
    """Generation with the site's glossary and terminology tables (QUIZ_GLOSSARY,
    QUIZ_TERMINOLOGY): what every caller of quizgen goes through."""
    folder = Path(settings.QUIZ_TERMINOLOGY)
    return generate(
        texts,
        glossary=glossary(),
        terminology=load_terminology(str(folder)),
        types=load_types(str(folder / "types.yaml")),
    )


def course_lessons(*, course: Course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course, archived_at__isnull=True)
        .select_related("module")
        .order_by("module__position", "module_id", "position", "id")
    )


def lesson_texts(lessons: Sequence[Lesson]) -> list[LessonText]:
    """Lessons as quizgen reads them (``lessons`` with their module: course_lessons)."""
    return [
        LessonText(
            key=str(lesson.pk),
            title=lesson.title,
            text=lesson.text,
            module_title=lesson.module.title,
        )
        for lesson in lessons
    ]


@dataclass
class GenerationReport:
    quizzes: dict[int, LessonQuiz] = field(default_factory=dict)
    created: int = 0
    refreshed: int = 0
    kept: int = 0
    sent_back: int = 0
    approved: int = 0


def course_items_generate(
    *,
    course: Course,
    lesson_ids: Collection[int] | None = None,
    auto_approve: bool | None = None,
) -> GenerationReport:
    """(Re)generate the items of a course's lessons (all, or those in ``lesson_ids``).

    Every active lesson of the course is read, for distractors and for the "stated as true"
    check, but only the chosen lessons' items are written. With ``auto_approve`` (default: the
    QUIZ_AUTO_APPROVE setting) new items are approved, having passed every check.
    """
    if auto_approve is None:
        auto_approve = settings.QUIZ_AUTO_APPROVE
    lessons = course_lessons(course=course)
    targets = [lesson for lesson in lessons if lesson_ids is None or lesson.pk in lesson_ids]
    report = GenerationReport()
    if not targets:
        return report
    quizzes = lessons_generate(lesson_texts(lessons))
    by_key = {quiz.lesson: quiz for quiz in quizzes}
    with transaction.atomic():
        for lesson in targets:
            quiz = by_key[str(lesson.pk)]
            report.quizzes[lesson.pk] = quiz
            lesson_items_store(lesson=lesson, quiz=quiz, auto_approve=auto_approve, report=report)
        if report.sent_back:
            # A lesson whose approved items all went back to review has no quiz meanwhile.
            completions_recheck(course=course)
    return report


def _item_fields(item: Item) -> dict[str, object]:
    return {
        "kind": item.kind,
        "stem": item.stem,
        "options": list(item.options),
        "answer": item.answer,
        "multiple_answers": list(item.answers),
        "explanation": item.explanation,
        "source_sentence": item.source.sentence,
        "source_start": item.source.start,
        "source_end": item.source.end,
        "family": item.family,
        "generation": {
            "version": GENERATOR_VERSION,
            "variant": item.variant,
            "key_term": item.key_term,
            "key_terms": list(item.key_terms),
            "key_class": item.key_class,
            "distractor_terms": list(item.distractor_terms),
            "anchors": list(item.anchors),
        },
    }


def lesson_items_store(
    *, lesson: Lesson, quiz: LessonQuiz, auto_approve: bool, report: GenerationReport
) -> None:
    """Write one lesson's generated items; re-generation never churns reviewed items."""
    existing = {item.fingerprint: item for item in QuestionItem.objects.filter(lesson=lesson)}
    generated: set[str] = set()
    now = timezone.now()
    for item in quiz.kept:
        fingerprint = item.fingerprint
        generated.add(fingerprint)
        row = existing.get(fingerprint)
        fields = _item_fields(item)
        if row is None:
            QuestionItem.objects.create(
                lesson=lesson,
                fingerprint=fingerprint,
                status=QuestionItem.Status.APPROVED if auto_approve else QuestionItem.Status.DRAFT,
                reviewed_at=now if auto_approve else None,
                **fields,
            )
            report.created += 1
            report.approved += int(auto_approve)
        elif row.status == QuestionItem.Status.DRAFT and not row.edited:
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
            report.refreshed += 1
        else:
            # Reviewed or edited: keep the text staff saw; follow the sentence if it moved.
            # Its family is the generator's grouping, not text staff saw: it follows.
            if row.family != item.family:
                row.family = item.family
                row.save(update_fields=["family", "updated_at"])
            _follow_source(row, lesson.text)
            report.kept += 1

    for fingerprint, row in existing.items():
        if fingerprint in generated:
            continue
        if _follow_source(row, lesson.text):
            report.kept += 1
            continue
        # The sentence the item was drawn from is gone: an approved item is no longer known
        # to be right, so it goes back to review and is not served meanwhile.
        if row.status == QuestionItem.Status.APPROVED:
            row.status = QuestionItem.Status.DRAFT
            report.sent_back += 1
        row.review_note = _("The source sentence changed: check this question against the text.")
        row.save(update_fields=["status", "review_note", "updated_at"])


def _follow_source(row: QuestionItem, text: str) -> bool:
    """Whether the item's source sentence is still in the text (offsets updated if it moved)."""
    if text[row.source_start : row.source_end] == row.source_sentence:
        return True
    found = text.find(row.source_sentence)
    if found < 0:
        return False
    row.source_start = found
    row.source_end = found + len(row.source_sentence)
    row.save(update_fields=["source_start", "source_end", "updated_at"])
    return True


# --- review ----------------------------------------------------------------------------------


def item_review(*, item: QuestionItem, status: str, reviewer: User) -> QuestionItem:
    """Approve, reject or send back to draft."""
    if status not in QuestionItem.Status.values:
        raise ValueError(f"unknown status {status!r}")
    withdrawn = item.status == QuestionItem.Status.APPROVED and status != item.status
    item.status = status
    item.reviewed_by = reviewer
    item.reviewed_at = timezone.now()
    if status == QuestionItem.Status.APPROVED:
        item.review_note = ""
    with transaction.atomic():
        item.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
        )
        approved = QuestionItem.objects.filter(
            lesson_id=item.lesson_id, status=QuestionItem.Status.APPROVED
        )
        if withdrawn and not approved.exists():
            # Its lesson's last approved item gone, the lesson has no quiz any more: learners
            # who read it may have completed the course at this moment.
            completions_recheck(course=item.lesson.module.course)
    return item


# The checks that keep a quiz working (four or five options, one of them the key, none
# empty): staff may overrule the others, never these.
CHECKS_REQUIRED = frozenset({"option_count", "answer_index", "key_count", "empty_option"})
# An override's reason is written for the next reviewer: a few words at least.
OVERRIDE_REASON_MIN = 10


class ItemFlawed(ValueError):
    """An item that an item-writing check refuses; ``flaws`` says which, ``overridable``
    whether staff may save it anyway with a reason."""

    def __init__(self, flaws: list[Flaw], *, reason_too_short: bool = False) -> None:
        super().__init__("; ".join(flaw.message for flaw in flaws))
        self.flaws = flaws
        # A reason was given to overrule them, too short to tell the next reviewer anything.
        self.reason_too_short = reason_too_short

    @property
    def overridable(self) -> bool:
        return not any(flaw.code in CHECKS_REQUIRED for flaw in self.flaws)


@dataclass(frozen=True)
class _Checked:
    stem: str
    options: list[str]
    answer: int
    answers: list[int]
    overridden: list[Flaw]


def _item_checked(
    *, stem: str, options: list[str], answer: int | list[int], override_reason: str
) -> _Checked:
    """The text checks every item passes (generated, edited or written by staff). Flaws
    refuse it (ItemFlawed), unless staff give a reason to overrule them and none of them is
    one a quiz cannot work without. ``answer``: the key, or a multiple-response item's keys."""
    options = [option.strip() for option in options]
    answers = sorted(set(answer)) if isinstance(answer, list) else []
    first = (answers[0] if answers else -1) if isinstance(answer, list) else answer
    flaws = text_flaws(stem.strip(), options, first, glossary=glossary(), answers=answers)
    if isinstance(answer, list) and not answers:
        flaws = [*flaws, Flaw("key_count", "no right answer ticked")]
    if flaws:
        refused = ItemFlawed(flaws)
        reason = override_reason.strip()
        if not refused.overridable or len(reason) < OVERRIDE_REASON_MIN:
            raise ItemFlawed(flaws, reason_too_short=bool(reason) and refused.overridable)
    return _Checked(
        stem=stem.strip(), options=options, answer=first, answers=answers, overridden=flaws
    )


def _item_apply(
    item: QuestionItem,
    checked: _Checked,
    *,
    explanation: str,
    reviewer: User,
    approve: bool,
    override_reason: str,
) -> None:
    now = timezone.now()
    item.stem = checked.stem
    item.options = checked.options
    item.answer = checked.answer
    item.multiple_answers = checked.answers
    item.explanation = explanation.strip()
    item.edited = True
    item.review_note = ""
    item.reviewed_by = reviewer
    item.reviewed_at = now
    overridden = bool(checked.overridden)
    item.checks_overridden = [asdict(flaw) for flaw in checked.overridden]
    item.override_reason = override_reason.strip() if overridden else ""
    item.overridden_by = reviewer if overridden else None
    item.overridden_at = now if overridden else None
    if approve:
        item.status = QuestionItem.Status.APPROVED


def item_edit(
    *,
    item: QuestionItem,
    stem: str,
    options: list[str],
    answer: int | list[int],
    explanation: str,
    reviewer: User,
    approve: bool,
    override_reason: str = "",
) -> QuestionItem:
    """Save staff's edit of an item, after the same text checks generated items pass (or
    overruling them with a reason, recorded with the item: _item_checked)."""
    checked = _item_checked(
        stem=stem, options=options, answer=answer, override_reason=override_reason
    )
    _item_apply(
        item,
        checked,
        explanation=explanation,
        reviewer=reviewer,
        approve=approve,
        override_reason=override_reason,
    )
    item.save()
    return item


class SourceGone(ValueError):
    """The sentence chosen is not (or no longer) one of the lesson's."""


def item_write(
    *,
    lesson: Lesson,
    stem: str,
    options: list[str],
    answer: int | list[int],
    explanation: str,
    source_start: int,
    source_end: int,
    author: User,
    approve: bool,
    override_reason: str = "",
) -> QuestionItem:
    """A question staff write themselves, drawn from a sentence of the lesson they chose
    (its offsets in the lesson's text: one of selectors.lesson_sentences). The same checks
    and the same override as an edit; its own family (no generated item asks it)."""
    if (source_start, source_end) not in {
        (sentence.start, sentence.end) for sentence in lesson_sentences(lesson.text)
    }:
        raise SourceGone(_("The sentence chosen is no longer in the lesson: choose it again."))
    checked = _item_checked(
        stem=stem, options=options, answer=answer, override_reason=override_reason
    )
    item = QuestionItem(
        lesson=lesson,
        kind=QuestionItem.Kind.STAFF,
        fingerprint=f"staff-{secrets.token_hex(12)}",
        source_sentence=lesson.text[source_start:source_end],
        source_start=source_start,
        source_end=source_end,
        written_by=author,
        status=QuestionItem.Status.DRAFT,
    )
    _item_apply(
        item,
        checked,
        explanation=explanation,
        reviewer=author,
        approve=approve,
        override_reason=override_reason,
    )
    item.save()
    return item


# --- regeneration, in the background -------------------------------------------------------


def lesson_regeneration_request(*, lesson: Lesson, by: User) -> tuple[BackgroundJob, bool]:
    """Ask for the lesson's questions to be generated again by a worker: the job recorded
    now, its task published on commit. One at a time per lesson (a unique constraint): a
    second request returns the job already queued or running, and False."""
    try:
        with transaction.atomic():
            job = BackgroundJob.objects.create(
                kind=BackgroundJob.Kind.REGENERATE,
                course=lesson.module.course,
                lesson=lesson,
                requested_by=by,
            )
    except IntegrityError:
        pending = BackgroundJob.objects.filter(
            kind=BackgroundJob.Kind.REGENERATE, lesson=lesson, state__in=BackgroundJob.PENDING
        ).first()
        if pending is None:  # finished between the insert and this read: ask again
            return lesson_regeneration_request(lesson=lesson, by=by)
        return pending, False
    transaction.on_commit(lambda: publish(tasks.lesson_regenerate_task, job.pk))
    return job, True


def lesson_regeneration_run(*, job_id: int) -> str:
    """The worker's side: claim the job, regenerate, record the report (or the failure)."""
    job = jobs.job_claim(job_id=job_id)
    if job is None or job.lesson is None:
        return "skipped"
    lesson = job.lesson
    try:
        report = lesson_items_regenerate(lesson=lesson)
    except Exception as error:
        log.exception("regeneration job %s failed", job.pk)
        jobs.job_fail(job=job, error=f"{type(error).__name__}: {error}")
        return "failed"
    jobs.job_finish(job=job, report=regeneration_summary(report, lesson_id=lesson.pk))
    return "done"


def regeneration_summary(report: GenerationReport, *, lesson_id: int) -> dict[str, Any]:
    """What the page says of a regeneration: the counts, and the candidates the generator
    found, split into those already in the bank and those its checks dropped, by reason (each
    dropped candidate counted once, under its first flaw)."""
    quiz = report.quizzes.get(lesson_id)
    kept = len(quiz.kept) if quiz else 0
    dropped = Counter(entry.flaws[0].code for entry in quiz.dropped if entry.flaws) if quiz else {}
    return {
        "created": report.created,
        "refreshed": report.refreshed,
        "kept": report.kept,
        "sent_back": report.sent_back,
        "candidates": kept + (len(quiz.dropped) if quiz else 0),
        "existing": kept - report.created,
        "dropped": dict(sorted(dropped.items(), key=lambda pair: (-pair[1], pair[0]))),
    }


def regenerations_owed_publish() -> int:
    owed = jobs.jobs_owed(kind=BackgroundJob.Kind.REGENERATE).values_list("pk", flat=True)
    return publish_many([(tasks.lesson_regenerate_task, pk) for pk in owed])


def lesson_items_regenerate(*, lesson: Lesson) -> GenerationReport:
    """Generate this lesson's items again (drafts refreshed; reviewed items untouched)."""
    return course_items_generate(
        course=lesson.module.course, lesson_ids=[lesson.pk], auto_approve=False
    )
