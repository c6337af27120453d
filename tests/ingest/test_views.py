"""Course staff import documents from the browser; nobody else can."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Lesson, Module

from ..conftest import LESSONS_001, SEED_001

pytestmark = pytest.mark.django_db


def manage_url(course) -> str:
    return reverse("courses:course_manage", kwargs={"slug": course.slug})


def test_course_staff_import_a_document(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    assert client.get(manage_url(course)).status_code == 200
    upload = SimpleUploadedFile(SEED_001.name, SEED_001.read_bytes(), content_type="text/plain")
    response = client.post(manage_url(course), {"documents": [upload]})
    assert response.status_code == 302
    module = Module.objects.get(course=course, source_name=SEED_001.name)
    titles = list(module.lessons.order_by("position").values_list("title", flat=True))
    assert titles == LESSONS_001
    page = client.get(manage_url(course)).content.decode()
    assert SEED_001.name in page


def test_word_pdf_and_web_page_documents_are_imported_from_the_page(client, course, instructor):
    """Several files at once, each its own format: a module each, its lessons as the text
    says; the page lists them."""
    from . import documents

    course.instructors.add(instructor)
    client.force_login(instructor)
    uploads = [
        SimpleUploadedFile("livret.docx", documents.docx()),
        SimpleUploadedFile("livret.pdf", documents.pdf(), content_type="application/pdf"),
        SimpleUploadedFile("page.html", documents.html(), content_type="text/html"),
    ]
    response = client.post(manage_url(course), {"documents": uploads})
    assert response.status_code == 302
    expected = [heading for heading, _paragraphs in documents.LESSONS]
    for name in ("livret.docx", "livret.pdf", "page.html"):
        module = Module.objects.get(course=course, source_name=name)
        assert module.title == documents.TITLE
        assert list(module.lessons.order_by("position").values_list("title", flat=True)) == (
            expected
        )
    assert "livret.pdf" in client.get(manage_url(course)).content.decode()


def test_a_refused_pdf_says_why_on_the_page(client, course, instructor):
    from . import documents

    course.instructors.add(instructor)
    client.force_login(instructor)
    scan = SimpleUploadedFile("scan.pdf", documents.scanned_pdf(), content_type="application/pdf")
    response = client.post(manage_url(course), {"documents": [scan]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "scan.pdf" in page
    assert "ce PDF ne contient pas de texte" in page
    assert not Module.objects.filter(course=course, source_name="scan.pdf").exists()


def test_a_bad_file_in_the_upload_writes_nothing(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    good = SimpleUploadedFile(SEED_001.name, SEED_001.read_bytes())
    binary = SimpleUploadedFile("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    before = Lesson.objects.count()
    response = client.post(manage_url(course), {"documents": [good, binary]})
    assert response.status_code == 200
    assert "scan.txt" in response.content.decode()
    assert Lesson.objects.count() == before


@pytest.mark.parametrize("who", ["anonymous", "learner", "other_instructor"])
def test_only_course_staff_and_admins_manage(client, course, learner, make_user, who):
    from courses.models import User

    if who == "learner":
        client.force_login(learner)
    elif who == "other_instructor":
        client.force_login(make_user(role=User.Role.INSTRUCTOR))
    upload = SimpleUploadedFile(SEED_001.name, SEED_001.read_bytes())
    response = client.post(manage_url(course), {"documents": [upload]})
    assert response.status_code in {302, 403}
    if who != "anonymous":
        assert response.status_code == 403
    assert not Module.objects.filter(source_name=SEED_001.name).exists()


def test_administrators_manage_every_course(client, course, make_user):
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(manage_url(course)).status_code == 200
    assert "Gérer la formation" in client.get(course.get_absolute_url()).content.decode()
