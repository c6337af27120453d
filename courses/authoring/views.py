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
from courses.models import CourseImage, Lesson, LessonVersion, User
from courses.system.media import StorageUnavailable

from . import selectors, services
from .forms import LessonAddForm, LessonEditForm


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
        except (services.EditRefused, StorageUnavailable) as refused:
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


class CourseStructureView(CourseStaffRequiredMixin, View):
    """The course's modules and lessons in order: each moved up or down with a button (the
    keyboard's, not a drag), a lesson added or archived. POST: one change, then the page."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page()

    def page(self, *, add_errors: dict[int, str] | None = None, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "courses/authoring/structure.html",
            {
                "course": self.course,
                "modules": selectors.course_structure(course=self.course),
                "add_errors": add_errors or {},
                "add_form": LessonAddForm(),
            },
            status=status,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action", "")
        target = request.POST.get("target", "")
        if action in {"lesson-up", "lesson-down", "archive"}:
            lesson = self.lesson_or_404(int(target) if target.isdigit() else 0)
            if action == "archive":
                services.lesson_archive(lesson=lesson)
                messages.success(
                    request,
                    _("“%(title)s” is archived: learners no longer see it; their readings stay.")
                    % {"title": lesson.title},
                )
            else:
                services.lesson_move(lesson=lesson, offset=-1 if action == "lesson-up" else 1)
            return self.back(f"lesson-{lesson.pk}")
        if action in {"module-up", "module-down", "add"}:
            module = selectors.module_in_course(course=self.course, pk=target)
            if module is None:
                raise Http404(_("No such module."))
            if action == "add":
                form = LessonAddForm(request.POST)
                try:
                    if not form.is_valid():
                        raise services.EditRefused(_("A lesson needs a title and a text."))
                    lesson = services.lesson_add(
                        module=module,
                        title=form.cleaned_data["title"],
                        text=form.cleaned_data["text"],
                        by=_user(request),
                    )
                except services.EditRefused as refused:
                    return self.page(add_errors={module.pk: str(refused)}, status=400)
                messages.success(request, _("Lesson added: edit it further here."))
                return HttpResponseRedirect(
                    reverse(
                        "courses:lesson_edit", kwargs={"slug": self.course.slug, "pk": lesson.pk}
                    )
                )
            services.module_move(module=module, offset=-1 if action == "module-up" else 1)
            return self.back(f"module-{module.pk}")
        return HttpResponse(_("Unknown action."), status=400)

    def back(self, anchor: str) -> HttpResponse:
        url = reverse("courses:course_structure", kwargs={"slug": self.course.slug})
        return HttpResponseRedirect(f"{url}#{anchor}")


class LessonHistoryView(CourseStaffRequiredMixin, View):
    """The lesson's versions with what each changed; POST ``restore``: an earlier one back."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404()
        return render(
            request,
            "courses/authoring/history.html",
            {
                "course": self.course,
                "lesson": lesson,
                "entries": selectors.lesson_history(lesson=lesson),
            },
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404()
        version = (
            LessonVersion.objects.filter(
                lesson=lesson, version=request.POST.get("restore", "") or 0
            ).first()
            if request.POST.get("restore", "").isdigit()
            else None
        )
        base = request.POST.get("base_version", "")
        if version is None or not base.isdigit():
            return HttpResponse(_("Unknown version."), status=400)
        try:
            saved, _changed = services.lesson_restore(
                lesson=lesson, version=version, base_version=int(base), by=_user(request)
            )
        except services.EditConflict:
            messages.error(
                request,
                _(
                    "Someone saved this lesson meanwhile: look at the history again before "
                    "restoring."
                ),
            )
        else:
            messages.success(
                request,
                _("Version %(old)d restored as version %(new)d.")
                % {"old": version.version, "new": saved.version},
            )
        return HttpResponseRedirect(
            reverse("courses:lesson_history", kwargs={"slug": self.course.slug, "pk": lesson.pk})
        )
