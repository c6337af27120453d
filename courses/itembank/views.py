"""Course staff review generated items: per lesson, each item beside its source passage.

Generated items are drafts; only approved ones are served to learners (courses.quizzes).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import FormView, TemplateView

from courses.access import CourseStaffRequiredMixin
from courses.catalog import selectors as catalog
from courses.models import Course, Lesson, QuestionItem, User

from . import selectors, services
from .forms import ItemEditForm, ItemReviewForm


def review_url(course: Course, lesson: Lesson, *, shown: str = "", item: int | None = None) -> str:
    url = reverse("courses:review_lesson", kwargs={"slug": course.slug, "pk": lesson.pk})
    if shown and shown != "all":
        url += "?" + urlencode({"status": shown})
    if item is not None:
        url += f"#item-{item}"
    return url


class CourseStaffMixin(CourseStaffRequiredMixin):
    """Course staff only, with the lesson and item lookups of the review pages."""

    def lesson_or_404(self, pk: int) -> Lesson:
        lesson = catalog.lesson_get(course=self.course, pk=pk)
        if lesson is None:
            raise Http404(_("No such lesson."))
        return lesson

    def item_or_404(self, pk: int) -> QuestionItem:
        item = selectors.item_in_course(course=self.course, pk=pk)
        if item is None:
            raise Http404(_("No such question in this course."))
        return item


class ReviewIndexView(CourseStaffMixin, TemplateView):
    """Every lesson of the course with its items counted by status."""

    template_name = "courses/itembank/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        modules = selectors.course_review_summary(course=self.course)
        context.update(
            course=self.course,
            modules=modules,
            totals=selectors.course_review_totals(modules=modules),
        )
        return context


class LessonReviewView(CourseStaffMixin, TemplateView):
    """One lesson's items, each beside its source passage, with the review buttons."""

    template_name = "courses/itembank/lesson.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lesson = self.lesson_or_404(kwargs["pk"])
        shown = selectors.status_filter(self.request.GET.get("status"))
        counts = selectors.lesson_review_counts(lesson=lesson)
        base = reverse("courses:review_lesson", kwargs={"slug": self.course.slug, "pk": lesson.pk})
        labels = {
            "all": pgettext("questions", "All"),
            QuestionItem.Status.DRAFT: pgettext("questions", "To review"),
            QuestionItem.Status.APPROVED: pgettext("questions", "Approved"),
            QuestionItem.Status.REJECTED: pgettext("questions", "Rejected"),
        }
        context.update(
            course=self.course,
            lesson=lesson,
            shown=shown,
            counts=counts,
            filters=[
                {
                    "value": value,
                    "label": labels[value],
                    "count": counts.of(value),
                    "url": base if value == "all" else f"{base}?{urlencode({'status': value})}",
                }
                for value in selectors.STATUS_FILTERS
            ],
            rows=selectors.lesson_review_rows(lesson=lesson, status=shown),
            Status=QuestionItem.Status,
        )
        return context


class ItemReviewView(CourseStaffMixin, FormView):
    """Approve, reject or send an item back to draft (POST only)."""

    http_method_names = ["post"]
    form_class = ItemReviewForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.item = self.item_or_404(kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: ItemReviewForm) -> HttpResponse:
        # The page only offers valid statuses: anything else was not sent by it.
        return HttpResponseBadRequest(_("Unknown review decision."))

    def form_valid(self, form: ItemReviewForm) -> HttpResponse:
        assert isinstance(self.request.user, User)  # noqa: S101  (LoginRequiredMixin)
        status = form.cleaned_data["status"]
        services.item_review(item=self.item, status=status, reviewer=self.request.user)
        done = {
            QuestionItem.Status.APPROVED: _("Question approved: learners can now be asked it."),
            QuestionItem.Status.REJECTED: _("Question rejected: learners will not be asked it."),
            QuestionItem.Status.DRAFT: _("Question back to draft: learners will not be asked it."),
        }
        messages.success(self.request, done[status])
        return HttpResponseRedirect(
            review_url(
                self.course,
                self.item.lesson,
                shown=form.cleaned_data.get("shown") or "",
                item=self.item.pk,
            )
        )


class LessonRegenerateView(CourseStaffMixin, View):
    """Generate the lesson's items again: drafts refreshed, reviewed and edited items kept."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404(kwargs["pk"])
        report = services.lesson_items_regenerate(lesson=lesson)
        messages.success(
            request,
            _(
                "Questions generated again: %(created)d new drafts, %(refreshed)d drafts "
                "refreshed, %(kept)d reviewed questions kept, %(sent_back)d sent back to review."
            )
            % {
                "created": report.created,
                "refreshed": report.refreshed,
                "kept": report.kept,
                "sent_back": report.sent_back,
            },
        )
        return HttpResponseRedirect(review_url(self.course, lesson))


class ItemEditView(CourseStaffMixin, FormView):
    """Edit an item's stem, options, key and explanation; the item-writing checks still apply."""

    template_name = "courses/itembank/edit.html"
    form_class = ItemEditForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.item = self.item_or_404(kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.item = self.item_or_404(kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return ItemEditForm.initial_for(self.item)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "multiple": self.item.is_multiple}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lesson = self.item.lesson
        context.update(
            course=self.course,
            lesson=lesson,
            item=self.item,
            passage=selectors.source_passage(
                text=lesson.text,
                start=self.item.source_start,
                end=self.item.source_end,
                sentence=self.item.source_sentence,
            ),
            back_url=review_url(self.course, lesson, item=self.item.pk),
        )
        return context

    def form_valid(self, form: ItemEditForm) -> HttpResponse:
        assert isinstance(self.request.user, User)  # noqa: S101  (LoginRequiredMixin)
        approve = form.cleaned_data["approve"]
        try:
            services.item_edit(
                item=self.item,
                stem=form.cleaned_data["stem"],
                options=form.options(),
                answer=form.cleaned_data["answer"],
                explanation=form.cleaned_data["explanation"],
                reviewer=self.request.user,
                approve=approve,
            )
        except services.ItemFlawed as refused:
            form.add_flaws(refused.flaws)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Question saved and approved.") if approve else _("Question saved.")
        )
        return HttpResponseRedirect(review_url(self.course, self.item.lesson, item=self.item.pk))
