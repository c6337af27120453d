"""The learner's pages: the catalogue, their dashboard, a course's page, enrolling, the lesson
reader and marking a lesson read.

They compose the features (catalogue, progress, quizzes, certificates, cohorts): this package
is imported by nothing but the URLs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from courses import access
from courses.access import CourseStaffRequiredMixin
from courses.catalog import selectors
from courses.certificates import selectors as certificate_selectors
from courses.cohorts import selectors as cohort_selectors
from courses.learning import selectors as learning_selectors
from courses.models import Course, User
from courses.progress import selectors as progress_selectors
from courses.progress import services as progress_services
from courses.quizzes import selectors as quiz_selectors
from courses.satisfaction import selectors as satisfaction_selectors
from courses.satisfaction import services as satisfaction_services
from courses.satisfaction.forms import SatisfactionForm


class CatalogView(TemplateView):
    template_name = "courses/learning/catalog.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        courses = list(selectors.courses_published())
        context["courses"] = courses
        context["enrolled_ids"] = progress_selectors.enrolled_course_ids(user=self.request.user)
        return context


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "courses/learning/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = progress_selectors.dashboard_rows(user=user)
        context["cohorts"] = cohort_selectors.learner_cohorts(user=user)
        context["invitations"] = cohort_selectors.invitations_for_user(user=user)
        return context


class CourseMixin:
    """Resolves the course from the URL; 404 for an unknown or unpublished course."""

    request: HttpRequest
    kwargs: dict[str, Any]
    course: Course
    page: learning_selectors.CoursePage  # the course and its outline

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        page = learning_selectors.course_page(slug=kwargs["slug"], user=user)
        if page is None:
            raise Http404(_("No such course."))
        self.page, self.course = page, page.course
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class CourseDetailView(CourseMixin, TemplateView):
    template_name = "courses/learning/course_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        outline = self.page.outline
        enrollment, progress = progress_selectors.learner_progress(
            user=user, course=self.course, outline=outline
        )
        # What is left, until the course is completed; after, what was added since (it does
        # not undo the completion).
        todo = (
            progress_selectors.learner_todo(
                enrollment=enrollment,
                outline=outline,
                progress=progress,
                rule=self.course.completion_rule,
                quiz_lesson_ids=self.page.quiz_lesson_ids,
            )
            if enrollment and progress.completed_at is None
            else None
        )
        added = (
            progress_selectors.lessons_added_since(course=self.course, since=progress.completed_at)
            if enrollment and progress.completed_at is not None
            else []
        )
        context.update(
            course=self.course,
            outline=outline,
            enrollment=enrollment,
            progress=progress,
            todo=todo,
            todo_text=progress_selectors.todo_text(todo) if todo else "",
            added=added,
            added_ids={lesson.pk for lesson in added},
            next_step=(
                todo.next(last_lesson_id=enrollment.last_lesson_id) if todo and enrollment else None
            ),
            resume=(
                progress_selectors.resume_lesson(
                    enrollment=enrollment, outline=outline, progress=progress
                )
                if enrollment
                else None
            ),
            can_manage=user.is_authenticated
            and access.course_can_manage(user=user, course=self.course),
            certificate=certificate_selectors.enrollment_certificate(
                enrollment=enrollment, completed_at=progress.completed_at
            ),
        )
        return context


class EnrollView(LoginRequiredMixin, CourseMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (LoginRequiredMixin)
        _enrollment, created = progress_services.enrollment_create(
            user=request.user, course=self.course
        )
        if created:
            messages.success(request, _("You are enrolled. Happy reading!"))
        if self.page.outline.lessons:
            return redirect("courses:resume", slug=self.course.slug)
        return redirect(self.course)


class ResumeView(LoginRequiredMixin, CourseMixin, View):
    """Back to what is left: the lesson the learner was on if it still asks something of her
    (its reading, its quiz), else the first one that does, saying what is left in the course.
    With nothing left, the lesson she last opened."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        outline = self.page.outline
        enrollment, progress = progress_selectors.learner_progress(
            user=request.user, course=self.course, outline=outline
        )
        if enrollment is None:
            return redirect(self.course)
        todo = progress_selectors.learner_todo(
            enrollment=enrollment,
            outline=outline,
            progress=progress,
            rule=self.course.completion_rule,
            quiz_lesson_ids=self.page.quiz_lesson_ids,
        )
        step = todo.next(last_lesson_id=enrollment.last_lesson_id)
        if step is not None:
            if enrollment.last_lesson_id is not None:  # back, not starting: say what is left
                text = progress_selectors.todo_text(todo)
                if step.quiz and not step.read:
                    text = _("%(left)s Next: the quiz of “%(lesson)s”.") % {
                        "left": text,
                        "lesson": step.lesson.title,
                    }
                messages.info(request, text)
            return HttpResponseRedirect(step.url)
        lesson = progress_selectors.resume_lesson(
            enrollment=enrollment, outline=outline, progress=progress
        )
        if lesson is None:
            return redirect(self.course)
        return HttpResponseRedirect(lesson.url)


class LessonView(LoginRequiredMixin, TemplateView):
    template_name = "courses/learning/lesson.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        page = learning_selectors.lesson_page(
            slug=kwargs["slug"], pk=kwargs["pk"], user=request.user
        )
        if page is None:
            raise Http404(_("No such lesson."))
        self.course, lesson, outline = page.course, page.lesson, page.outline
        enrollment, progress = progress_selectors.learner_progress(
            user=request.user, course=self.course, outline=outline
        )
        can_manage = False
        if enrollment is None:
            can_manage = access.course_can_manage(user=request.user, course=self.course)
            if not can_manage:
                messages.info(request, _("Enrol in the course to read its lessons."))
                return redirect(self.course)
        if enrollment is not None:
            progress_services.enrollment_touch(enrollment=enrollment, lesson=lesson)
        previous, following = outline.neighbours(lesson.pk)
        # ?passage=<attempt>-<question>: the source of a question, from a quiz's feedback.
        passage = None
        lesson_html = None
        if request.GET.get("passage"):
            passage = quiz_selectors.passage_get(
                reference=request.GET["passage"], user=request.user, lesson=lesson
            )
            if passage is not None and passage.span is not None:
                lesson_html = selectors.lesson_html_with_passage(
                    lesson=lesson, start=passage.span[0], end=passage.span[1]
                )
        context = self.get_context_data(
            course=self.course,
            lesson=lesson,
            lesson_html=lesson_html or selectors.lesson_html(lesson=lesson),
            passage=passage,
            passage_shown=lesson_html is not None,
            quiz=quiz_selectors.quiz_summary(
                lesson=lesson, course=self.course, enrollment=enrollment, families=page.families
            ),
            outline=outline,
            current=outline.lesson(lesson.pk),
            progress=progress,
            is_read=lesson.pk in progress.read_ids,
            previous=previous,
            next=following,
            enrollment=enrollment,
            preview=enrollment is None and can_manage,
        )
        return self.render_to_response(context)


class CourseAsLearnerView(CourseStaffRequiredMixin, View):
    """ "Voir comme apprenant·e": the course's first lesson as a learner sees it."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        outline = selectors.course_outline(course=self.course)
        if not outline.lessons:
            messages.info(request, _("This course has no lesson yet."))
            return redirect(self.course)
        return redirect(as_learner_url(self.course, outline.lessons[0].id))


def as_learner_url(course: Course, lesson_id: int) -> str:
    return reverse("courses:lesson_as_learner", kwargs={"slug": course.slug, "pk": lesson_id})


class LessonAsLearnerView(CourseStaffRequiredMixin, TemplateView):
    """A lesson and its quiz box as a learner who has just enrolled sees them, for course
    staff, whether or not they are enrolled themselves: nothing is recorded (no reading, no
    last lesson, no attempt: the quiz is the quizzes package's preview)."""

    template_name = "courses/learning/lesson.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = self.lesson_or_404()
        outline = selectors.course_outline(course=self.course).with_urls(
            lambda pk: as_learner_url(self.course, pk)
        )
        previous, following = outline.neighbours(lesson.pk)
        context = self.get_context_data(
            course=self.course,
            lesson=lesson,
            lesson_html=selectors.lesson_html(lesson=lesson),
            quiz=quiz_selectors.quiz_summary(lesson=lesson, course=self.course, enrollment=None),
            outline=outline,
            current=outline.lesson(lesson.pk),
            progress=progress_selectors.Progress(
                read_ids=frozenset(), done=0, total=len(outline.lessons)
            ),
            is_read=False,
            previous=previous,
            next=following,
            enrollment=None,
            as_learner=True,
        )
        return self.render_to_response(context)


class LessonCompleteView(LoginRequiredMixin, CourseMixin, View):
    """ "Marquer comme terminée" (a lesson without a quiz) or "Marquer comme lue" (its quiz
    for later): record the reading, then go on to the next lesson, saying when this lesson's
    quiz is still to pass. "Lu — passer le quiz" goes to the quiz instead (QuizStartView)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lesson = selectors.lesson_get(course=self.course, pk=kwargs["pk"])
        if lesson is None:
            raise Http404(_("No such lesson."))
        enrollment = progress_selectors.enrollment_get(user=request.user, course=self.course)
        if enrollment is None:
            messages.error(request, _("Enrol in the course to record your progress."))
            return redirect(self.course)
        was_complete = progress_selectors.enrollment_completed_at(enrollment_id=enrollment.pk)
        progress_services.lesson_mark_complete(enrollment=enrollment, lesson=lesson)
        if was_complete is None and progress_selectors.enrollment_completed_at(
            enrollment_id=enrollment.pk
        ):
            # This reading completed the course: its end, with the certificate on its way.
            return redirect("courses:course_completed", slug=self.course.slug)
        outline = selectors.course_outline(course=self.course)
        _previous, following = outline.neighbours(lesson.pk)
        quiz = quiz_selectors.quiz_summary(lesson=lesson, course=self.course, enrollment=enrollment)
        if quiz is not None and not quiz.passed and quiz.can_start:
            messages.success(
                request,
                _("Lesson read. Its quiz is still to pass: it is at the end of the lesson."),
            )
        else:
            messages.success(request, _("Lesson marked as completed."))
        if following is not None:
            return HttpResponseRedirect(following.url)
        return redirect(self.course)


class CourseCompletedView(LoginRequiredMixin, CourseMixin, TemplateView):
    """The end of the course: what was achieved, the hours, the assessment's results, the
    certificate's state (updated in place until its PDF is ready), and what was added since."""

    template_name = "courses/learning/completed.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        outline = selectors.course_outline(course=self.course)
        enrollment, progress = progress_selectors.learner_progress(
            user=request.user, course=self.course, outline=outline
        )
        if enrollment is None or progress.completed_at is None:
            return redirect(self.course)
        completed_at = progress.completed_at
        results = certificate_selectors.assessment_results(
            enrollment=enrollment, until=completed_at
        )
        added = progress_selectors.lessons_added_since(course=self.course, since=completed_at)
        certificate = certificate_selectors.enrollment_certificate(
            enrollment=enrollment, completed_at=completed_at
        )
        questions = list(self.course.satisfaction_questions or [])
        answered = satisfaction_selectors.response_for(enrollment=enrollment) if questions else None
        context = self.get_context_data(
            course=self.course,
            enrollment=enrollment,
            completed_at=completed_at,
            lessons_done=len(outline.lessons) - len(added),
            results=results,
            quizzes_passed=sum(1 for result in results if result["passed"]),
            objectives=certificate_selectors.course_objectives(self.course).splitlines(),
            added=added,
            certificate=certificate,
            satisfaction_answered=answered,
            satisfaction_form=(
                kwargs.get("satisfaction_form") or SatisfactionForm(questions=questions)
                if questions and answered is None
                else None
            ),
        )
        return self.render_to_response(context)


class SatisfactionSubmitView(CourseCompletedView):
    """The satisfaction questionnaire, sent from the completion page: optional, once."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (LoginRequiredMixin)
        enrollment = progress_selectors.enrollment_get(user=request.user, course=self.course)
        if enrollment is None:
            return redirect(self.course)
        form = SatisfactionForm(
            request.POST, questions=list(self.course.satisfaction_questions or [])
        )
        completed = reverse("courses:course_completed", kwargs={"slug": self.course.slug})
        if not form.is_valid():
            response = self.get(request, *args, satisfaction_form=form, **kwargs)
            response.status_code = 400 if response.status_code == 200 else response.status_code
            return response
        try:
            satisfaction_services.satisfaction_submit(
                enrollment=enrollment,
                ratings=form.ratings(),
                comment=form.cleaned_data.get("comment", ""),
            )
        except satisfaction_services.AlreadyAnswered as error:
            messages.info(request, str(error))
        except satisfaction_services.SatisfactionError as error:
            messages.error(request, str(error))
            return redirect(self.course)
        except ValidationError as error:
            form.add_error(None, error)
            response = self.get(request, *args, satisfaction_form=form, **kwargs)
            response.status_code = 400
            return response
        else:
            messages.success(request, _("Thank you: your opinion has been recorded."))
        return HttpResponseRedirect(f"{completed}#satisfaction")


class CertificateStateView(LoginRequiredMixin, CourseMixin, TemplateView):
    """The completion page's certificate box alone, for the page to update it in place; its
    state (owed, issued) in the X-Poll-State header."""

    template_name = "courses/certificates/_learner_certificate.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (LoginRequiredMixin)
        enrollment = progress_selectors.enrollment_get(user=request.user, course=self.course)
        completed_at = (
            progress_selectors.enrollment_completed_at(enrollment_id=enrollment.pk)
            if enrollment is not None
            else None
        )
        if enrollment is None or completed_at is None:
            raise Http404(_("You have not completed this course."))
        cert = certificate_selectors.enrollment_certificate(
            enrollment=enrollment, completed_at=completed_at
        )
        response = self.render_to_response(
            self.get_context_data(cert=cert, course_title=self.course.title)
        )
        response["X-Poll-State"] = cert.state
        response["Cache-Control"] = "no-store"
        return response
