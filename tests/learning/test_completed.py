"""The end of the course: the completion page's states, how a learner gets there, and what
was added since (shown as new, never undoing the completion)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses.models import Lesson, Module
from courses.progress.services import enrollment_create, lesson_mark_complete
from courses.quizzes.services import attempt_start, attempt_submit
from tests.quizzes.conftest import answers, form_data

from .test_views import lessons_of

pytestmark = pytest.mark.django_db


def completed_url(course) -> str:
    return reverse("courses:course_completed", kwargs={"slug": course.slug})


def state_url(course) -> str:
    return reverse("courses:course_certificate_state", kwargs={"slug": course.slug})


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response
    return response.content.decode()


@pytest.fixture
def quiz_course(course, make_item):
    """The six-lesson course, its first lesson with a quiz of five questions."""
    for _ in range(5):
        make_item(lessons_of(course)[0])
    course.objectives = "Reconnaître un syndrome de libération de cytokines\nSurveiller le patient"
    course.save()
    return course


def finish(enrolled, course) -> None:
    first = lessons_of(course)[0]
    attempt, _ = attempt_start(enrollment=enrolled, lesson=first)
    attempt_submit(attempt=attempt, answers=answers(attempt, right=1))
    attempt, _ = attempt_start(enrollment=enrolled, lesson=first)
    attempt_submit(attempt=attempt, answers=answers(attempt, right=5))
    for lesson in lessons_of(course):
        lesson_mark_complete(enrollment=enrolled, lesson=lesson)


def test_before_completing_there_is_no_completion_page(learner_client, quiz_course, enrolled):
    response = learner_client.get(completed_url(quiz_course))
    assert response.url == quiz_course.get_absolute_url()
    assert learner_client.get(state_url(quiz_course)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, quiz_course):
    response = client.get(completed_url(quiz_course))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_the_completion_page_while_the_certificate_is_issued(learner_client, quiz_course, enrolled):
    """Completed, the certificate not issued yet: what was achieved, the hours, the
    objectives, each quiz's result, and the certificate "being issued", to be updated."""
    finish(enrolled, quiz_course)
    page = page_of(learner_client, completed_url(quiz_course))
    assert "Formation achevée" in page
    assert "Vous avez achevé cette formation le" in page
    assert "2\u00a0heures" in page or "2 heures" in page
    assert "Reconnaître un syndrome de libération de cytokines" in page
    assert "<li>Surveiller le patient</li>" in page
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", page, re.S).group(1)
    assert lessons_of(quiz_course)[0].title in row
    assert "5/5" in row
    assert re.search(r">\s*2\s*</td>", row)  # two attempts
    box = re.search(r'data-poll="([^"]+)"\s+data-state="(\w+)"', page)
    assert box.groups() == (state_url(quiz_course), "owed")
    assert "Votre attestation est en cours d’émission." in page
    fragment = learner_client.get(state_url(quiz_course))
    assert fragment["X-Poll-State"] == "owed"
    assert fragment["Cache-Control"] == "no-store"


def test_once_issued_the_page_and_its_fragment_offer_the_pdf_and_its_verification(
    learner_client, quiz_course, enrolled, media_root
):
    from courses.certificates.services import certificate_issue

    finish(enrolled, quiz_course)
    enrolled.refresh_from_db()
    certificate = certificate_issue(completion_id=enrolled.completion.pk)
    download = reverse("courses:certificate_download", kwargs={"code": certificate.code})
    page = page_of(learner_client, completed_url(quiz_course))
    assert 'data-state="issued"' in page
    assert download in page
    assert certificate.get_absolute_url() in page
    fragment = learner_client.get(state_url(quiz_course))
    assert fragment["X-Poll-State"] == "issued"
    html = fragment.content.decode()
    assert download in html
    assert "<html" not in html  # the box alone


def test_the_reading_that_completes_the_course_opens_the_completion_page(
    learner_client, quiz_course, enrolled
):
    lessons = lessons_of(quiz_course)
    finish(enrolled, quiz_course)  # everything done…
    # …but the last lesson changed: reading it again is what completes the course here.
    from courses.models import CourseCompletion

    CourseCompletion.objects.filter(enrollment=enrolled).delete()
    last = lessons[-1]
    last.text += "\n\nUne précision ajoutée."
    last.save()
    response = learner_client.post(
        reverse("courses:lesson_complete", kwargs={"slug": quiz_course.slug, "pk": last.pk})
    )
    assert response.url == completed_url(quiz_course)
    # Reading again once completed goes on as usual.
    response = learner_client.post(
        reverse("courses:lesson_complete", kwargs={"slug": quiz_course.slug, "pk": lessons[2].pk})
    )
    assert response.url != completed_url(quiz_course)


def test_the_quiz_that_completes_the_course_leads_to_its_end(learner_client, quiz_course, enrolled):
    for lesson in lessons_of(quiz_course):
        lesson_mark_complete(enrollment=enrolled, lesson=lesson)
    first = lessons_of(quiz_course)[0]
    learner_client.post(
        reverse("courses:quiz_start", kwargs={"slug": quiz_course.slug, "pk": first.pk})
    )
    from courses.models import QuizAttempt

    attempt = QuizAttempt.objects.get(enrollment=enrolled)
    url = reverse("courses:quiz_attempt", kwargs={"slug": quiz_course.slug, "pk": attempt.pk})
    response = learner_client.post(url, form_data(attempt, right=5), follow=True)
    page = response.content.decode()
    assert "Vous avez achevé la formation." in page
    assert f'href="{completed_url(quiz_course)}"' in page


def test_lessons_added_after_the_completion_are_new_and_the_completion_stands(
    learner_client, quiz_course, enrolled
):
    finish(enrolled, quiz_course)
    module = Module.objects.filter(course=quiz_course).order_by("position").last()
    added = [
        Lesson.objects.create(
            module=module, title=f"Nouveauté {n}", position=50 + n, text="Texte ajouté."
        )
        for n in range(2)
    ]
    page = page_of(learner_client, completed_url(quiz_course))
    assert "2 nouvelles leçons depuis votre attestation" in page
    assert all(lesson.get_absolute_url() in page for lesson in added)

    course_page = page_of(learner_client, quiz_course.get_absolute_url())
    assert "Formation achevée le" in course_page
    assert "2 nouvelles leçons depuis votre attestation\u00a0: votre achèvement reste acquis." in (
        course_page
    )
    assert "Il vous reste" not in course_page
    assert course_page.count(">Nouvelle</span>") == 2

    dashboard = page_of(learner_client, reverse("courses:dashboard"))
    assert "Formation achevée le" in dashboard
    assert "2 nouvelles leçons depuis votre attestation" in dashboard
    assert completed_url(quiz_course) in dashboard


def test_another_learner_sees_only_her_own_end(client, quiz_course, enrolled, make_user):
    """The page and its fragment are the requesting learner's: someone who did not complete
    the course is sent to the course page, whoever else did."""
    finish(enrolled, quiz_course)
    other = make_user()
    enrollment_create(user=other, course=quiz_course)
    client.force_login(other)
    assert client.get(completed_url(quiz_course)).url == quiz_course.get_absolute_url()
    assert client.get(state_url(quiz_course)).status_code == 404


def test_the_completion_page_costs_the_same_queries_whatever_the_course(
    learner_client, quiz_course, enrolled, make_user, django_assert_max_num_queries
):
    finish(enrolled, quiz_course)
    for _ in range(5):
        other, _ = enrollment_create(user=make_user(), course=quiz_course)
        finish(other, quiz_course)
    learner_client.get(completed_url(quiz_course))  # the outline cached
    # User, course, enrolment with progress and completion, results, lessons added since,
    # certificates, the learner's questionnaire answers (objectives set: no module query).
    with django_assert_max_num_queries(7):
        assert learner_client.get(completed_url(quiz_course)).status_code == 200
