"""Who may see what: one place, over the models only (no feature package is imported here, so
every feature may ask it).

- A course is read by everyone once published; its staff (its instructors and administrators)
  see it before, and alone manage it.
- A cohort is seen by its owner, its co-instructors and administrators; to anyone else it does
  not exist (404, so that an instructor cannot learn that another's cohort exists).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from courses.models import Cohort, Course, Lesson, User

# --- courses ---------------------------------------------------------------------------------


def course_can_manage(*, user: User, course: Course) -> bool:
    """Administrators, and the course's instructors (users with the instructor role)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role != User.Role.INSTRUCTOR:
        return False
    return course.instructors.filter(pk=user.pk).exists()


def course_can_read(*, user: User | None, course: Course) -> bool:
    """A published course, or any course for its staff and administrators."""
    return course.is_published or (user is not None and course_can_manage(user=user, course=course))


def courses_managed(*, user: User) -> QuerySet[Course]:
    """The courses this user may manage: every course for an administrator, else those they
    teach (instructor role only, as course_can_manage)."""
    if not user.is_authenticated:
        return Course.objects.none()
    if user.is_superuser:
        return Course.objects.order_by("title")
    if user.role != User.Role.INSTRUCTOR:
        return Course.objects.none()
    return Course.objects.filter(instructors=user).order_by("title")


# --- cohorts ---------------------------------------------------------------------------------


def cohorts_visible(*, user: User) -> QuerySet[Cohort]:
    """The cohorts an instructor owns or shares (every cohort for an administrator)."""
    cohorts = Cohort.objects.all()
    if not user.is_superuser:
        cohorts = cohorts.filter(Q(owner=user) | Q(co_instructors=user)).distinct()
    return cohorts


def cohort_for_staff(*, user: User, pk: int) -> Cohort | None:
    """The cohort if this user owns or shares it (or is an administrator); else None."""
    if not user.is_authenticated:
        return None
    cohort = Cohort.objects.select_related("course", "owner").filter(pk=pk).first()
    if cohort is None:
        return None
    if user.is_superuser or cohort.owner_id == user.pk:
        return cohort
    if cohort.co_instructors.filter(pk=user.pk).exists():
        return cohort
    return None


# --- views -----------------------------------------------------------------------------------


class CourseStaffRequiredMixin(LoginRequiredMixin):
    """Login required; the course from the URL's ``slug``: 404 if unknown or unpublished to
    this user, 403 for anyone but its staff. Sets ``self.course``."""

    course: Course

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        assert isinstance(request.user, User)  # noqa: S101  (authenticated)
        course = Course.objects.filter(slug=kwargs["slug"]).first()
        if course is None or not course_can_read(user=request.user, course=course):
            raise Http404(_("No such course."))
        if not course_can_manage(user=request.user, course=course):
            raise PermissionDenied(_("Only the course's instructors and administrators manage it."))
        self.course = course
        return super().dispatch(request, *args, **kwargs)

    def lesson_or_404(self, pk: int | None = None) -> Lesson:
        """An active lesson of the course (the URL's ``pk`` unless given), its module and
        course with it."""
        wanted = pk if pk is not None else self.kwargs["pk"]  # type: ignore[attr-defined]
        lesson = (
            Lesson.objects.select_related("module")
            .filter(pk=wanted, module__course=self.course, archived_at__isnull=True)
            .first()
        )
        if lesson is None:
            raise Http404(_("No such lesson."))
        lesson.module.course = self.course
        return lesson


class CohortStaffRequiredMixin(LoginRequiredMixin):
    """Login required; the cohort from the URL's ``pk``: 404 if it does not exist *or* if the
    user neither owns nor shares it, unless they are an administrator. Sets ``self.cohort``."""

    cohort: Cohort

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        assert isinstance(request.user, User)  # noqa: S101  (authenticated)
        cohort = cohort_for_staff(user=request.user, pk=kwargs["pk"])
        if cohort is None:
            raise Http404(_("No such cohort."))
        self.cohort = cohort
        return super().dispatch(request, *args, **kwargs)
