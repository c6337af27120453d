"""Media in an S3-compatible bucket (a real SeaweedFS, tests/objectstore.py), in this process:
the site stores there and serves from there, after its own access check; the bucket is
private; a missing file is a 404 that says so; a storage that does not answer is a clear error
that keeps nothing, never a 500."""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from courses.models import BackgroundJob, CourseImage, Lesson
from elearn.storage import media_storage
from tests.ingest import documents
from tests.workers import free_port

pytestmark = pytest.mark.django_db


def download_url(certificate) -> str:
    return reverse("courses:certificate_download", kwargs={"code": certificate.code})


def local_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def storage_down(settings, s3_media) -> Callable[[], dict]:
    """``storage_down()`` points this process's media at an S3 endpoint where nothing
    listens (every call refused) and returns the STORAGES it replaced."""

    def down() -> dict:
        up = settings.STORAGES
        environ = s3_media.store.environ(
            s3_media.name, S3_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}"
        )
        settings.STORAGES = {**up, "default": media_storage(environ)}
        return up

    return down


def test_a_certificate_is_stored_in_the_bucket_and_its_holder_downloads_it(
    s3_media, media_root, issue_certificate, enrolled, learner_client
):
    """The PDF is an object of the bucket, nothing is written to this host's disk, and the
    holder gets the very bytes through the site."""
    certificate = issue_certificate(enrolled)
    assert s3_media.object_keys() == [certificate.file.name]
    assert certificate.file.name.startswith("certificates/")
    assert local_files(media_root) == []

    response = learner_client.get(download_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body == s3_media.read(certificate.file.name)
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert certificate.code in text


def test_the_bucket_is_private_and_a_signed_address_expires(
    settings, s3_media, media_root, issue_certificate, enrolled
):
    """No object is public: its plain address is refused. An address the storage signs (an
    admin's link) opens it until it expires, then never again."""
    certificate = issue_certificate(enrolled)
    plain = f"{s3_media.store.endpoint}/{s3_media.name}/{certificate.file.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain, timeout=10)  # noqa: S310
    assert refused.value.code == 403

    environ = {**s3_media.environ, "S3_URL_EXPIRES": "1"}
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(environ)}
    signed = default_storage.url(certificate.file.name)
    assert "X-Amz-Signature=" in signed
    with urllib.request.urlopen(signed, timeout=10) as opened:  # noqa: S310
        assert opened.read().startswith(b"%PDF")
    time.sleep(2.5)
    with pytest.raises(urllib.error.HTTPError) as expired:
        urllib.request.urlopen(signed, timeout=10)  # noqa: S310
    assert expired.value.code == 403


def test_only_the_holder_gets_the_pdf_through_the_site(
    s3_media, media_root, issue_certificate, enrolled, learner_client, make_user
):
    """Another learner is refused; a visitor is sent to log in; the holder's own address,
    replayed after she logged out, opens nothing."""
    certificate = issue_certificate(enrolled)
    url = download_url(certificate)

    other = Client()
    other.force_login(make_user())
    assert other.get(url).status_code == 403

    visitor = Client().get(url)
    assert visitor.status_code == 302
    assert visitor.url.startswith(reverse("account_login"))

    assert learner_client.get(url).status_code == 200
    learner_client.logout()
    replayed = learner_client.get(url)
    assert replayed.status_code == 302
    assert replayed.url.startswith(reverse("account_login"))


def test_a_file_gone_from_the_bucket_is_a_404_that_says_so(
    s3_media, media_root, issue_certificate, enrolled, learner_client, course, instructor
):
    certificate = issue_certificate(enrolled)
    s3_media.store.client().delete_object(Bucket=s3_media.name, Key=certificate.file.name)
    response = learner_client.get(download_url(certificate))
    assert response.status_code == 404
    assert "PDF de cette attestation est introuvable" in response.content.decode()


def test_a_picture_uploaded_in_the_editor_is_stored_in_the_bucket_and_served(
    s3_media, client, course, instructor, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    course.instructors.add(instructor)
    client.force_login(instructor)
    lesson = Lesson.objects.filter(module__course=course).first()
    response = client.post(
        reverse("courses:lesson_edit", kwargs={"slug": course.slug, "pk": lesson.pk}),
        {
            "title": lesson.title,
            "text": lesson.text,
            "base_version": lesson.version,
            "picture": SimpleUploadedFile("photo.jpg", documents.jpeg_with_exif()),
            "picture_alt": "Thermomètre tympanique",
            "upload": "1",
        },
    )
    assert response.status_code == 200
    image = CourseImage.objects.get()
    assert s3_media.object_keys() == [image.file.name]
    assert local_files(settings.MEDIA_ROOT) == []
    served = client.get(reverse("course_image", kwargs={"key": image.key}))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == s3_media.read(image.file.name)

    s3_media.store.client().delete_object(Bucket=s3_media.name, Key=image.file.name)
    gone = client.get(reverse("course_image", kwargs={"key": image.key}))
    assert gone.status_code == 404
    assert "Cette image n’est plus conservée." in gone.content.decode()


# --- The storage does not answer ---------------------------------------------------------------


def test_a_download_while_the_storage_is_down_is_a_503_that_says_to_retry(
    storage_down, media_root, issue_certificate, enrolled, learner_client
):
    """Answered within seconds (no request held on a storage that is down), never a 500."""
    certificate = issue_certificate(enrolled)
    storage_down()
    started = time.monotonic()
    response = learner_client.get(download_url(certificate))
    assert time.monotonic() - started < 20
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Rien n’est perdu" in response.content.decode()


def test_uploads_while_the_storage_is_down_say_so_and_keep_nothing(
    storage_down, s3_media, client, course, instructor
):
    """A cover, a picture, documents to import: each refused with a message; no cover set, no
    picture recorded, no import job, no object in the bucket."""
    storage_down()
    course.instructors.add(instructor)
    client.force_login(instructor)
    message = "Les fichiers ne peuvent pas être enregistrés pour le moment"

    cover = client.post(
        reverse("courses:course_presentation", kwargs={"slug": course.slug}),
        {"description": "", "audience": "", "objectives": "",
         "cover": SimpleUploadedFile("photo.jpg", documents.jpeg_with_exif())},
    )  # fmt: skip
    assert cover.status_code == 200
    assert message in cover.content.decode()
    course.refresh_from_db()
    assert not course.cover

    lesson = Lesson.objects.filter(module__course=course).first()
    picture = client.post(
        reverse("courses:lesson_edit", kwargs={"slug": course.slug, "pk": lesson.pk}),
        {"title": lesson.title, "text": lesson.text, "base_version": lesson.version,
         "picture": SimpleUploadedFile("photo.jpg", documents.jpeg_with_exif()),
         "picture_alt": "Thermomètre", "upload": "1"},
    )  # fmt: skip
    assert picture.status_code == 400
    assert message in picture.content.decode()
    assert not CourseImage.objects.exists()

    imported = client.post(
        reverse("courses:course_manage", kwargs={"slug": course.slug}),
        {"documents": [SimpleUploadedFile("livret.docx", documents.docx())]},
    )
    assert imported.status_code == 200
    assert message in imported.content.decode()
    assert not BackgroundJob.objects.exists()

    assert s3_media.object_keys() == []


def test_an_import_whose_files_cannot_be_read_waits_for_the_storage_and_then_runs(
    s3_media, storage_down, settings, client, course, instructor,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The worker finds the storage down: the job goes back to the queue with its files (its
    page says why), nothing is imported; once the storage answers, the next run imports them
    and deletes the files."""
    from courses.ingest.services import import_run
    from courses.models import Module

    course.instructors.add(instructor)
    client.force_login(instructor)
    with django_capture_on_commit_callbacks():  # the task's publish, not run here
        client.post(
            reverse("courses:course_manage", kwargs={"slug": course.slug}),
            {"documents": [SimpleUploadedFile("livret.docx", documents.docx())]},
        )
    job = BackgroundJob.objects.get()
    stored = [entry["path"] for entry in job.payload["files"]]

    up = storage_down()
    assert import_run(job_id=job.pk) == "requeued"
    job.refresh_from_db()
    assert (job.state, job.started_at) == ("queued", None)
    assert not Module.objects.filter(source_name="livret.docx").exists()
    page = client.get(reverse("courses:course_imports_state", kwargs={"slug": course.slug}))
    assert "En attente du stockage des fichiers" in page.content.decode()

    settings.STORAGES = up
    assert s3_media.object_keys() == stored  # kept for the next run
    assert import_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert (job.state, job.error) == ("done", "")
    assert Module.objects.filter(source_name="livret.docx").exists()
    assert not set(stored) & set(s3_media.object_keys())  # deleted once read
