"""Course staff's home ("Mes formations animées"): their courses and cohorts, what needs them
and every tool. Composes the features' reads: imported by nothing but the URLs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from courses.models import User
from courses.progress import selectors as progress_selectors

from . import selectors


class TeachingHomeView(LoginRequiredMixin, TemplateView):
    template_name = "courses/teaching/home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)  # noqa: S101  (LoginRequiredMixin)
        if not selectors.is_course_staff(user=user):
            return redirect("courses:dashboard")
        context = self.get_context_data(
            courses=list(selectors.taught_courses(user=user)),
            cohorts=selectors.followed_cohorts(user=user),
            # A staff member who also takes courses: the way to them.
            learning=len(progress_selectors.enrolled_course_ids(user=user)),
        )
        return self.render_to_response(context)
