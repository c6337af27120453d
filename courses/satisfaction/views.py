"""Course staff read the satisfaction questionnaire's results, for the course or a cohort, and
export them (evidence Qualiopi asks for). Never with a name; not under MIN_RESPONSES answers.
The learner's side is on the completion page (courses/learning)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from courses.access import CohortStaffRequiredMixin, CourseStaffRequiredMixin, cohorts_visible
from courses.models import Cohort, Course, User
from courses.reporting import exports

from . import selectors


def _course_cohort(request: HttpRequest, course: Course) -> tuple[Cohort | None, list[Cohort]]:
    """The cohort asked for (?cohort=), among the course's cohorts this user may follow (404
    for any other), and those cohorts."""
    assert isinstance(request.user, User)  # noqa: S101  (staff mixins log in first)
    cohorts = list(cohorts_visible(user=request.user).filter(course=course).order_by("name"))
    wanted = request.GET.get("cohort", "")
    if not wanted:
        return None, cohorts
    cohort = next((c for c in cohorts if str(c.pk) == wanted), None)
    if cohort is None:
        raise Http404(_("No such cohort."))
    return cohort, cohorts


class _ResultsPage(TemplateView):
    template_name = "courses/satisfaction/results.html"

    def render_results(
        self, *, course: Course, cohort: Cohort | None, cohorts: list[Cohort], export_url: str
    ) -> HttpResponse:
        context = self.get_context_data(
            course=course,
            cohort=cohort,
            cohorts=cohorts,
            summary=selectors.satisfaction_summary(course=course, cohort=cohort),
            min_responses=selectors.MIN_RESPONSES,
            export_url=export_url,
        )
        return self.render_to_response(context)


class CourseSatisfactionView(CourseStaffRequiredMixin, _ResultsPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cohort, cohorts = _course_cohort(request, self.course)
        export_url = reverse("courses:satisfaction_export", kwargs={"slug": self.course.slug})
        if cohort is not None:
            export_url += f"?cohort={cohort.pk}"
        return self.render_results(
            course=self.course, cohort=cohort, cohorts=cohorts, export_url=export_url
        )


class CohortSatisfactionView(CohortStaffRequiredMixin, _ResultsPage):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_results(
            course=self.cohort.course,
            cohort=self.cohort,
            cohorts=[],
            export_url=reverse("courses:cohort_satisfaction_export", kwargs={"pk": self.cohort.pk}),
        )


def _export(course: Course, cohort: Cohort | None) -> HttpResponse:
    if selectors.satisfaction_summary(course=course, cohort=cohort).responses < (
        selectors.MIN_RESPONSES
    ):
        raise Http404(_("Too few answers to export them without telling who gave them."))
    header, rows = selectors.satisfaction_export_table(course=course, cohort=cohort)
    name = slugify(cohort.name if cohort is not None else course.slug)[:40].strip("-") or "export"
    filename = f"satisfaction-{name}-{timezone.localdate():%Y%m%d}.csv"
    response = HttpResponse(exports.to_csv(header, rows), content_type=exports.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@method_decorator(never_cache, name="dispatch")
class CourseSatisfactionExportView(CourseStaffRequiredMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cohort, _cohorts = _course_cohort(request, self.course)
        return _export(self.course, cohort)


@method_decorator(never_cache, name="dispatch")
class CohortSatisfactionExportView(CohortStaffRequiredMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _export(self.cohort.course, self.cohort)
