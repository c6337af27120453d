"""Course staff download the course as a SCORM package."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from courses.access import CourseStaffRequiredMixin

from . import identifiers as ids
from .manifest import STANDARDS
from .package import ScormError, package_build


@method_decorator(never_cache, name="dispatch")
class ScormExportView(CourseStaffRequiredMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        standard = kwargs["standard"]
        if standard not in STANDARDS:
            raise Http404(_("No such SCORM version."))
        try:
            data = package_build(course=self.course, standard=standard)
        except ScormError as error:
            # Back to the page the button is on, which says why (a course with no lesson yet).
            messages.error(request, str(error))
            return redirect("courses:course_manage", slug=self.course.slug)
        response = HttpResponse(data, content_type="application/zip")
        name = ids.file_name(self.course.slug, standard)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
