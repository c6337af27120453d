"""The lesson editor (course staff): edit, preview, add pictures, save as a new version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from courses.access import CourseStaffRequiredMixin
from courses.catalog import selectors as catalog
from courses.markup import clean_markdown, render_markdown
from courses.models import CourseImage, Lesson, User

from . import services
from .forms import LessonEditForm


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  (CourseStaffRequiredMixin)
    return request.user


def preview_html(text: str) -> str:
    """The text as learners will see it: the same cleaning and sanitiser as display."""
    return render_markdown(clean_markdown(text))


class LessonEditView(CourseStaffRequiredMixin, View):
    """GET: the editor. POST: "preview", "insert" (a picture of the course), "upload" (a new
    picture) re-show the editor with the unsaved text; "save" saves it."""

    def render_editor(
        self, form: LessonEditForm, lesson: Lesson, *, conflict: Any = None, status: int = 200
    ) -> HttpResponse:
        text = form.data.get("text") if form.is_bound else form.initial.get("text", "")
        return render(
            self.request,
            "courses/authoring/edit.html",
            {
                "course": self.course,
                "lesson": lesson,
                "form": form,
                "preview": mark_safe(preview_html(str(text or ""))),  # noqa: S308  (sanitised)
                "pictures": CourseImage.objects.filter(course=self.course).order_by("-pk")[:30],
                "conflict": conflict,
                "preview_url": reverse(
                    "courses:lesson_preview", kwargs={"slug": self.course.slug, "pk": lesson.pk}
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404()
        form = LessonEditForm(
            initial={"title": lesson.title, "text": lesson.text, "base_version": lesson.version}
        )
        return self.render_editor(form, lesson)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404()
        form = LessonEditForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_editor(form, lesson, status=400)
        data = form.cleaned_data
        if "insert" in request.POST or "upload" in request.POST:
            return self.add_picture(form, lesson)
        if "save" not in request.POST:
            return self.render_editor(form, lesson)  # the preview, server-side
        try:
            saved, changed = services.lesson_edit(
                lesson=lesson,
                title=data["title"],
                text=data["text"],
                base_version=data["base_version"],
                by=_user(request),
            )
        except services.EditConflict as conflict:
            form.add_error(
                None,
                _(
                    "Someone saved this lesson since you opened it: your text is below, "
                    "theirs beside it. Copy what you need into yours, then save again."
                ),
            )
            return self.render_editor(form, lesson, conflict=conflict.current, status=409)
        except services.EditRefused as refused:
            form.add_error("text", str(refused))
            return self.render_editor(form, lesson, status=400)
        if changed:
            messages.success(
                request,
                _(
                    "Lesson saved as version %(version)d. Learners read it again; its questions "
                    "are being drawn again from the new text."
                )
                % {"version": saved.version},
            )
        else:
            messages.info(request, _("Nothing changed in the text."))
        return HttpResponseRedirect(
            reverse("courses:lesson_edit", kwargs={"slug": self.course.slug, "pk": saved.pk})
        )

    def add_picture(self, form: LessonEditForm, lesson: Lesson) -> HttpResponse:
        """A picture put at the end of the unsaved text (uploaded, or one of the course's)."""
        data = form.cleaned_data
        try:
            if "upload" in self.request.POST:
                upload = data.get("picture")
                if upload is None:
                    raise services.EditRefused(_("Choose a picture to add."))
                image = services.course_picture_add(
                    course=self.course, data=upload.read(), alt=data.get("picture_alt") or ""
                )
            else:
                image = CourseImage.objects.filter(
                    course=self.course, key=self.request.POST.get("insert", "")
                ).first()
                if image is None:
                    raise services.EditRefused(_("This picture is not one of the course's."))
        except services.EditRefused as refused:
            form.add_error("picture", str(refused))
            return self.render_editor(form, lesson, status=400)
        snippet = services.picture_markdown(image, alt=data.get("picture_alt") or "")
        text = data["text"].rstrip() + "\n\n" + snippet + "\n"
        bound = LessonEditForm(
            {"title": data["title"], "text": text, "base_version": data["base_version"]}
        )
        bound.is_valid()
        return self.render_editor(bound, lesson)


class LessonPreviewView(CourseStaffRequiredMixin, View):
    """POST the text: its HTML as learners will see it (the editor's live preview)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if catalog.lesson_get(course=self.course, pk=kwargs["pk"]) is None:
            raise Http404(_("No such lesson."))
        text = request.POST.get("text", "")[:200_000]
        response = HttpResponse(preview_html(text), content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response
