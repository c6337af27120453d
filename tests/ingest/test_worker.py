"""An import as production runs it: the manage page's request stores the files and records
the job; a real Celery worker, through its own Redis, reads them, imports them and drafts
their questions; the page follows queued → reading/generating → done."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import BackgroundJob, Module, QuestionItem
from tests.workers import wait_for

from . import documents

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def poll(client, course) -> tuple[str, str]:
    response = client.get(reverse("courses:course_imports_state", kwargs={"slug": course.slug}))
    return response["X-Poll-State"], response.content.decode()


def test_an_import_runs_on_the_worker_through_its_states(
    broker, celery_worker, deployment, client, course, instructor
):
    course.instructors.add(instructor)
    client.force_login(instructor)
    upload = SimpleUploadedFile("livret.docx", documents.docx())
    response = client.post(
        reverse("courses:course_manage", kwargs={"slug": course.slug}), {"documents": [upload]}
    )
    assert response.status_code == 302
    job = BackgroundJob.objects.get(kind=BackgroundJob.Kind.IMPORT)
    assert job.state == "queued"
    assert not Module.objects.filter(source_name="livret.docx").exists()
    state, box = poll(client, course)
    assert state == "running"
    assert "En attente" in box

    worker = celery_worker(broker.url, IMPORT_TEST_HOLD="1")
    deployment.held_pid()  # the worker holds at the "generating" step
    job.refresh_from_db()
    assert (job.state, job.step) == ("running", "generating")
    assert Module.objects.filter(source_name="livret.docx").exists()  # imported already
    assert "Rédaction des questions" in poll(client, course)[1]
    worker.kill()

    second = celery_worker(broker.url, beat=True, JOB_STALE_SECONDS="2", JOB_SWEEP_SECONDS="2")

    def done() -> bool:
        return BackgroundJob.objects.filter(pk=job.pk, state="done").exists()

    wait_for(done, timeout=120, what="the import finished by the second worker")
    job.refresh_from_db()
    module = Module.objects.get(source_name="livret.docx")
    assert job.report["modules"][0]["title"] == module.title == documents.TITLE
    drafted = QuestionItem.objects.filter(lesson__module=module).count()
    assert drafted > 0  # drafted by the second run, although the documents were unchanged
    assert job.report["drafted"] == drafted
    state, box = poll(client, course)
    assert state == "done"
    assert "Import terminé" in box
    assert "courses.documents_import" in second.log()
