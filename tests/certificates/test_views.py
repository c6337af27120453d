"""The public verification page and the learner's download of the PDF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.certificates.services import certificate_revoke
from courses.models import Certificate

pytestmark = pytest.mark.django_db

# Crockford's alphabet has a 0 and a 1 but no O, I or L: a code typed from paper with those
# letters must still be found.
CODE = "0K1Q2-M9XD4-T7H8J-ABC01"


def verify_url(code: str) -> str:
    return reverse("certificate_verify", kwargs={"code": code})


@pytest.fixture
def certificate(enrolled) -> Certificate:
    """A certificate as the issuing service writes it, without rendering a PDF."""
    now = timezone.now()
    return Certificate.objects.create(
        code=CODE,
        completion=None,
        enrollment=enrolled,
        full_name="Camille Martin",
        professional_id="10101010101",
        course_title="Cytokines et immunothérapie",
        contact_hours="2.0",
        completion_date=now.date(),
        issuer="Institut de formation OncoForma",
        signer_name="Dr Claire Lambert",
        issued_at=now,
    )


def test_a_valid_certificate_says_so_with_what_it_certifies(client, certificate):
    """Anyone, without logging in, reads "Valide", the holder, the course and the hours."""
    response = client.get(verify_url(CODE))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valide" in page
    assert "Camille Martin" in page
    # Public, printed as a QR code and handed to employers: never the holder's RPPS number.
    assert "10101010101" not in page
    assert "RPPS" not in page
    assert "Cytokines et immunothérapie" in page
    assert "2 heures" in page
    assert CODE in page
    assert '<html lang="fr">' in page


def test_a_revoked_certificate_says_revoked_with_the_date_and_the_category_only(
    client, certificate, instructor
):
    """The fixed category chosen by staff, never their free-text reason (it may name the
    holder's situation)."""
    certificate_revoke(
        certificate=certificate,
        reason="Absente pour raisons de santé.",
        category="not_completed",
        by=instructor,
    )
    page = client.get(verify_url(CODE)).content.decode()
    assert "Révoquée" in page
    assert "Valide" not in page
    assert "Formation non suivie comme exigé" in page
    assert "raisons de santé" not in page
    today = timezone.localdate()
    assert f"Révoquée le {today.day}" in page


def test_an_expired_certificate_says_expired(client, certificate):
    past = timezone.now() - timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=past)
    page = client.get(verify_url(CODE)).content.decode()
    assert "Expirée" in page
    assert "Expirée le" in page
    assert "Valide" not in page


def test_an_unknown_code_is_a_404_that_says_so_in_french(client, certificate):
    response = client.get(verify_url("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Introuvable" in page
    assert "Aucune attestation ne porte le code ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ" in page


def test_a_malformed_code_is_a_404_too(client):
    response = client.get(verify_url("<script>"))
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        CODE.lower(),
        CODE.replace("0", "O"),
        CODE.replace("1", "I"),
        CODE.replace("1", "l"),
        CODE.replace("-", ""),
        CODE.replace("-", " "),
    ],
)
def test_a_code_typed_from_paper_is_forgiven(client, certificate, typed):
    """Case, spaces, missing dashes and O/0, I/L/1 confusions find the same certificate."""
    response = client.get(verify_url(typed))
    assert response.status_code == 200
    assert CODE in response.content.decode()


def test_the_verification_page_is_never_cached(client, certificate):
    for code in (CODE, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"):
        cache_control = client.get(verify_url(code))["Cache-Control"]
        assert "no-store" in cache_control
        assert "max-age=0" in cache_control


def test_the_verification_page_is_rate_limited(client, settings, certificate):
    """After the limit, 429 with a message; codes cannot be tried by the thousand."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "certificate_verify": "3/m/ip"}
    statuses = [client.get(verify_url(CODE)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get(verify_url("ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"))
    assert response.status_code == 429
    assert "Trop de vérifications" in response.content.decode()
    assert CODE not in response.content.decode()


def test_the_verification_page_lives_outside_the_language_prefix(client, certificate):
    """Printed as a QR code, its address never moves: /certificates/verify/<code>/ only."""
    assert verify_url(CODE) == f"/certificates/verify/{CODE}/"
    assert client.get(f"/en/certificates/verify/{CODE}/").status_code == 404


def test_the_verification_page_needs_no_login(client, certificate):
    response = client.get(verify_url(CODE))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- the download ---------------------------------------------------------------------------


def download_url(certificate: Certificate) -> str:
    return reverse("courses:certificate_download", kwargs={"code": certificate.code})


@pytest.fixture
def issued(enrolled, issue_certificate) -> Certificate:
    return issue_certificate(enrolled)


def test_the_learner_downloads_their_certificate_as_a_pdf(learner_client, issued):
    response = learner_client.get(download_url(issued))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert f"attestation-{issued.code}.pdf" in response["Content-Disposition"]


def test_another_learner_may_not_download_it(client, make_user, issued):
    client.force_login(make_user())
    assert client.get(download_url(issued)).status_code == 403


def test_the_course_staff_may_download_it(client, instructor, issued):
    issued.enrollment.course.instructors.add(instructor)
    client.force_login(instructor)
    response = client.get(download_url(issued))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_instructor_of_another_course_may_not(client, make_user, make_course, issued):
    from courses.models import User

    other = make_user(role=User.Role.INSTRUCTOR)
    make_course().instructors.add(other)
    client.force_login(other)
    assert client.get(download_url(issued)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, issued):
    response = client.get(download_url(issued))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_unknown_code_cannot_be_downloaded(learner_client):
    response = learner_client.get(
        reverse("courses:certificate_download", kwargs={"code": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"})
    )
    assert response.status_code == 404
