"""A document's pictures carried into its lessons: checked and re-encoded (metadata gone),
stored once per course, served at their own address to whoever may read the course, shown in
the lesson; a picture without a description is said to staff; a remote picture is never
hot-linked."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from courses.ingest import read_document
from courses.ingest.services import documents_import
from courses.models import CourseImage, Lesson

from . import documents

pytestmark = pytest.mark.django_db

LIMITS = {"max_bytes": 2 * 1024 * 1024, "max_package_bytes": 20 * 1024 * 1024}


def imported(data: bytes, name: str):
    document = read_document(data, source=name, **LIMITS)
    return document, documents_import(course_slug="images-test", documents=[document]).course


def test_a_word_picture_is_re_encoded_without_metadata_and_stored_once():
    photo = documents.jpeg_with_exif()
    assert Image.open(io.BytesIO(photo)).getexif()  # the original carries EXIF
    data = documents.docx_with_pictures((photo, "Thermomètre tympanique"), (photo, ""))
    document, course = imported(data, "photos.docx")
    (image,) = document.images  # twice in the text, stored once
    assert image.alt == "Thermomètre tympanique"
    assert image.content_type == "image/jpeg"
    first = document.lessons[0].text
    assert first.count(f"(image:{image.key})") == 2
    assert "![Thermomètre tympanique](image:" in first
    stored = CourseImage.objects.get(course=course)
    with stored.file.open("rb") as handle:
        again = Image.open(io.BytesIO(handle.read()))
        assert not again.getexif()
        assert again.format == "JPEG"
    assert (stored.width, stored.height) == (60, 40)
    # Imported again: nothing more stored.
    documents_import(course_slug="images-test", documents=[document])
    assert CourseImage.objects.count() == 1


def test_a_picture_without_a_description_is_said_to_staff():
    document = read_document(
        documents.docx_with_pictures((documents.png(), "")), source="a.docx", **LIMITS
    )
    assert any("(texte alternatif)" in note for note in document.notes)


def test_the_lesson_shows_the_picture_at_its_own_address(client, make_user):
    data = documents.docx_with_pictures((documents.png(), "Courbe de température"))
    _document, course = imported(data, "courbe.docx")
    course.is_published = True
    course.save()
    image = CourseImage.objects.get()
    lesson = Lesson.objects.filter(module__course=course).order_by("position").first()
    client.force_login(make_user())
    client.post(reverse("courses:enroll", kwargs={"slug": course.slug}))
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert re.search(rf'<img src="/images/{image.key}/" alt="Courbe de température"', page)
    client.logout()
    response = client.get(f"/images/{image.key}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_unpublished_courses_pictures_are_for_its_staff_only(client, make_user, instructor):
    _document, course = imported(documents.docx_with_pictures((documents.png(), "x")), "a.docx")
    course.is_published = False
    course.save()
    key = CourseImage.objects.get().key
    assert client.get(f"/images/{key}/").status_code == 404
    client.force_login(make_user())
    assert client.get(f"/images/{key}/").status_code == 404
    course.instructors.add(instructor)
    client.force_login(instructor)
    assert client.get(f"/images/{key}/").status_code == 200
    assert client.get(f"/images/{'0' * 64}/").status_code == 404


def test_a_web_pages_embedded_picture_is_kept_and_a_remote_one_never_hot_linked():
    document = read_document(
        documents.html_with_pictures(documents.png()), source="page.html", **LIMITS
    )
    text = "\n".join(lesson.text for lesson in document.lessons) + document.title
    (image,) = document.images
    assert f"![Courbe de température](image:{image.key})" in text
    assert "cdn.example.org" not in text
    assert "http" not in text
    assert any(note.startswith("1 image distante écartée") for note in document.notes)


def test_a_picture_that_is_no_image_or_too_large_is_left_out_and_said():
    huge = io.BytesIO()
    Image.new("1", (9000, 6000)).save(huge, format="PNG")  # 54 megapixels
    data = documents.docx_with_pictures((huge.getvalue(), "trop grande"), (documents.png(), "ok"))
    document = read_document(data, source="a.docx", **LIMITS)
    assert [image.alt for image in document.images] == ["ok"]
    assert any(note.startswith("1 image écartée") and "PNG" in note for note in document.notes)


def test_a_libreoffice_picture_is_carried_in_from_the_archive():
    document = read_document(documents.odt_with_picture(documents.png()), source="a.odt", **LIMITS)
    (image,) = document.images
    assert f"(image:{image.key})" in document.lessons[0].text
    assert image.content_type == "image/png"
