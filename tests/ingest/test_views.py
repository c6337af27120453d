"""Course staff import documents from the browser; nobody else can."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import BackgroundJob, Module

from ..conftest import LESSONS_001, SEED_001

pytestmark = pytest.mark.django_db


def manage_url(course) -> str:
    return reverse("courses:course_manage", kwargs={"slug": course.slug})


@pytest.fixture
def staff_client(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    return client


def post_and_run(client, course, uploads, capture) -> object:
    """POST the files (the request records the import), then run what was published on
    commit: the import's task, here inline (as `make run` does without Redis)."""
    with capture(execute=True):
        response = client.post(manage_url(course), {"documents": uploads})
    return response


def test_course_staff_import_a_document(
    staff_client, course, django_capture_on_commit_callbacks, celery_eager
):
    """The request answers at once, the import done by its task; the page shows the report."""
    assert staff_client.get(manage_url(course)).status_code == 200
    upload = SimpleUploadedFile(SEED_001.name, SEED_001.read_bytes(), content_type="text/plain")
    response = post_and_run(staff_client, course, [upload], django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"].endswith("#imports")
    module = Module.objects.get(course=course, source_name=SEED_001.name)
    titles = list(module.lessons.order_by("position").values_list("title", flat=True))
    assert titles == LESSONS_001
    job = BackgroundJob.objects.get()
    assert (job.state, job.kind, job.step) == ("done", "import", "")
    assert job.report["modules"][0]["created"] == len(LESSONS_001)
    page = staff_client.get(manage_url(course)).content.decode()
    assert SEED_001.name in page
    assert "Import terminé" in page
    assert f"leçons nouvelles\u00a0: {len(LESSONS_001)}, modifiées\u00a0: 0" in page


def test_the_request_only_records_the_import(staff_client, course, settings, tmp_path):
    """Nothing read or written in the request (nothing commits in this test): the job waits,
    queued, with its file kept in storage; the page and its poll say so."""
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(SEED_001.name, SEED_001.read_bytes())
    staff_client.post(manage_url(course), {"documents": [upload]})
    job = BackgroundJob.objects.get()
    assert job.state == "queued"
    assert not Module.objects.filter(course=course, source_name=SEED_001.name).exists()
    (stored,) = job.payload["files"]
    assert stored["name"] == SEED_001.name
    assert (tmp_path / stored["path"]).read_bytes() == SEED_001.read_bytes()
    page = staff_client.get(manage_url(course)).content.decode()
    assert "En attente" in page
    assert 'data-state="running"' in page
    poll = staff_client.get(reverse("courses:course_imports_state", kwargs={"slug": course.slug}))
    assert poll["X-Poll-State"] == "running"


def test_word_pdf_and_web_page_documents_are_imported_from_the_page(
    staff_client, course, django_capture_on_commit_callbacks, celery_eager
):
    """Several files at once, each its own format: a module each, its lessons as the text
    says; the report lists them."""
    from . import documents

    uploads = [
        SimpleUploadedFile("livret.docx", documents.docx()),
        SimpleUploadedFile("livret.pdf", documents.pdf(), content_type="application/pdf"),
        SimpleUploadedFile("page.html", documents.html(), content_type="text/html"),
    ]
    post_and_run(staff_client, course, uploads, django_capture_on_commit_callbacks)
    expected = [heading for heading, _paragraphs in documents.LESSONS]
    for name in ("livret.docx", "livret.pdf", "page.html"):
        module = Module.objects.get(course=course, source_name=name)
        assert module.title == documents.TITLE
        assert list(module.lessons.order_by("position").values_list("title", flat=True)) == (
            expected
        )
    page = staff_client.get(manage_url(course)).content.decode()
    assert "livret.pdf" in page
    assert "1 image" in page  # the Word document's


def test_a_refused_pdf_says_why_and_nothing_is_imported(
    staff_client, course, django_capture_on_commit_callbacks, celery_eager, settings, tmp_path
):
    """One file refused, the others with it (all or nothing); the reason on the page; the
    uploaded files deleted."""
    from . import documents

    settings.MEDIA_ROOT = tmp_path
    good = SimpleUploadedFile(SEED_001.name, SEED_001.read_bytes())
    scan = SimpleUploadedFile("scan.pdf", documents.scanned_pdf(), content_type="application/pdf")
    post_and_run(staff_client, course, [good, scan], django_capture_on_commit_callbacks)
    job = BackgroundJob.objects.get()
    assert job.state == "failed"
    assert job.error.startswith("scan.pdf: ce PDF ne contient pas de texte")
    assert not Module.objects.filter(course=course, source_name=SEED_001.name).exists()
    assert not list((tmp_path / "imports").rglob("*.*"))
    page = staff_client.get(manage_url(course)).content.decode()
    assert "Refusé\u00a0: rien n’a été importé." in page
    assert "scan.pdf: ce PDF ne contient pas de texte" in page


def test_a_file_of_an_unknown_type_or_too_large_is_refused_at_once(staff_client, course, settings):
    """What the form can tell without reading: an unsupported type, a size over the limit."""
    settings.COURSES_IMPORT_MAX_BYTES = 100
    rtf = SimpleUploadedFile("notes.rtf", b"{\\rtf1 Soins}")
    big = SimpleUploadedFile("long.txt", b"x" * 200)
    response = staff_client.post(manage_url(course), {"documents": [rtf, big]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "notes.rtf" in page
    assert "long.txt" in page
    assert not BackgroundJob.objects.exists()


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
