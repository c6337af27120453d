"""Course staff edit how the course presents itself (the catalogue card, the course page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from courses.access import CourseStaffRequiredMixin, course_can_read
from courses.models import Course, Module
from courses.system.media import media_response

from . import selectors, services
from .forms import CoursePresentationForm


class CoursePresentationView(CourseStaffRequiredMixin, FormView):
    template_name = "courses/catalog/presentation.html"
    form_class = CoursePresentationForm

    def get_initial(self) -> dict[str, Any]:
        return {
            name: getattr(self.course, name) for name in ("description", "audience", "objectives")
        }

    def get_form_kwargs(self) -> dict[str, Any]:
        modules = Module.objects.filter(course=self.course).order_by("position", "id")
        return {**super().get_form_kwargs(), "modules": modules}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            course=self.course,
            page_title=_("Course presentation"),
            page_intro=_(
                "What the catalogue and the course page say of it; the objectives are also "
                "printed on the end-of-training certificate."
            ),
            refused=_("The presentation was not saved: correct what is shown below."),
            **kwargs,
        )

    def form_valid(self, form: CoursePresentationForm) -> HttpResponse:
        try:
            with transaction.atomic():
                services.course_presentation_update(course=self.course, **form.presentation())
                services.course_cover_set(
                    course=self.course,
                    upload=form.cleaned_data.get("cover"),
                    remove=form.cleaned_data.get("remove_cover", False),
                )
                for module, title in form.module_titles().items():
                    if title.strip() != module.title:
                        services.module_rename(module=module, title=title)
        except ValidationError as error:
            # By field (the texts), or the cover's own refusal.
            by_field = (
                error.message_dict if hasattr(error, "error_dict") else {"cover": error.messages}
            )
            for field, errors in by_field.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The course's presentation is saved."))
        return redirect(self.course)


class CourseImageView(View):
    """A lesson's picture, to whoever may read a course holding it (a published course's:
    anyone). Its address is its content's hash: cached for a year."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user if request.user.is_authenticated else None
        image = selectors.course_image_readable(key=kwargs["key"], user=user)
        if image is None:
            raise Http404(_("No such image."))
        response = media_response(
            request,
            image.file.name,
            content_type=image.content_type,
            missing=_("This image is no longer stored."),
        )
        if response.status_code != 200:
            return response
        response["Cache-Control"] = (
            "public, max-age=31536000, immutable"
            if image.course.is_published
            else "private, max-age=0"
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class CourseCoverView(View):
    """A course's cover image, to whoever may see the course (catalogue: anyone for a
    published course). Cached for a year: a new cover has a new address (Course.cover_url)."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user if request.user.is_authenticated else None
        course = Course.objects.filter(slug=kwargs["slug"]).first()
        if course is None or not course.cover or not course_can_read(user=user, course=course):
            raise Http404(_("No such image."))
        response = media_response(
            request,
            course.cover.name,
            content_type="image/jpeg",
            missing=_("This image is no longer stored."),
        )
        if response.status_code != 200:
            return response
        response["Cache-Control"] = (
            "public, max-age=31536000, immutable" if course.is_published else "private, max-age=0"
        )
        return response
