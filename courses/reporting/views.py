"""Course staff following a cohort: the learners x lessons table, one learner's attempts, the
charts, the item analysis of each quiz, and the results as CSV or XLSX.

Thin views: every read is a selector of this package (a constant number of queries whatever
the cohort's size); charts and spreadsheets are pure functions (charts.py, exports.py); the
views add the labels. Who may see a cohort is decided once, by CohortStaffRequiredMixin (404
for anyone else).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
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

from courses import access
from courses.access import CohortStaffRequiredMixin
from courses.catalog import selectors as catalog
from courses.catalog.selectors import OutlineLesson
from courses.cohorts import selectors as cohorts
from courses.models import AccessRecord, Cohort, User
from courses.system import accesses

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


def _sort_headers(query: TableQuery, base: str) -> dict[str, SortHeader]:
    labels = {
        "name": _("Learner"),
        "progress": _("Progress"),
        "completed": _("Completed on"),
        "activity": _("Last activity"),
    }
    return {
        key: _sort_header(query, base, key=key, first=first, label=labels[key])
        for key, first in SORTABLE.items()
    }


def _filters(query: TableQuery, base: str, counts: dict[str, int]) -> list[dict[str, Any]]:
    labels = {
        "all": pgettext("learners", "All"),
        "completed": pgettext("learners", "Completed"),
        "in_progress": pgettext("learners", "In progress"),
        "not_started": pgettext("learners", "Not started"),
    }
    return [
        {
            "value": value,
            "label": labels[value],
            "count": counts[value],
            "url": query.url(base, status=value),
        }
        for value in selectors.FILTERS
    ]


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

    template_name = "courses/reporting/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        query = TableQuery.from_get(self.request.GET)
        table = selectors.cohort_table(
            cohort=cohort, sort=query.sort, status=query.status, search=query.q, page=query.page
        )
        base = reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk})
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
            headers=_sort_headers(query, base),
            filters=_filters(query, base, table.counts),
            previous_url=query.url(base, page=page.previous_page_number())
            if page.has_previous()
            else None,
            next_url=query.url(base, page=page.next_page_number()) if page.has_next() else None,
            clear_search_url=query.url(base, q=""),
            deadline_note=_deadline_note(cohort.deadline, today),
            deadline_passed=cohort.deadline < today,
            remind_open=today >= cohort.reminders_open_on,
        )
        return context


# --- one learner -----------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class CohortLearnerView(CohortStaffRequiredMixin, TemplateView):
    """One member: their lessons, every quiz attempt, their certificate."""

    template_name = "courses/reporting/learner.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        membership = cohorts.membership_in_cohort(cohort=cohort, pk=kwargs["member"])
        if membership is None:
            raise Http404(_("This learner is not in the cohort."))
        accesses.record(
            by=accesses.viewer(self.request),
            action=AccessRecord.Action.LEARNER_VIEWED,
            subject=membership.enrollment.user,
            cohort=cohort,
        )
        outline, row = selectors.learner_row(cohort=cohort, membership=membership)
        context.update(
            cohort=cohort,
            course=cohort.course,
            membership=membership,
            learner=row.user,
            row=row,
            lessons=list(zip(outline.lessons, row.cells, strict=True)),
            attempts=selectors.learner_attempts(cohort=cohort, membership=membership),
        )
        return context


# --- statistics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizChart:
    lesson: OutlineLesson
    attempts: int
    mean: float | None
    median: float | None
    svg: SafeString
    bins: list[tuple[str, int]]
    analysis_url: str


def _completion_chart(
    cohort: Cohort, statistics: selectors.CohortStatistics, today: date
) -> SafeString:
    return _svg(
        charts.completion_over_time(
            completions=statistics.completions,
            members=statistics.members,
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
                "end": date_format(statistics.chart_end, "SHORT_DATE_FORMAT"),
            },
        )
    )


def _quiz_chart(cohort: Cohort, scores: selectors.QuizScores) -> QuizChart:
    lesson = scores.lesson
    svg = charts.score_histogram(
        counts=scores.counts,
        ident=f"scores-{lesson.id}",
        labels={
            "title": _("First-attempt scores: %(lesson)s") % {"lesson": lesson.title},
            "description": _(
                "How many learners scored 0 to 19 %%, 20 to 39 %%, … 80 to "
                "100 %% at their first attempt (%(count)s attempts)."
            )
            % {"count": scores.attempts},
            "axis": _("Score (%)"),
        },
    )
    return QuizChart(
        lesson=lesson,
        attempts=scores.attempts,
        mean=scores.mean,
        median=scores.median,
        svg=_svg(svg),
        bins=[
            (
                _("%(low)s to %(high)s %%")
                % dict(zip(("low", "high"), charts.band(index, len(scores.counts)), strict=True)),
                count,
            )
            for index, count in enumerate(scores.counts)
        ],
        analysis_url=reverse(
            "courses:cohort_item_analysis", kwargs={"pk": cohort.pk, "lesson": lesson.id}
        ),
    )


@method_decorator(never_cache, name="dispatch")
class CohortStatisticsView(CohortStaffRequiredMixin, TemplateView):
    """Completion over time against the deadline, and each quiz's score distribution."""

    template_name = "courses/reporting/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        today = timezone.localdate()
        statistics = selectors.cohort_statistics(cohort=cohort, today=today)
        context.update(
            cohort=cohort,
            course=cohort.course,
            members=statistics.members,
            completed=len(statistics.completions),
            completion_svg=_completion_chart(cohort, statistics, today),
            completion_days=statistics.days,
            quizzes=[_quiz_chart(cohort, scores) for scores in statistics.quizzes],
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
            is_key=index in entry.keys,
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
        unanswered=max(0, stats.attempts - stats.answered),
        flags=flags,
        review_url=review_url,
    )


@method_decorator(never_cache, name="dispatch")
class ItemAnalysisView(CohortStaffRequiredMixin, TemplateView):
    """One quiz's items over the cohort's first attempts, as Moodle's quiz statistics."""

    template_name = "courses/reporting/item_analysis.html"

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
        can_review = access.course_can_manage(user=user, course=course)
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
            min_attempts=settings.ITEM_ANALYSIS_MIN_LEARNERS,
        )
        return context


# --- exports ---------------------------------------------------------------------------------

FORMATS = {"csv": exports.CSV_CONTENT_TYPE, "xlsx": exports.XLSX_CONTENT_TYPE}


@method_decorator(never_cache, name="dispatch")
class CohortExportView(CohortStaffRequiredMixin, View):
    """The cohort's results as a spreadsheet: ``export.csv`` or ``export.xlsx``."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = kwargs["fmt"]
        if fmt not in FORMATS:
            raise Http404(_("No such export format."))
        cohort = self.cohort
        header, body = selectors.cohort_export_table(cohort=cohort)
        accesses.record(
            by=accesses.viewer(request),
            action=AccessRecord.Action.COHORT_EXPORTED,
            cohort=cohort,
            detail=f"{fmt}, {len(body)}",
        )
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
