"""Course staff import documents into their course from the browser: the files are sent, a
worker reads and imports them, the page follows the import (courses/ingest/services.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from courses.access import CourseStaffRequiredMixin
from courses.catalog import selectors as catalog
from courses.models import User
from courses.system.media import StorageUnavailable

from . import selectors, services
from .forms import DocumentUploadForm


class CourseManageView(CourseStaffRequiredMixin, FormView):
    template_name = "courses/ingest/manage.html"
    form_class = DocumentUploadForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["course"] = self.course
        context["modules"] = catalog.course_modules_summary(course=self.course)
        context["imports"] = selectors.course_imports(course=self.course)
        return context

    def get_success_url(self) -> str:
        return self.request.path + "#imports"

    def form_valid(self, form: DocumentUploadForm) -> HttpResponse:
        assert isinstance(self.request.user, User)  # noqa: S101  (CourseStaffRequiredMixin)
        uploads = [(upload.name or "document", upload) for upload in form.cleaned_data["documents"]]
        try:
            services.import_request(
                course=self.course,
                uploads=uploads,
                by=self.request.user,
                replace_edited=form.cleaned_data["replace_edited"],
            )
        except StorageUnavailable as unavailable:
            form.add_error("documents", str(unavailable))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The documents are being imported: this page shows how it goes."),
        )
        return super().form_valid(form)


class ImportStateView(CourseStaffRequiredMixin, TemplateView):
    """The recent imports alone, for the manage page's script to poll (the newest import's
    state in the X-Poll-State header)."""

    template_name = "courses/ingest/_imports.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        imports = selectors.course_imports(course=self.course)
        response = self.render_to_response({"imports": imports, "course": self.course})
        response["X-Poll-State"] = selectors.imports_state(imports)
        response["Cache-Control"] = "no-store"
        return response
