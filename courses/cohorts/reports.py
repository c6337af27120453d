"""Course staff following a cohort: the learners x lessons table, one learner's attempts, the
charts, the item analysis of each quiz, and the results as CSV or XLSX.

Thin views: every read is a selector of this package (a constant number of queries whatever
the cohort's size); charts and spreadsheets are pure functions (charts.py, exports.py). Who may
see a cohort is decided once, by CohortStaffRequiredMixin (404 for anyone else).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import mean, median
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from courses.access import CohortStaffRequiredMixin
from courses.catalog import selectors as catalog
from courses.catalog.selectors import OutlineLesson
from courses.models import Certificate, Cohort, QuizAttempt, User
from courses.quizzes.selectors import attempt_was_late

from . import analysis, charts, exports, selectors

SEARCH_MAX_LENGTH = 100
# The columns that sort (selectors.SORTS), each with the order of its first click: names from
# A, progress from the learners furthest behind, dates from the most recent.
SORTABLE = {
    "name": "name",
    "progress": "progress",
    "completed": "-completed",
    "activity": "-activity",
}
OPTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _svg(markup: str) -> SafeString:
    # Only the pure chart functions' output goes through here: they build the markup from
    # numbers and escape every text they are given (labels, titles).
    return mark_safe(markup)  # noqa: S308


# --- the dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TableQuery:
    """The dashboard's GET parameters, checked: unknown values fall back to the defaults."""

    sort: str = "name"
    status: str = "all"
    q: str = ""
    page: int = 1

    @classmethod
    def from_get(cls, query: QueryDict) -> TableQuery:
        sort = query.get("sort", "")
        status = query.get("status", "")
        try:
            page = max(1, int(query.get("page", "1")))
        except ValueError:
            page = 1
        return cls(
            sort=sort if sort in selectors.SORTS else "name",
            status=status if status in selectors.FILTERS else "all",
            q=query.get("q", "").strip()[:SEARCH_MAX_LENGTH],
            page=page,
        )

    def url(self, base: str, **changes: str | int) -> str:
        """This page's address with ``changes``; any change but the page's goes to page 1."""
        values: dict[str, str | int] = {
            "sort": self.sort,
            "status": self.status,
            "q": self.q,
            "page": self.page,
        }
        if "page" not in changes:
            values["page"] = 1
        values.update(changes)
        defaults: dict[str, str | int] = {"sort": "name", "status": "all", "q": "", "page": 1}
        params = {key: value for key, value in values.items() if value != defaults[key]}
        return f"{base}?{urlencode(params)}" if params else base


@dataclass(frozen=True)
class SortHeader:
    key: str
    label: str
    url: str
    aria_sort: str | None  # "ascending", "descending" or None when the table is not sorted by it


def _sort_header(query: TableQuery, base: str, *, key: str, first: str, label: str) -> SortHeader:
    if query.sort == key:
        return SortHeader(key, label, query.url(base, sort=f"-{key}"), "ascending")
    if query.sort == f"-{key}":
        return SortHeader(key, label, query.url(base, sort=key), "descending")
    return SortHeader(key, label, query.url(base, sort=first), None)


def _deadline_note(deadline: date, today: date) -> str:
    days = (deadline - today).days
    if days > 1:
        return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    if days == 1:
        return _("tomorrow")
    if days == 0:
        return _("today")
    return pgettext("deadline", "passed")


@method_decorator(never_cache, name="dispatch")
class CohortDashboardView(CohortStaffRequiredMixin, TemplateView):
    """The cohort at a glance: its learners x lessons, sorted, filtered, searched, paginated."""

    template_name = "courses/cohorts/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        query = TableQuery.from_get(self.request.GET)
        table = selectors.cohort_table(
            cohort=cohort, sort=query.sort, status=query.status, search=query.q, page=query.page
        )
        base = reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk})
        labels = {
            "all": pgettext("learners", "All"),
            "completed": pgettext("learners", "Completed"),
            "in_progress": pgettext("learners", "In progress"),
            "not_started": pgettext("learners", "Not started"),
        }
        labels_sort = {
            "name": _("Learner"),
            "progress": _("Progress"),
            "completed": _("Completed on"),
            "activity": _("Last activity"),
        }
        headers = {
            key: _sort_header(query, base, key=key, first=first, label=labels_sort[key])
            for key, first in SORTABLE.items()
        }
        page = table.page
        today = timezone.localdate()
        context.update(
            cohort=cohort,
            course=cohort.course,
            table=table,
            rows=table.rows,
            lessons=table.outline.lessons,
            counts=table.counts,
            query=query,
            headers=headers,
            filters=[
                {
                    "value": value,
                    "label": labels[value],
                    "count": table.counts[value],
                    "url": query.url(base, status=value),
                }
                for value in selectors.FILTERS
            ],
            previous_url=query.url(base, page=page.previous_page_number())
            if page.has_previous()
            else None,
            next_url=query.url(base, page=page.next_page_number()) if page.has_next() else None,
            clear_search_url=query.url(base, q=""),
            deadline_note=_deadline_note(cohort.deadline, today),
            deadline_passed=cohort.deadline < today,
        )
        return context


# --- one learner -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptRow:
    attempt: QuizAttempt
    overtime: bool  # submitted past the time limit and its grace: graded on the answers saved
    after_deadline: bool  # submitted after the cohort's completion deadline


@method_decorator(never_cache, name="dispatch")
class CohortLearnerView(CohortStaffRequiredMixin, TemplateView):
    """One member: their lessons, every quiz attempt, their certificate."""

    template_name = "courses/cohorts/learner.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        membership = selectors.membership_in_cohort(cohort=cohort, pk=kwargs["member"])
        if membership is None:
            raise Http404(_("This learner is not in the cohort."))
        outline, row = selectors.learner_row(cohort=cohort, membership=membership)
        attempts = [
            AttemptRow(
                attempt=attempt,
                overtime=attempt_was_late(attempt=attempt),
                after_deadline=attempt.submitted_at is not None
                and timezone.localdate(attempt.submitted_at) > cohort.deadline,
            )
            for attempt in selectors.learner_attempts(membership=membership)
        ]
        context.update(
            cohort=cohort,
            course=cohort.course,
            membership=membership,
            learner=row.user,
            row=row,
            lessons=list(zip(outline.lessons, row.cells, strict=True)),
            attempts=attempts,
        )
        return context


# --- statistics ------------------------------------------------------------------------------


def chart_end(*, starts_on: date, deadline: date, today: date) -> date:
    """The last day the completion chart shows (the same rule as charts.completion_over_time:
    the deadline, or today up to 60 days past it)."""
    return max(deadline, min(today, deadline + timedelta(days=60)), starts_on + timedelta(days=1))


@dataclass
class QuizStatistics:
    lesson: OutlineLesson
    svg: SafeString
    bins: list[tuple[str, int]]
    attempts: int
    mean: float | None
    median: float | None
    analysis_url: str


@dataclass
class CompletionDay:
    day: date
    count: int
    total: int
    percent: int


@method_decorator(never_cache, name="dispatch")
class CohortStatisticsView(CohortStaffRequiredMixin, TemplateView):
    """Completion over time against the deadline, and each quiz's score distribution."""

    template_name = "courses/cohorts/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        today = timezone.localdate()
        members = selectors.cohort_member_count(cohort=cohort)
        completions = sorted(selectors.completion_dates(cohort=cohort))
        end = chart_end(starts_on=cohort.starts_on, deadline=cohort.deadline, today=today)
        completion_svg = _svg(
            charts.completion_over_time(
                completions=completions,
                members=members,
                starts_on=cohort.starts_on,
                deadline=cohort.deadline,
                today=today,
                labels={
                    "title": _("Share of the cohort that completed the course, day by day"),
                    "description": _(
                        "%(done)s of %(members)s learners (%(share)s %%) have completed the course."
                    ),
                    "deadline": _("Deadline %(date)s")
                    % {"date": date_format(cohort.deadline, "SHORT_DATE_FORMAT")},
                    "start": date_format(cohort.starts_on, "SHORT_DATE_FORMAT"),
                    "end": date_format(end, "SHORT_DATE_FORMAT"),
                },
            )
        )
        days: list[CompletionDay] = []
        running = 0
        for day, count in sorted(Counter(completions).items()):
            running += count
            days.append(
                CompletionDay(
                    day=day,
                    count=count,
                    total=running,
                    percent=round(100 * running / members) if members else 0,
                )
            )
        outline = catalog.course_outline(course=cohort.course)
        with_quiz = selectors.quiz_lessons(outline)
        scores = selectors.first_attempt_scores(cohort=cohort)
        quizzes = []
        for lesson in outline.lessons:
            if lesson.id not in with_quiz and lesson.id not in scores:
                continue
            percents = scores.get(lesson.id, [])
            counts = analysis.histogram(percents)
            quizzes.append(
                QuizStatistics(
                    lesson=lesson,
                    svg=_svg(
                        charts.score_histogram(
                            counts=counts,
                            ident=f"scores-{lesson.id}",
                            labels={
                                "title": _("First-attempt scores: %(lesson)s")
                                % {"lesson": lesson.title},
                                "description": _(
                                    "How many learners scored 0 to 9 %%, 10 to 19 %%, … 90 to "
                                    "100 %% at their first attempt (%(count)s attempts)."
                                )
                                % {"count": len(percents)},
                                "axis": _("Score (%)"),
                            },
                        )
                    ),
                    bins=[
                        (
                            _("%(low)s to %(high)s %%")
                            % {"low": index * 10, "high": 100 if index == 9 else index * 10 + 9},
                            count,
                        )
                        for index, count in enumerate(counts)
                    ],
                    attempts=len(percents),
                    mean=mean(percents) if percents else None,
                    median=median(percents) if percents else None,
                    analysis_url=reverse(
                        "courses:cohort_item_analysis",
                        kwargs={"pk": cohort.pk, "lesson": lesson.id},
                    ),
                )
            )
        context.update(
            cohort=cohort,
            course=cohort.course,
            members=members,
            completed=len(completions),
            completion_svg=completion_svg,
            completion_days=days,
            quizzes=quizzes,
        )
        return context


# --- item analysis ---------------------------------------------------------------------------


@dataclass
class OptionRow:
    letter: str
    text: str
    count: int
    percent: int
    is_key: bool
    unused: bool  # a distractor nobody chose, once enough attempts saw the item


@dataclass
class Flag:
    text: str
    url: str | None  # the item's review page, for course staff only


@dataclass
class ItemRow:
    number: int
    item_id: int
    stem: str
    stats: analysis.ItemStatistics
    options: list[OptionRow]
    unanswered: int
    flags: list[Flag] = field(default_factory=list)
    review_url: str | None = None


def _item_row(number: int, entry: selectors.ItemAnalysis, *, review_url: str | None) -> ItemRow:
    stats = entry.stats
    unused = set(stats.unused_distractors)
    options = [
        OptionRow(
            letter=OPTION_LETTERS[index] if index < len(OPTION_LETTERS) else str(index + 1),
            text=text,
            count=stats.chosen[index] if index < len(stats.chosen) else 0,
            percent=round(100 * stats.chosen[index] / stats.attempts)
            if stats.attempts and index < len(stats.chosen)
            else 0,
            is_key=index == entry.key,
            unused=index in unused,
        )
        for index, text in enumerate(entry.options)
    ]
    flags = []
    for option in options:
        if option.unused:
            flags.append(
                Flag(
                    _("Distractor nobody chose: %(letter)s. %(option)s")
                    % {"letter": option.letter, "option": option.text},
                    review_url,
                )
            )
    if stats.negative_discrimination:
        flags.append(
            Flag(
                _(
                    "Negative discrimination: the learners who did best on the rest of the quiz "
                    "got this question wrong more often (is the key right? is the stem clear?)"
                ),
                review_url,
            )
        )
    return ItemRow(
        number=number,
        item_id=entry.item_id,
        stem=entry.stem,
        stats=stats,
        options=options,
        unanswered=max(0, stats.attempts - sum(stats.chosen)),
        flags=flags,
        review_url=review_url,
    )


@method_decorator(never_cache, name="dispatch")
class ItemAnalysisView(CohortStaffRequiredMixin, TemplateView):
    """One quiz's items over the cohort's first attempts, as Moodle's quiz statistics."""

    template_name = "courses/cohorts/item_analysis.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        course = cohort.course
        lesson = catalog.lesson_get(course=course, pk=kwargs["lesson"])
        if lesson is None:
            raise Http404(_("No such lesson in this cohort's course."))
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101  (CohortStaffRequiredMixin)
        # Cohort co-instructors need not be course staff: the review page would refuse them.
        can_review = catalog.course_can_manage(user=user, course=course)
        quiz = selectors.quiz_analysis(cohort=cohort, lesson_id=lesson.pk)
        items = [
            _item_row(
                number,
                entry,
                review_url=reverse(
                    "courses:item_edit", kwargs={"slug": course.slug, "pk": entry.item_id}
                )
                if can_review
                else None,
            )
            for number, entry in enumerate(quiz.items, start=1)
        ]
        context.update(
            cohort=cohort,
            course=course,
            lesson=lesson,
            items=items,
            flagged=sum(1 for item in items if item.flags),
            attempts=quiz.attempts,
            can_review=can_review,
            min_attempts=analysis.MIN_ATTEMPTS_FOR_FLAGS,
        )
        return context


# --- exports ---------------------------------------------------------------------------------

FORMATS = {"csv": exports.CSV_CONTENT_TYPE, "xlsx": exports.XLSX_CONTENT_TYPE}


def _lesson_status(cell: selectors.LessonCell) -> str:
    if not cell.has_quiz and cell.best is None:
        return _("Read") if cell.read else _("Not read")
    if cell.passed:
        return _("Read, quiz passed") if cell.read else _("Not read, quiz passed")
    if cell.best is not None:
        return _("Read, quiz not passed") if cell.read else _("Not read, quiz not passed")
    return _("Read, quiz not taken") if cell.read else _("Not read, quiz not taken")


def _certificate_status(certificate: Certificate | None, *, completed: bool) -> str:
    if certificate is None:
        return pgettext("certificates", "Being issued") if completed else ""
    return str(Certificate.Status(certificate.status).label)


def export_table(*, cohort: Cohort) -> tuple[list[str], list[list[exports.Cell]]]:
    """The export's header and rows: learner, e-mail, RPPS, a status and a score column per
    lesson, completion date, certificate code and status."""
    outline, rows = selectors.cohort_export_rows(cohort=cohort)
    header = [_("Learner"), _("E-mail"), _("Professional identifier (RPPS)")]
    for lesson in outline.lessons:
        title = f"{lesson.number}. {lesson.title}"
        header += [
            _("%(lesson)s — status") % {"lesson": title},
            _("%(lesson)s — best score (%%)") % {"lesson": title},
        ]
    header += [_("Completion date"), _("Certificate code"), _("Certificate status")]
    body: list[list[exports.Cell]] = []
    # Eight labels at most, each translated once (not once per learner and lesson).
    labels: dict[tuple[bool, bool, bool, bool], str] = {}
    for row in rows:
        line: list[exports.Cell] = [row.user.full_name, row.user.email, row.user.professional_id]
        for cell in row.cells:
            key = (cell.has_quiz, cell.read, cell.passed, cell.best is not None)
            if key not in labels:
                labels[key] = _lesson_status(cell)
            line += [labels[key], cell.best]
        line += [
            timezone.localdate(row.completed_at) if row.completed_at else None,
            row.certificate.code if row.certificate else "",
            _certificate_status(row.certificate, completed=row.completed_at is not None),
        ]
        body.append(line)
    return header, body


@method_decorator(never_cache, name="dispatch")
class CohortExportView(CohortStaffRequiredMixin, View):
    """The cohort's results as a spreadsheet: ``export.csv`` or ``export.xlsx``."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = kwargs["fmt"]
        if fmt not in FORMATS:
            raise Http404(_("No such export format."))
        cohort = self.cohort
        header, body = export_table(cohort=cohort)
        if fmt == "csv":
            content = exports.to_csv(header, body)
        else:
            content = exports.to_xlsx(header, body, title=cohort.name)
        # ASCII only: every browser and mail client keeps such a name as it is.
        slug = slugify(cohort.name)[:40].strip("-") or "export"
        filename = f"cohorte-{cohort.pk}-{slug}-{timezone.localdate():%Y%m%d}.{fmt}"
        response = HttpResponse(content, content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
