"""Who may see a course-staff page: one rule for every feature (catalog.selectors decides for
courses, cohorts.selectors for cohorts)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from courses.catalog import selectors as catalog
from courses.cohorts import selectors as cohort_selectors
from courses.models import Cohort, Course, User


class CourseStaffRequiredMixin(LoginRequiredMixin):
    """Login required; the course from the URL's ``slug``: 404 if unknown, 403 for anyone but
    its staff (its instructors and administrators). Sets ``self.course``."""

    course: Course

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        assert isinstance(request.user, User)  # noqa: S101  (authenticated)
        course = catalog.course_get(slug=kwargs["slug"], user=request.user)
        if course is None:
            raise Http404(_("No such course."))
        if not catalog.course_can_manage(user=request.user, course=course):
            raise PermissionDenied(_("Only the course's instructors and administrators manage it."))
        self.course = course
        return super().dispatch(request, *args, **kwargs)


class CohortStaffRequiredMixin(LoginRequiredMixin):
    """Login required; the cohort from the URL's ``pk``: 404 if it does not exist *or* if the
    user neither owns nor shares it (an instructor cannot even learn that another's cohort
    exists), unless they are an administrator. Sets ``self.cohort``."""

    cohort: Cohort

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        assert isinstance(request.user, User)  # noqa: S101  (authenticated)
        cohort = cohort_selectors.cohort_for_staff(user=request.user, pk=kwargs["pk"])
        if cohort is None:
            raise Http404(_("No such cohort."))
        self.cohort = cohort
        return super().dispatch(request, *args, **kwargs)
