"""Reads for course staff's review of the item bank: counts per lesson, items beside their source.

A reviewer judges an item against the text it was drawn from, so each item comes with the
paragraph of the lesson that holds its source sentence, the sentence highlighted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.safestring import SafeString, mark_safe

from courses.markup import render_markdown, render_markdown_with_passage
from courses.models import BackgroundJob, Course, Lesson, QuestionItem
from courses.quizgen.nlp import Sentence, sentences_plain
from courses.quizzes.selectors import families_aggregates

Status = QuestionItem.Status

# What the lesson review page can show: one status, or every item (drafts first).
STATUS_FILTERS = ("all", Status.DRAFT, Status.APPROVED, Status.REJECTED)

# A blank line ends a Markdown paragraph (CommonMark, "Paragraphs").
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# The sanitiser keeps no attribute on <mark>: any attribute comes from the highlighting, which
# gives the first mark an id for the lesson reader; several items on one page would repeat it.
_MARK_WITH_ATTRIBUTES = re.compile(r"<mark\b[^>]*>")


@dataclass(frozen=True)
class ReviewCounts:
    draft: int = 0
    approved: int = 0
    rejected: int = 0
    families: int = 0  # the facts the approved items ask: an attempt draws one of each at most

    @property
    def total(self) -> int:
        return self.draft + self.approved + self.rejected

    def of(self, status: str) -> int:
        return self.total if status == "all" else int(getattr(self, status))


@dataclass(frozen=True)
class ReviewLesson:
    id: int
    title: str
    counts: ReviewCounts


@dataclass
class ReviewModule:
    id: int
    title: str
    lessons: list[ReviewLesson] = field(default_factory=list)


@dataclass(frozen=True)
class SourcePassage:
    """Where an item comes from, as the reviewer sees it.

    ``html`` is the paragraph of the lesson holding the source sentence (None when the
    offsets no longer match the lesson's text); ``highlighted`` says whether the sentence is
    in a ``<mark>`` in it.
    """

    sentence: str
    html: SafeString | None
    highlighted: bool

    @property
    def matches(self) -> bool:
        return self.html is not None


@dataclass(frozen=True)
class ReviewOption:
    letter: str
    text: str
    is_key: bool


@dataclass
class ReviewRow:
    item: QuestionItem
    options: list[ReviewOption]
    passage: SourcePassage
    # The item's family among those listed, numbered in reading order, and how many it has
    # (0 and 1 for an item alone: an attempt draws one item of a family).
    family_number: int = 0
    family_size: int = 1
    # The checks staff overruled to save it, as the reviewer reads them (the view fills it).
    overridden: list[str] = field(default_factory=list)


def _counts(row: Mapping[str, Any]) -> ReviewCounts:
    return ReviewCounts(
        draft=row["draft"],
        approved=row["approved"],
        rejected=row["rejected"],
        families=row["families"] + row["alone"],
    )


def _count_by_status(prefix: str) -> dict[str, Count]:
    return {
        **{
            status: Count(f"{prefix}id", filter=Q(**{f"{prefix}status": status}))
            for status in (Status.DRAFT, Status.APPROVED, Status.REJECTED)
        },
        **families_aggregates(prefix),
    }


def course_review_summary(*, course: Course) -> list[ReviewModule]:
    """The course's modules and active lessons, with each lesson's items counted by status.

    One query, whatever the number of lessons and items.
    """
    rows = (
        Lesson.objects.filter(module__course=course, archived_at__isnull=True)
        .order_by("module__position", "module_id", "position", "id")
        .values("id", "title", "module_id", "module__title")
        .annotate(**_count_by_status("items__"))
    )
    modules: list[ReviewModule] = []
    for row in rows:
        if not modules or modules[-1].id != row["module_id"]:
            modules.append(ReviewModule(id=row["module_id"], title=row["module__title"]))
        modules[-1].lessons.append(
            ReviewLesson(id=row["id"], title=row["title"], counts=_counts(row))
        )
    return modules


def course_review_totals(*, modules: list[ReviewModule]) -> ReviewCounts:
    lessons = [lesson for module in modules for lesson in module.lessons]
    return ReviewCounts(
        draft=sum(lesson.counts.draft for lesson in lessons),
        approved=sum(lesson.counts.approved for lesson in lessons),
        rejected=sum(lesson.counts.rejected for lesson in lessons),
    )


def lesson_review_counts(*, lesson: Lesson) -> ReviewCounts:
    """The lesson's items counted by status (one query)."""
    return _counts(QuestionItem.objects.filter(lesson=lesson).aggregate(**_count_by_status("")))


def status_filter(value: str | None) -> str:
    """The status filter asked for in the URL; anything unknown shows every item."""
    return value if value in STATUS_FILTERS else "all"


def lesson_review_items(*, lesson: Lesson, status: str = "all") -> QuerySet[QuestionItem]:
    """The lesson's items with one status, or all of them drafts first, in text order."""
    items = QuestionItem.objects.filter(lesson=lesson).select_related(
        "reviewed_by", "overridden_by", "written_by"
    )
    if status != "all":
        items = items.filter(status=status)
    return items.annotate(
        status_rank=Case(
            When(status=Status.DRAFT, then=Value(0)),
            When(status=Status.APPROVED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("status_rank", "source_start", "id")


def lesson_review_rows(*, lesson: Lesson, status: str = "all") -> list[ReviewRow]:
    """The items to review, each with its options (key marked) and its source passage.

    One query; each passage is rendered once even when several items share it.
    """
    passages: dict[tuple[int, int, str], SourcePassage] = {}
    rows = []
    for item in lesson_review_items(lesson=lesson, status=status):
        where = (item.source_start, item.source_end, item.source_sentence)
        if where not in passages:
            passages[where] = source_passage(
                text=lesson.text,
                start=item.source_start,
                end=item.source_end,
                sentence=item.source_sentence,
            )
        rows.append(ReviewRow(item=item, options=item_options(item=item), passage=passages[where]))
    sizes = Counter(row.item.family for row in rows if row.item.family)
    numbers: dict[str, int] = {}
    for row in sorted(rows, key=lambda r: (r.item.source_start, r.item.pk)):
        family = row.item.family
        if sizes[family] > 1:
            row.family_number = numbers.setdefault(family, len(numbers) + 1)
            row.family_size = sizes[family]
    return rows


def item_options(*, item: QuestionItem) -> list[ReviewOption]:
    options = item.options if isinstance(item.options, list) else []
    return [
        ReviewOption(letter=chr(ord("A") + index), text=str(text), is_key=index in item.keys)
        for index, text in enumerate(options)
    ]


def paragraph_bounds(text: str, *, start: int, end: int) -> tuple[int, int]:
    """The span of the paragraph(s) of ``text`` holding ``text[start:end]``."""
    begin = 0
    for blank in _BLANK_LINE.finditer(text, 0, start):
        begin = blank.end()
    after = _BLANK_LINE.search(text, end)
    return begin, after.start() if after else len(text)


def source_passage(*, text: str, start: int, end: int, sentence: str) -> SourcePassage:
    """The paragraph holding the source sentence, rendered, with the sentence in ``<mark>``.

    Private-use sentinels (U+E000, U+E001) go around the sentence in the paragraph's Markdown,
    which is rendered and sanitised as any lesson is; the sentinels then become the mark's
    tags. When the offsets no longer match the text (the lesson changed), there is no
    paragraph to show: the caller shows the stored sentence with a warning.
    """
    if not (0 <= start < end <= len(text)) or text[start:end] != sentence:
        return SourcePassage(sentence=sentence, html=None, highlighted=False)
    begin, finish = paragraph_bounds(text, start=start, end=end)
    paragraph = text[begin:finish]
    highlighted = render_markdown_with_passage(paragraph, start=start - begin, end=end - begin)
    if highlighted is None:
        # The sentence did not come through as text (inside a link's URL, say): the paragraph
        # alone, and the caller quotes the sentence under it.
        return SourcePassage(
            sentence=sentence,
            html=mark_safe(render_markdown(paragraph)),  # noqa: S308  (sanitised by nh3)
            highlighted=False,
        )
    return SourcePassage(
        sentence=sentence,
        html=mark_safe(_MARK_WITH_ATTRIBUTES.sub("<mark>", highlighted)),  # noqa: S308
        highlighted=True,
    )


def item_in_course(*, course: Course, pk: int) -> QuestionItem | None:
    """An item of one of the course's active lessons, with its lesson and module."""
    return (
        QuestionItem.objects.select_related("lesson__module")
        .filter(pk=pk, lesson__module__course=course, lesson__archived_at__isnull=True)
        .first()
    )


# A sentence to draw a question from says something: a few words at least.
SENTENCE_MIN_WORDS = 4


def lesson_sentences(text: str) -> list[Sentence]:
    """The sentences of a lesson a staff-written question may be drawn from, in order (no
    parser: the page answers at once)."""
    return [
        sentence
        for sentence in sentences_plain(text)
        if len(sentence.text.split()) >= SENTENCE_MIN_WORDS
    ]


def lesson_latest_job(*, lesson: Lesson) -> BackgroundJob | None:
    """The lesson's last regeneration, whatever its state (one query)."""
    return (
        BackgroundJob.objects.filter(kind=BackgroundJob.Kind.REGENERATE, lesson=lesson)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
        .first()
    )
