"""The whole path, as a learner lives it: the course completed on the site, a real worker, the
PDF (its text and its QR code read back), the e-mail, the public verification page."""

from __future__ import annotations

import re

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from courses.models import Certificate, CourseCompletion

from .conftest import COURSE_TITLE, HOURS_DISPLAY, complete_course_over_http, delivered

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_completing_the_course_on_the_site_issues_one_verifiable_certificate(
    broker, celery_worker, deployment, learner, learner_http, certificate_course, enrollment
):
    """The quiz that completes the course is answered on the site; a worker issues the
    certificate: one PDF naming the learner, the course, its hours and its code, whose QR code
    opens the verification page, which says it is valid; one e-mail with both links."""
    celery_worker(broker.url)

    complete_course_over_http(learner_http, certificate_course)

    assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1
    certificate = delivered(enrollment, timeout=30)
    code = certificate.code
    verify_url = f"{settings.SITE_BASE_URL}/certificates/verify/{code}/"
    download_url = settings.SITE_BASE_URL + reverse(
        "courses:certificate_download", kwargs={"code": code}
    )
    assert Certificate.objects.count() == 1
    assert deployment.pdfs() == [deployment.media / certificate.file.name]

    # What the PDF says.
    path = deployment.media / certificate.file.name
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Camille Martin" in text
    assert COURSE_TITLE in text
    assert re.search(rf"\b{HOURS_DISPLAY} (heures|hours)\b", text), text
    assert code in text
    # The end-of-training certificate (L6353-1): objectives, nature, duration and results.
    attestation = " ".join(reader.pages[1].extract_text().replace("\u00a0", " ").split())
    for expected in (
        "ATTESTATION DE FIN DE FORMATION",
        "Objectifs",
        "– Connaître le contenu du module « ",  # no objectives set: one per module
        "Nature de l’action de formation Action de formation (Code du travail, article L6313-1)",
        f"Durée {HOURS_DISPLAY} heures",
        "1 quiz réussi sur 1",
        "3/3 (100 %) 1 Réussi le ",
    ):
        assert expected in attestation, (expected, attestation)

    # Its QR code, read from the page as a phone's camera would see it.
    document = pypdfium2.PdfDocument(path)
    try:
        image = document[0].render(scale=3).to_numpy()
    finally:
        document.close()
    assert [found.text for found in zxingcpp.read_barcodes(image)] == [verify_url]

    # The address in the QR code, opened by anyone.
    page = Client().get(verify_url.removeprefix(settings.SITE_BASE_URL))
    assert page.status_code == 200
    status = re.search(r'role="status">\s*(.*?)\s*</p>', page.content.decode())
    assert status is not None
    assert status.group(1) == "Valide"

    # The learner downloads the same file.
    download = learner_http.get(download_url.removeprefix(settings.SITE_BASE_URL))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == path.read_bytes()

    # One e-mail, to the learner, with both links.
    emails = deployment.emails()
    assert len(emails) == 1
    assert emails[0]["To"] == learner.email
    (text_part,) = [part for part in emails[0].walk() if part.get_content_type() == "text/plain"]
    body = text_part.get_payload(decode=True).decode(text_part.get_content_charset() or "utf-8")
    assert download_url in body
    assert verify_url in body
