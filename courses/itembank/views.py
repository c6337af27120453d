"""Course staff review generated items: per lesson, each item beside its source passage.

Generated items are drafts; only approved ones are served to learners (courses.quizzes).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import FormView, TemplateView

from courses.access import CourseStaffRequiredMixin
from courses.models import BackgroundJob, Course, Lesson, QuestionItem, User
from courses.quizgen import Flaw

from . import selectors, services
from .forms import ItemEditForm, ItemReviewForm, ItemWriteForm, flaw_findings


def review_url(course: Course, lesson: Lesson, *, shown: str = "", item: int | None = None) -> str:
    url = reverse("courses:review_lesson", kwargs={"slug": course.slug, "pk": lesson.pk})
    if shown and shown != "all":
        url += "?" + urlencode({"status": shown})
    if item is not None:
        url += f"#item-{item}"
    return url


def overridden_findings(item: QuestionItem) -> list[str]:
    """The checks staff overruled to save the item, worded as the editor worded them."""
    return [
        message
        for stored in item.checks_overridden or []
        for _field, message in flaw_findings(
            Flaw(
                code=stored.get("code", ""),
                message=stored.get("message", ""),
                options=tuple(stored.get("options", ())),
                rule=stored.get("rule", ""),
                word=stored.get("word", ""),
            )
        )
    ]


class CourseStaffMixin(CourseStaffRequiredMixin):
    """Course staff only, with the lesson and item lookups of the review pages."""

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
            rows=[
                replace(row, overridden=overridden_findings(row.item))
                for row in selectors.lesson_review_rows(lesson=lesson, status=shown)
            ],
            Status=QuestionItem.Status,
            box=regeneration_box(selectors.lesson_latest_job(lesson=lesson)),
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


# Why the generator's checks dropped a candidate question, as the regeneration's report says
# it (each code of courses/quizgen's flaws; an unknown one is named by its code).
DROP_REASONS: dict[str, Promise] = {
    "key_not_stated": _lazy("the source sentence does not state the answer"),
    "distractor_stated": _lazy("a wrong option is stated as true by the course"),
    "distractor_true": _lazy("a wrong option is true in practice"),
    "key_is_topic": _lazy("the answer is what the lesson is about"),
    "key_everywhere": _lazy("the answer is named in most of the lesson's sentences"),
    "blank_splits_word": _lazy("the gap would cut a word"),
    "option_not_whole_term": _lazy("an option would be a piece cut out of a phrase"),
    "dangling_anaphor": _lazy("the question's pronoun points outside it"),
    "asked_as_question": _lazy("a question already asks this answer"),
    "asked_twice": _lazy("another question asks this answer"),
    "key_longest": _lazy("the answer would too often be the longest option"),
    "source_offsets": _lazy("the source sentence is out of place"),
    "negative_stem": _lazy("the question would be negative"),
    "not_a_question": _lazy("the question would be neither a question nor a gap-fill"),
    "key_in_stem": _lazy("the question would give the answer away"),
    "clang": _lazy("the question and the answer alone would share a word"),
    "grammatical_cue": _lazy("the options would not all fit the question grammatically"),
    "duplicate_options": _lazy("two options would be the same"),
    "all_or_none": _lazy("an option would be “all/none of the above”"),
    "option_count": _lazy("too few options could be found"),
    "answer_index": _lazy("the answer would not be among the options"),
    "key_count": _lazy("the right answers would not fit a multiple-response question"),
    "empty_option": _lazy("an option would be empty"),
}


@dataclass(frozen=True)
class RegenerationBox:
    """The lesson's last regeneration as its review page shows it."""

    job: BackgroundJob
    reasons: list[tuple[str, int]]  # why candidates were dropped, the commonest first

    @property
    def report(self) -> dict[str, Any]:
        return self.job.report or {}


def regeneration_box(job: BackgroundJob | None) -> RegenerationBox | None:
    if job is None:
        return None
    dropped = (job.report or {}).get("dropped", {})
    reasons = [
        (
            str(DROP_REASONS[code])
            if code in DROP_REASONS
            else _("another check (%(code)s)") % {"code": code},
            count,
        )
        for code, count in dropped.items()
    ]
    return RegenerationBox(job=job, reasons=reasons)


class LessonRegenerateView(CourseStaffMixin, View):
    """Ask a worker to generate the lesson's items again (drafts refreshed, reviewed and
    edited items kept); the review page follows the job."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (CourseStaffRequiredMixin)
        lesson = self.lesson_or_404(kwargs["pk"])
        lesson.module.course = self.course
        _job, created = services.lesson_regeneration_request(lesson=lesson, by=request.user)
        if created:
            messages.success(
                request,
                _("The questions are being generated again: this page shows how it goes."),
            )
        else:
            messages.info(request, _("This lesson's questions are already being generated again."))
        return HttpResponseRedirect(review_url(self.course, lesson) + "#regeneration")


class RegenerationStateView(CourseStaffMixin, TemplateView):
    """The regeneration box alone, for the review page's script to poll (its state in the
    X-Poll-State header)."""

    template_name = "courses/itembank/_regeneration.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404(kwargs["pk"])
        box = regeneration_box(selectors.lesson_latest_job(lesson=lesson))
        response = self.render_to_response({"box": box, "course": self.course, "lesson": lesson})
        response["X-Poll-State"] = box.job.state if box else "none"
        response["Cache-Control"] = "no-store"
        return response


class ItemFormMixin(CourseStaffMixin):
    """What the edit and write pages share: the checks' refusal shown option by option, and
    the override offered when staff may overrule them."""

    request: HttpRequest
    can_override = False

    def override_reason(self, form: ItemEditForm) -> str:
        # The reason counts only from the override's own button, not from a plain "Save".
        if "override" not in self.request.POST:
            return ""
        return str(form.cleaned_data.get("override_reason") or "")

    def refused(self, form: ItemEditForm, refused: services.ItemFlawed) -> None:
        form.add_flaws(refused.flaws)
        self.can_override = refused.overridable
        if refused.reason_too_short:
            form.add_error(
                "override_reason",
                _("Say in a few words (%(count)d characters at least) why the check is wrong here.")
                % {"count": services.OVERRIDE_REASON_MIN},
            )


class ItemEditView(ItemFormMixin, FormView):
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
            can_override=self.can_override,
            page_title=_("Edit the question"),
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
                override_reason=self.override_reason(form),
            )
        except services.ItemFlawed as refused:
            self.refused(form, refused)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Question saved and approved.") if approve else _("Question saved.")
        )
        return HttpResponseRedirect(review_url(self.course, self.item.lesson, item=self.item.pk))


class ItemWriteView(ItemFormMixin, FormView):
    """A question of staff's own, drawn from a sentence of the lesson they choose; the same
    checks (and the same override) as an edit. ``?multiple=1``: several right answers."""

    template_name = "courses/itembank/edit.html"
    form_class = ItemWriteForm

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.multiple = request.GET.get("multiple") == "1"

    def get_form_kwargs(self) -> dict[str, Any]:
        self.lesson = self.lesson_or_404(self.kwargs["pk"])
        return {
            **super().get_form_kwargs(),
            "multiple": self.multiple,
            "sentences": selectors.lesson_sentences(self.lesson.text),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        base = reverse(
            "courses:item_write", kwargs={"slug": self.course.slug, "pk": self.lesson.pk}
        )
        context.update(
            course=self.course,
            lesson=self.lesson,
            back_url=review_url(self.course, self.lesson),
            can_override=self.can_override,
            page_title=_("Write a question"),
            writing=True,
            multiple=self.multiple,
            switch_url=base if self.multiple else f"{base}?multiple=1",
        )
        return context

    def form_valid(self, form: ItemWriteForm) -> HttpResponse:
        assert isinstance(self.request.user, User)  # noqa: S101  (LoginRequiredMixin)
        start, end = form.source_span()
        approve = form.cleaned_data["approve"]
        try:
            item = services.item_write(
                lesson=self.lesson,
                stem=form.cleaned_data["stem"],
                options=form.options(),
                answer=form.cleaned_data["answer"],
                explanation=form.cleaned_data["explanation"],
                source_start=start,
                source_end=end,
                author=self.request.user,
                approve=approve,
                override_reason=self.override_reason(form),
            )
        except services.ItemFlawed as refused:
            self.refused(form, refused)
            return self.form_invalid(form)
        except services.SourceGone as gone:
            form.add_error("source", str(gone))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Question written and approved.")
            if approve
            else _("Question written: it waits for review."),
        )
        return HttpResponseRedirect(review_url(self.course, self.lesson, item=item.pk))
