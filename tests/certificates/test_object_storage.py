"""Several hosts, no shared disk (docs/deployment.md, "Several hosts"): this process is the
web host and a real Celery worker the other host, each with a MEDIA_ROOT of its own, both on
one S3-compatible bucket (a real SeaweedFS, tests/objectstore.py). Nothing goes through
either disk: the worker's certificate is downloaded from the site, an instructor's upload is
imported by the worker and its picture shown and exported. With the storage stopped while a
certificate is owed, the worker retries and issues it once the storage is back."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from courses.models import BackgroundJob, Certificate, CourseImage, Lesson
from tests.ingest import documents
from tests.objectstore import started
from tests.workers import wait_for

from .conftest import COURSE_TITLE, complete_course_over_http, delivered

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def files_on(disk) -> list:
    return [path for path in disk.rglob("*") if path.is_file()]


@pytest.fixture
def disks(tmp_path, settings):
    """The web host's disk (this process) and the worker host's, apart."""
    web, worker = tmp_path / "web-host", tmp_path / "worker-host"
    web.mkdir()
    worker.mkdir()
    settings.MEDIA_ROOT = web
    return web, worker


def test_web_and_worker_on_separate_disks_share_media_through_the_bucket(
    broker, celery_worker, deployment, s3_media, disks, learner_http, certificate_course,
    enrollment, instructor,
):  # fmt: skip
    web_disk, worker_disk = disks
    celery_worker(broker.url, MEDIA_ROOT=str(worker_disk), **s3_media.environ)

    # The worker renders the certificate; the learner downloads it from the web host.
    complete_course_over_http(learner_http, certificate_course)
    certificate = delivered(enrollment, timeout=60)
    assert s3_media.object_keys() == [certificate.file.name]
    response = learner_http.get(
        reverse("courses:certificate_download", kwargs={"code": certificate.code})
    )
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Camille Martin" in text
    assert COURSE_TITLE in text
    assert certificate.code in text

    # An instructor uploads a Word document with a picture; the worker imports it.
    certificate_course.instructors.add(instructor)
    staff = Client()
    staff.force_login(instructor)
    upload = documents.docx()
    response = staff.post(
        reverse("courses:course_manage", kwargs={"slug": certificate_course.slug}),
        {"documents": [SimpleUploadedFile("livret.docx", upload)]},
    )
    assert response.status_code == 302
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.IMPORT)
    stored = [entry["path"] for entry in job.payload["files"]]
    assert stored == [f"imports/{job.pk}/livret.docx"]  # a key of the bucket, not a path
    assert s3_media.read(stored[0]) == upload
    wait_for(
        lambda: BackgroundJob.objects.filter(pk=job.pk, state="done").exists(),
        timeout=180,
        what="the import, on the worker",
    )
    image = CourseImage.objects.get(course=certificate_course)
    assert image.file.name in s3_media.object_keys()
    assert stored[0] not in s3_media.object_keys()  # the document, deleted once read

    # The lesson shows the picture, which the web host serves from the bucket.
    lesson = Lesson.objects.get(
        module__course=certificate_course, text__contains=f"image:{image.key}"
    )
    page = staff.get(
        reverse("courses:lesson", kwargs={"slug": certificate_course.slug, "pk": lesson.pk})
    )
    assert f'src="/images/{image.key}/"' in page.content.decode()
    served = staff.get(reverse("course_image", kwargs={"key": image.key}))
    assert served.status_code == 200
    picture = b"".join(served.streaming_content)
    assert picture == s3_media.read(image.file.name)

    # The SCORM package carries it.
    package = staff.get(
        reverse("courses:scorm_export", kwargs={"slug": certificate_course.slug, "standard": "1.2"})
    )
    assert package.status_code == 200
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        assert any(archive.read(name) == picture for name in archive.namelist())

    # Neither host's disk holds a media file.
    assert files_on(web_disk) == []
    assert files_on(worker_disk) == []


def test_a_certificate_owed_while_the_storage_is_down_is_issued_once_it_is_back(
    broker, celery_worker, deployment, s3_media, object_store, disks, learner_http,
    certificate_course, enrollment,
):  # fmt: skip
    _web_disk, worker_disk = disks
    worker = celery_worker(broker.url, MEDIA_ROOT=str(worker_disk), **s3_media.environ)
    object_store.stop()
    try:
        complete_course_over_http(learner_http, certificate_course)
        wait_for(
            lambda: "Retry in" in worker.log(),
            timeout=60,
            what="the certificate's task to fail on the storage and be retried",
        )
        assert not Certificate.objects.filter(rendered_at__isnull=False).exists()
    finally:
        started(object_store)
    certificate = delivered(enrollment, timeout=240)
    assert Certificate.objects.count() == 1
    assert s3_media.object_keys() == [certificate.file.name]
    assert s3_media.read(certificate.file.name).startswith(b"%PDF")
    (mail,) = deployment.emails()  # one e-mail, sent once the PDF was stored
    assert mail["To"] == enrollment.user.email
    assert files_on(worker_disk) == []
