"""Downloads are private and never stored; every response carries a Permissions-Policy
(issue 17). Before: certificate PDFs were served without `Cache-Control: private`, and no
response said which browser features the site refuses."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.cohorts.services import cohort_join
from courses.models import SatisfactionResponse
from courses.satisfaction.selectors import MIN_RESPONSES

pytestmark = pytest.mark.django_db

QUESTIONS = ["La formation était claire.", "Je recommanderais cette formation."]


@pytest.fixture
def downloads(make_course, make_user, make_cohort, instructor, issue_certificate):
    """Every kind of file the site hands out, with who may download it."""
    course = make_course(modules=1, lessons=1, satisfaction_questions=QUESTIONS)
    cohort = make_cohort(course)
    members = [cohort_join(cohort=cohort, user=make_user()) for _ in range(MIN_RESPONSES)]
    for member in members:
        SatisfactionResponse.objects.create(
            course=course, enrollment=member.enrollment, questions=QUESTIONS, ratings=[4, 5]
        )
    certificate = issue_certificate(members[0].enrollment)
    learner, staff = Client(), Client()
    learner.force_login(members[0].enrollment.user)
    staff.force_login(instructor)
    return [
        (learner, reverse("courses:certificate_download", kwargs={"code": certificate.code})),
        *[
            (staff, reverse("courses:cohort_export", kwargs={"pk": cohort.pk, "fmt": fmt}))
            for fmt in ("csv", "xlsx")
        ],
        (staff, reverse("courses:satisfaction_export", kwargs={"slug": course.slug})),
        (staff, reverse("courses:cohort_satisfaction_export", kwargs={"pk": cohort.pk})),
        *[
            (staff, reverse("courses:scorm_export", kwargs={"slug": course.slug, "standard": s}))
            for s in ("1.2", "2004")
        ],
    ]


def test_every_download_is_private_and_never_stored(downloads):
    for client, url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.has_header("Content-Disposition"), url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
        assert "public" not in directives


def test_every_response_refuses_the_features_no_page_uses(client, learner_client, course):
    for answer in [
        client.get("/"),
        client.get("/healthz"),
        client.get("/pas-de-page/"),
        learner_client.get(course.get_absolute_url()),
        client.post(reverse("account_login"), {"login": "x@example.org", "password": "x"}),
    ]:
        policy = answer["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment"):
            assert f"{feature}=()" in policy
        assert "clipboard-write" not in policy  # "Copier le lien" needs it


def test_a_file_whose_view_chose_its_caching_keeps_it(client, make_course, media_root):
    """A published course's cover is cached a year by everyone (its address changes with
    it): FileResponse names it, but it is no private download."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courses.catalog.services import course_cover_set
    from tests.catalog.test_presentation import _image

    course = make_course(is_published=True)
    course_cover_set(
        course=course, upload=SimpleUploadedFile("c.png", _image(), content_type="image/png")
    )
    response = client.get(course.cover_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
