"""Taking a lesson's quiz: start or resume, answer, submit, feedback, history; extra time."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from courses.access import CourseStaffRequiredMixin
from courses.catalog import selectors as catalog
from courses.models import Course, Lesson, QuizAttempt, User
from courses.progress import selectors as progress
from courses.progress import services as progress_services

from . import scoring, selectors, services
from .forms import AnswerForm, AttemptForm, ExtraTimeForm


def _lesson_url(course: Course, lesson: Lesson) -> str:
    return reverse("courses:lesson", kwargs={"slug": course.slug, "pk": lesson.pk})


class LessonQuizMixin:
    """Resolves the lesson and its course from the URL (404 if unknown or not readable)."""

    request: HttpRequest
    course: Course
    lesson: Lesson

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            assert isinstance(request.user, User)  # noqa: S101
            found = catalog.lesson_in_course(
                slug=kwargs["slug"], pk=kwargs["pk"], user=request.user
            )
            if found is None:
                raise Http404(_("No such lesson."))
            self.course, self.lesson = found
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class QuizStartView(LoginRequiredMixin, LessonQuizMixin, View):
    """Start the lesson's quiz, or resume the attempt in progress (a POST: it may create one).

    "Lu — passer le quiz" posts ``read``: the lesson is recorded as read first."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101
        enrollment = progress.enrollment_get(user=request.user, course=self.course)
        if enrollment is None:
            messages.info(request, _("Enrol in the course to take its quizzes."))
            return redirect(self.course)
        if request.POST.get("read"):
            progress_services.lesson_mark_complete(enrollment=enrollment, lesson=self.lesson)
        try:
            attempt, _created = services.attempt_start(enrollment=enrollment, lesson=self.lesson)
        except services.QuizError as error:
            messages.error(request, str(error))
            return redirect(_lesson_url(self.course, self.lesson))
        return redirect("courses:quiz_attempt", slug=self.course.slug, pk=attempt.pk)


class QuizHistoryView(LoginRequiredMixin, LessonQuizMixin, TemplateView):
    template_name = "courses/quizzes/history.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101
        enrollment = progress.enrollment_get(user=request.user, course=self.course)
        if enrollment is None:
            messages.info(request, _("Enrol in the course to take its quizzes."))
            return redirect(self.course)
        summary = selectors.quiz_summary(
            lesson=self.lesson, course=self.course, enrollment=enrollment
        )
        context = self.get_context_data(
            course=self.course,
            lesson=self.lesson,
            lesson_url=_lesson_url(self.course, self.lesson),
            quiz=summary,
            attempts=summary.attempts if summary else (),
        )
        return self.render_to_response(context)


class AttemptMixin:
    """The requesting learner's own attempt, from the URL: 404 for anyone else's.

    A page reads it with its lesson and course; a POST (a submission, an answer saved) the
    attempt alone, in a cheaper query: what it shows on a rare error reads them then."""

    request: HttpRequest
    kwargs: dict[str, Any]
    attempt: QuizAttempt
    count_shown: bool  # the course shows how many options a multiple-response question wants

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            assert isinstance(request.user, User)  # noqa: S101
            key = {"pk": kwargs["pk"], "user": request.user, "slug": kwargs["slug"]}
            if request.method == "POST":
                found = selectors.attempt_own(**key)
                if found is None:
                    raise Http404(_("No such attempt."))
                self.attempt, self.count_shown = found
            else:
                attempt = selectors.attempt_get(**key)
                if attempt is None:
                    raise Http404(_("No such attempt."))
                self.attempt = attempt
                self.count_shown = attempt.lesson.module.course.multiple_count_shown
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def attempt_context(self) -> dict[str, Any]:
        lesson = self.attempt.lesson
        course = lesson.module.course
        return {
            "attempt": self.attempt,
            "lesson": lesson,
            "course": course,
            "lesson_url": _lesson_url(course, lesson),
            # The correct answers that pass, as the lesson page stated before the start.
            "required": scoring.required_correct(
                pass_mark=self.attempt.pass_mark, total=self.attempt.total
            ),
            "history_url": reverse(
                "courses:quiz_history", kwargs={"slug": course.slug, "pk": lesson.pk}
            ),
        }


class AttemptView(LoginRequiredMixin, AttemptMixin, TemplateView):
    """The quiz page (GET) and its submission (POST), graded on the server."""

    template_name = "courses/quizzes/attempt.html"

    def _result_redirect(self) -> HttpResponse:
        return redirect("courses:quiz_result", slug=self.kwargs["slug"], pk=self.attempt.pk)

    def _form(self, data: Any = None) -> AttemptForm:
        # A form bound to what was posted shows that, not the answers saved: read them only
        # for the quiz page.
        answers = selectors.attempt_answers(attempt=self.attempt) if data is None else {}
        return AttemptForm(
            data,
            questions=selectors.attempt_questions(
                attempt=self.attempt,
                answers=answers,
                show_count=self.count_shown,
            ),
            time_is_up=selectors.attempt_time_is_up(attempt=self.attempt),
        )

    def _render(self, form: AttemptForm, *, status: int = 200) -> HttpResponse:
        seconds = selectors.attempt_seconds_left(attempt=self.attempt)
        context = self.get_context_data(
            **self.attempt_context(),
            form=form,
            seconds_left=seconds,
            minutes_left=math.ceil(seconds / 60) if seconds is not None else None,
            time_is_up=selectors.attempt_time_is_up(attempt=self.attempt),
            save_url=reverse(
                "courses:quiz_answer",
                kwargs={"slug": self.kwargs["slug"], "pk": self.attempt.pk},
            ),
        )
        return self.render_to_response(context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.attempt.is_submitted:
            return self._result_redirect()
        return self._render(self._form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.attempt.is_submitted:
            # Double submit, back button, second tab: the result stands, shown again.
            return self._result_redirect()
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400 if form.tampered else 200)
        try:
            submission = services.attempt_submit(attempt=self.attempt, answers=form.answers())
        except services.InvalidAnswer:
            return self._render(form, status=400)
        if not submission.graded_now:
            messages.info(
                request, _("This attempt had already been submitted: here is its result.")
            )
        return self._result_redirect()


class AttemptAnswerView(LoginRequiredMixin, AttemptMixin, View):
    """Save one answer as it is given (JSON). Says whether it was saved, never if it is right."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return JsonResponse({"error": str(services.InvalidAnswer.message)}, status=400)
        try:
            services.attempt_answer_save(
                attempt=self.attempt,
                position=form.cleaned_data["position"],
                choice=form.chosen(),
            )
        except services.InvalidAnswer as error:
            return JsonResponse({"error": str(error)}, status=400)
        except services.QuizError as error:
            return JsonResponse({"error": str(error)}, status=409)
        return JsonResponse({"saved": True})


class AttemptResultView(LoginRequiredMixin, AttemptMixin, TemplateView):
    template_name = "courses/quizzes/result.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.attempt.is_submitted:
            return redirect(
                "courses:quiz_attempt",
                slug=self.attempt.lesson.module.course.slug,
                pk=self.attempt.pk,
            )
        answers = selectors.attempt_answers(attempt=self.attempt)
        course = self.attempt.lesson.module.course
        record = selectors.attempt_record(attempt=self.attempt)
        used = record.used
        released = selectors.answers_released(attempt=self.attempt, record=record)
        context = self.get_context_data(
            **self.attempt_context(),
            feedback=selectors.attempt_feedback(
                attempt=self.attempt, answers=answers, released=released
            ),
            released=released,
            late=selectors.attempt_was_late(attempt=self.attempt),
            attempts_used=used,
            can_retake=course.max_attempts is None or used < course.max_attempts,
            # A pass that completes the course leads on to its end (the completion page).
            course_completed=(
                progress.enrollment_completed_at(enrollment_id=self.attempt.enrollment_id)
                if self.attempt.passed
                else None
            ),
        )
        return self.render_to_response(context)


# --- "Voir comme apprenant·e": the quiz drawn, taken and graded, stored nowhere -----------------

# The questions drawn for the preview and, once submitted, the choices: in the session (kept on
# the server: the keys in the questions' snapshots never reach the browser), never in a table.
PREVIEW_SESSION_KEY = "quiz_as_learner"


class QuizAsLearnerMixin(CourseStaffRequiredMixin):
    """Course staff only; the lesson from the URL; the preview in the session, if it is this
    lesson's."""

    lesson: Lesson

    def urls(self, lesson: Lesson) -> dict[str, str]:
        kwargs = {"slug": self.course.slug, "pk": lesson.pk}
        return {
            "lesson_url": reverse("courses:lesson_as_learner", kwargs=kwargs),
            "start_url": reverse("courses:quiz_as_learner_start", kwargs=kwargs),
            "quiz_url": reverse("courses:quiz_as_learner", kwargs=kwargs),
            "result_url": reverse("courses:quiz_as_learner_result", kwargs=kwargs),
        }

    def preview(self, lesson: Lesson) -> dict[str, Any] | None:
        stored = self.request.session.get(PREVIEW_SESSION_KEY)
        if not stored or stored.get("lesson") != lesson.pk:
            return None
        return stored

    def attempt_context(self, attempt: QuizAttempt) -> dict[str, Any]:
        lesson = attempt.lesson
        return {
            "attempt": attempt,
            "lesson": lesson,
            "course": self.course,
            "as_learner": True,
            "required": scoring.required_correct(pass_mark=attempt.pass_mark, total=attempt.total),
            **self.urls(lesson),
        }


class QuizAsLearnerStartView(QuizAsLearnerMixin, View):
    """POST: a new draw of the lesson's quiz, as a learner's first attempt would draw it."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404()
        try:
            questions = services.quiz_preview_draw(lesson=lesson)
        except services.QuizError as error:
            messages.error(request, str(error))
            return redirect(self.urls(lesson)["lesson_url"])
        request.session[PREVIEW_SESSION_KEY] = {"lesson": lesson.pk, "questions": questions}
        return redirect(self.urls(lesson)["quiz_url"])


class QuizAsLearnerView(QuizAsLearnerMixin, TemplateView):
    """The quiz page as a learner sees it (no autosave, no timer: nothing to save it to);
    POST grades it in memory and shows the result."""

    template_name = "courses/quizzes/attempt.html"

    def _attempt(self) -> QuizAttempt | None:
        lesson = self.lesson_or_404()
        stored = self.preview(lesson)
        if stored is None:
            return None
        return services.quiz_preview_attempt(lesson=lesson, questions=stored["questions"])

    def _form(self, attempt: QuizAttempt, data: Any = None) -> AttemptForm:
        return AttemptForm(
            data,
            questions=selectors.attempt_questions(
                attempt=attempt, answers={}, show_count=self.course.multiple_count_shown
            ),
        )

    def _render(self, attempt: QuizAttempt, form: AttemptForm, status: int = 200) -> HttpResponse:
        context = self.get_context_data(
            **self.attempt_context(attempt), form=form, seconds_left=None, save_url=""
        )
        return self.render_to_response(context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attempt = self._attempt()
        if attempt is None:
            return redirect(self.urls(self.lesson_or_404())["lesson_url"] + "#quiz")
        return self._render(attempt, self._form(attempt))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attempt = self._attempt()
        if attempt is None:
            return redirect(self.urls(self.lesson_or_404())["lesson_url"] + "#quiz")
        form = self._form(attempt, request.POST)
        if not form.is_valid():
            return self._render(attempt, form, status=400 if form.tampered else 200)
        try:
            services.quiz_preview_grade(attempt=attempt, answers=form.answers())
        except services.InvalidAnswer:
            return self._render(attempt, form, status=400)
        stored = self.preview(attempt.lesson) or {}
        request.session[PREVIEW_SESSION_KEY] = {
            **stored,
            # As posted (positions on the page): a list for a multiple-response question.
            "answers": {str(position): choice for position, choice in form.answers().items()},
        }
        return redirect(self.urls(attempt.lesson)["result_url"])


class QuizAsLearnerResultView(QuizAsLearnerMixin, TemplateView):
    """The result page a learner would see after this first attempt, with the feedback the
    course's review setting would release to her."""

    template_name = "courses/quizzes/result.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404()
        urls = self.urls(lesson)
        stored = self.preview(lesson)
        if stored is None or "answers" not in stored:
            return redirect(urls["lesson_url"] + "#quiz")
        attempt = services.quiz_preview_attempt(lesson=lesson, questions=stored["questions"])
        answers = services.quiz_preview_grade(
            attempt=attempt,
            answers={int(position): choice for position, choice in stored["answers"].items()},
        )
        record = selectors.QuizRecord(used=1, passed=bool(attempt.passed))
        released = selectors.answers_released(attempt=attempt, record=record)
        feedback = [
            # No attempt to point the passage's highlight at: the lesson, seen as a learner.
            replace(question, passage_url=urls["lesson_url"] if question.passage_url else None)
            for question in selectors.attempt_feedback(
                attempt=attempt, answers=answers, released=released
            )
        ]
        context = self.get_context_data(
            **self.attempt_context(attempt),
            feedback=feedback,
            released=released,
            late=False,
            attempts_used=1,
            can_retake=self.course.max_attempts is None or self.course.max_attempts > 1,
            course_completed=None,
            history_url=None,
        )
        return self.render_to_response(context)


class ExtraTimeListView(CourseStaffRequiredMixin, TemplateView):
    template_name = "courses/quizzes/extra_time_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            course=self.course, enrollments=selectors.course_enrollments(course=self.course)
        )
        return context


class ExtraTimeView(CourseStaffRequiredMixin, FormView):
    """Course staff grant a learner extra time on timed quizzes (tiers-temps)."""

    template_name = "courses/quizzes/extra_time.html"
    form_class = ExtraTimeForm

    def get_initial(self) -> dict[str, Any]:
        return {"extra_time_percent": self.enrollment.extra_time_percent}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._load_enrollment()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._load_enrollment()
        return super().post(request, *args, **kwargs)

    def _load_enrollment(self) -> None:
        enrollment = selectors.enrollment_in_course(
            course=self.course, pk=self.kwargs["enrollment"]
        )
        if enrollment is None:
            raise Http404(_("No such learner in this course."))
        self.enrollment = enrollment

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(course=self.course, enrollment=self.enrollment)
        return context

    def form_valid(self, form: ExtraTimeForm) -> HttpResponse:
        services.enrollment_set_extra_time(
            enrollment=self.enrollment, percent=form.cleaned_data["extra_time_percent"]
        )
        messages.success(
            self.request,
            _("Extra time for %(name)s: %(percent)d %%.")
            % {
                "name": self.enrollment.user.full_name or self.enrollment.user.email,
                "percent": self.enrollment.extra_time_percent,
            },
        )
        return redirect("courses:extra_time_list", slug=self.course.slug)
