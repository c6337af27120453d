"""Course staff import documents into their course from the browser."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from courses.access import CourseStaffRequiredMixin
from courses.catalog import selectors as catalog
from courses.itembank.services import course_items_generate

from .forms import DocumentUploadForm
from .services import documents_import


class CourseManageView(CourseStaffRequiredMixin, FormView):
    template_name = "courses/ingest/manage.html"
    form_class = DocumentUploadForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["course"] = self.course
        context["modules"] = catalog.course_modules_summary(course=self.course)
        return context

    def get_success_url(self) -> str:
        return self.request.path

    def form_valid(self, form: DocumentUploadForm) -> HttpResponse:
        report = documents_import(course_slug=self.course.slug, documents=form.parsed)
        if report.changed_lesson_ids:
            generated = course_items_generate(
                course=self.course, lesson_ids=report.changed_lesson_ids
            )
            messages.info(
                self.request,
                _("%(count)d new questions drafted for review.") % {"count": generated.created},
            )
        for result in report.modules:
            messages.success(
                self.request,
                _(
                    "%(source)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged, "
                    "%(archived)d archived lessons."
                )
                % {
                    "source": result.document.source,
                    "created": result.lessons_created,
                    "updated": result.lessons_updated,
                    "unchanged": result.lessons_unchanged,
                    "archived": result.lessons_archived,
                },
            )
        return super().form_valid(form)
