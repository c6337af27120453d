"""Course staff's page of a course's settings: what completing it takes, what its certificate
says."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView

from courses.access import CourseStaffRequiredMixin

from . import services
from .forms import CourseSettingsForm


class CourseSettingsView(CourseStaffRequiredMixin, FormView):
    """Course staff set what completing the course takes and what its certificate says."""

    template_name = "courses/progress/settings.html"
    form_class = CourseSettingsForm

    def get_initial(self) -> dict[str, Any]:
        initial = {name: getattr(self.course, name) for name in CourseSettingsForm.base_fields}
        initial["satisfaction_questions"] = "\n".join(self.course.satisfaction_questions or [])
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            course=self.course,
            page_title=_("Course settings"),
            page_intro=_("What completing the course takes, and what its certificates say."),
            refused=_("The settings were not saved: correct what is shown below."),
            **kwargs,
        )

    def form_valid(self, form: CourseSettingsForm) -> HttpResponse:
        try:
            completed = services.course_settings_update(course=self.course, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The course settings are saved."))
        if completed:
            messages.success(
                self.request,
                ngettext(
                    "%(count)d learner meets the new completion rule: the course is completed "
                    "and the certificate is on its way.",
                    "%(count)d learners meet the new completion rule: the course is completed "
                    "and their certificates are on their way.",
                    completed,
                )
                % {"count": completed},
            )
        return redirect("courses:course_settings", slug=self.course.slug)
