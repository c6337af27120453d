"""The learner's dashboard and course page: progress, quizzes, completion and certificate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courses.certificates.services import certificate_reissue, certificate_revoke
from courses.models import Certificate, Lesson, QuestionItem
from courses.progress.services import enrollment_create, lesson_mark_complete
from courses.quizzes.services import attempt_start, attempt_submit
from tests.learning.test_queries import (
    COURSE_PAGE_QUERIES,
    COURSE_PAGE_QUERIES_WARM,
    DASHBOARD_QUERIES,
    DASHBOARD_QUERIES_WARM,
)
from tests.quizzes.conftest import answers

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
OWED = "Votre attestation est en cours d’émission."
DOWNLOAD = "Télécharger mon attestation (PDF)"


def lessons_of(course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    )


def take_quiz(enrollment, lesson, *, right: bool = True) -> None:
    attempt, _created = attempt_start(enrollment=enrollment, lesson=lesson)
    attempt_submit(attempt=attempt, answers=answers(attempt, right=len(attempt.items) * right))


@pytest.fixture
def quiz_course(make_course, make_item):
    """Two lessons, the first with a quiz of two questions."""
    course = make_course(modules=1, lessons=2, title="Surveillance des cytokines")
    first = lessons_of(course)[0]
    make_item(first)
    make_item(first)
    return course


@pytest.fixture
def enrollment(learner, quiz_course):
    enrollment, _created = enrollment_create(user=learner, course=quiz_course)
    return enrollment


def complete(enrollment) -> None:
    first, second = lessons_of(enrollment.course)
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    take_quiz(enrollment, first)
    lesson_mark_complete(enrollment=enrollment, lesson=second)


@pytest.fixture
def issued(enrollment, media_root) -> Certificate:
    from courses.certificates.services import certificate_issue

    complete(enrollment)
    return certificate_issue(completion_id=enrollment.completion.pk)


def dashboard(client) -> str:
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode().replace("\u00a0", " ")


def test_an_incomplete_course_shows_its_progress_and_quizzes_and_no_certificate(
    learner_client, enrollment
):
    first, _second = lessons_of(enrollment.course)
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    take_quiz(enrollment, first, right=False)
    page = dashboard(learner_client)
    assert "1 leçon lue sur 2" in page
    assert "0 quiz réussi sur 1" in page
    assert "Formation en cours" in page
    assert "attestation" not in page.lower()


def test_quizzes_passed_count_once_each_and_only_quizzes_still_there(
    learner_client, learner, make_course, make_item
):
    """ "3 quiz réussis sur 5": a quiz passed twice counts once; an archived lesson's quiz,
    or one whose questions were all withdrawn, counts neither as passed nor in the total."""
    course = make_course(modules=1, lessons=7)
    lessons = lessons_of(course)
    for lesson in lessons:
        make_item(lesson)
    enrollment, _ = enrollment_create(user=learner, course=course)
    for lesson in lessons[:3]:
        take_quiz(enrollment, lesson)
    take_quiz(enrollment, lessons[0])
    take_quiz(enrollment, lessons[5])
    take_quiz(enrollment, lessons[6])
    Lesson.objects.filter(pk=lessons[5].pk).update(archived_at=timezone.now())
    QuestionItem.objects.filter(lesson=lessons[6]).update(status=QuestionItem.Status.REJECTED)
    course.save()  # the outline's cache key moves, as an import does
    assert "3 quiz réussis sur 5" in dashboard(learner_client)


def test_a_course_without_quizzes_says_nothing_about_them(learner_client, learner, course):
    enrollment_create(user=learner, course=course)
    assert "quiz" not in dashboard(learner_client)


def test_a_completed_course_owes_its_certificate_until_it_is_rendered(learner_client, enrollment):
    complete(enrollment)
    page = dashboard(learner_client)
    today = timezone.localdate()
    assert f"Formation achevée le {today.day}" in page
    assert "1 quiz réussi sur 1" in page
    assert OWED in page
    assert DOWNLOAD not in page


def test_an_issued_certificate_offers_the_pdf_the_verification_page_and_the_code(
    learner_client, issued
):
    page = dashboard(learner_client)
    assert OWED not in page
    assert DOWNLOAD in page
    assert reverse("courses:certificate_download", kwargs={"code": issued.code}) in page
    assert f'href="{issued.get_absolute_url()}"' in page
    assert f"Code : {issued.code}" in page
    assert "Valide" in page
    download = learner_client.get(
        reverse("courses:certificate_download", kwargs={"code": issued.code})
    )
    assert download["Content-Type"] == "application/pdf"


def test_a_revoked_certificate_says_so_and_is_not_offered(learner_client, issued, instructor):
    certificate_revoke(certificate=issued, reason="Formation non suivie.", by=instructor)
    page = dashboard(learner_client)
    assert "Révoquée" in page
    assert "Elle a été révoquée le" in page
    assert "Formation non suivie." in page
    assert DOWNLOAD not in page
    assert f'href="{issued.get_absolute_url()}"' in page


def test_an_expired_certificate_says_so(learner_client, issued):
    Certificate.objects.filter(pk=issued.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page = dashboard(learner_client)
    assert "Expirée" in page
    assert "Elle a expiré le" in page
    assert DOWNLOAD in page


def test_a_certificate_that_expires_later_says_until_when(learner_client, issued):
    Certificate.objects.filter(pk=issued.pk).update(expires_at=timezone.now() + timedelta(days=400))
    page = dashboard(learner_client)
    assert "Valable jusqu’au" in page
    assert "Valide" in page


def test_a_re_issue_replaces_the_original_once_delivered(learner_client, issued, instructor):
    from courses.certificates.services import certificate_deliver

    duplicate = certificate_reissue(certificate=issued, reason="Nom corrigé.", by=instructor)
    # Until its PDF is rendered, the learner keeps the original (still valid).
    assert f"Code : {issued.code}" in dashboard(learner_client)
    certificate_deliver(certificate_id=duplicate.pk)
    page = dashboard(learner_client)
    assert f"Code : {duplicate.code}" in page
    assert issued.code not in page


def test_the_course_page_shows_the_certificate_once_complete(
    learner_client, enrollment, media_root
):
    from courses.certificates.services import certificate_issue

    url = enrollment.course.get_absolute_url()
    assert "Formation achevée" not in learner_client.get(url).content.decode()
    complete(enrollment)
    assert OWED in learner_client.get(url).content.decode()
    certificate = certificate_issue(completion_id=enrollment.completion.pk)
    page = learner_client.get(url).content.decode().replace("\u00a0", " ")
    assert "Formation achevée le" in page
    assert DOWNLOAD in page
    assert f"Code : {certificate.code}" in page


@pytest.mark.parametrize("courses", [1, 12])
def test_the_dashboard_costs_the_same_queries_for_one_course_or_twelve(
    client, learner, make_course, make_item, media_root, instructor, django_assert_max_num_queries,
    courses,
):  # fmt: skip
    """Every state at once (issued, revoked, re-issued, owed, not complete), same queries."""
    from courses.certificates.services import certificate_issue

    for number in range(courses):
        course = make_course(modules=1, lessons=2)
        make_item(lessons_of(course)[0])
        enrollment, _ = enrollment_create(user=learner, course=course)
        if number % 4 == 3:
            continue  # not complete
        complete(enrollment)
        if number % 4 == 2:
            continue  # owed
        certificate = certificate_issue(completion_id=enrollment.completion.pk)
        if number % 4 == 1:
            certificate_revoke(certificate=certificate, reason="Erreur.", by=instructor)
            certificate_reissue(certificate=certificate, reason="Nom corrigé.", by=instructor)
    cache.clear()  # completing warmed the outlines: measure a cold cache first
    client.force_login(learner)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    with django_assert_max_num_queries(DASHBOARD_QUERIES_WARM):
        client.get(DASHBOARD)
    page = response.content.decode()
    assert page.count("<progress") == courses
    assert page.count("quiz réussi") == courses


def test_the_course_page_of_a_completed_course_costs_a_bounded_number_of_queries(
    client, learner, issued, django_assert_max_num_queries
):
    cache.clear()
    client.force_login(learner)
    url = issued.enrollment.course.get_absolute_url()
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES):
        response = client.get(url)
    assert DOWNLOAD in response.content.decode()
    with django_assert_max_num_queries(COURSE_PAGE_QUERIES_WARM):
        client.get(url)
