"""Accountability (issue 18, fifth slice): each view or export of a learner's data by staff,
each download and erasure is recorded; administrators read the records; a learner finds those
about her in her data; tokens never reach the site's logs."""

from __future__ import annotations

import io
import json
import logging
import secrets
import urllib.request
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.cohorts.services import cohort_join
from courses.models import AccessRecord
from courses.privacy.services import account_erase, retention_apply
from courses.system.logging import RedactTokens, redact
from tests.servers import gunicorn, manage, production_env

pytestmark = pytest.mark.django_db
Action = AccessRecord.Action


@pytest.fixture
def classroom(make_course, make_cohort, make_user, issue_certificate, client):
    course = make_course(modules=1, lessons=1)
    cohort = make_cohort(course, name="IDE 2026")
    learner = make_user(email="lea@example.org", full_name="Léa Dubois")
    member = cohort_join(cohort=cohort, user=learner)
    certificate = issue_certificate(member.enrollment)
    other = make_cohort(make_course(), name="Autre cohorte", owner=cohort.owner)
    staff = type(client)()
    staff.force_login(cohort.owner)
    return cohort, other, member, certificate, staff


def test_staff_views_and_exports_are_recorded(classroom):
    cohort, _other, member, certificate, staff = classroom
    learner = member.enrollment.user
    staff.get(reverse("courses:cohort_learner", kwargs={"pk": cohort.pk, "member": member.pk}))
    staff.get(reverse("courses:cohort_export", kwargs={"pk": cohort.pk, "fmt": "xlsx"}))
    staff.get(
        reverse(
            "courses:certificate_staff",
            kwargs={"slug": cohort.course.slug, "code": certificate.code},
        )
    )
    records = list(AccessRecord.objects.order_by("at", "pk"))
    assert [(r.action, r.by, r.subject, r.cohort) for r in records] == [
        (Action.LEARNER_VIEWED, cohort.owner, learner, cohort),
        (Action.COHORT_EXPORTED, cohort.owner, None, cohort),
        (Action.CERTIFICATE_VIEWED, cohort.owner, learner, None),
    ]
    assert records[1].detail == "xlsx, 1"
    assert records[2].detail == certificate.code


def test_a_learner_finds_the_accesses_to_her_data_in_her_download(classroom, client):
    cohort, other, member, _certificate, staff = classroom
    learner = member.enrollment.user
    staff.get(reverse("courses:cohort_export", kwargs={"pk": other.pk, "fmt": "csv"}))
    staff.get(reverse("courses:cohort_learner", kwargs={"pk": cohort.pk, "member": member.pk}))
    staff.get(reverse("courses:cohort_export", kwargs={"pk": cohort.pk, "fmt": "csv"}))
    client.force_login(learner)
    client.post(reverse("courses:privacy_export"))  # recorded too, seen the next time
    data = json.loads(client.post(reverse("courses:privacy_export")).content)
    seen = [(a["action"], a["cohort"]) for a in data["accesses"]]
    assert seen == [
        ("page d’un ou d’une apprenant·e consultée", "IDE 2026"),
        ("résultats de la cohorte exportés", "IDE 2026"),
        ("ses propres données téléchargées", None),
    ]
    assert data["accesses"][0]["by"] == (cohort.owner.full_name or cohort.owner.email)
    assert "Autre cohorte" not in json.dumps(data, ensure_ascii=False)


def test_an_erasure_is_recorded_and_administrators_read_the_records(classroom, client, make_user):
    _cohort, _other, member, _certificate, _staff = classroom
    admin = make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    account_erase(user=member.enrollment.user, by=admin, why="courrier du 2 décembre")
    record = AccessRecord.objects.get(action=Action.ACCOUNT_ERASED)
    assert (record.by, record.detail) == (admin, "courrier du 2 décembre")
    client.force_login(admin)
    changelist = client.get(reverse("admin:courses_accessrecord_changelist"))
    assert changelist.status_code == 200
    assert "compte effacé" in changelist.content.decode()
    assert client.get(reverse("admin:courses_accessrecord_add")).status_code == 403
    delete = reverse("admin:courses_accessrecord_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessRecord.objects.filter(pk=record.pk).exists()


def test_old_records_go_after_the_log_retention(classroom, settings):
    cohort, *_rest, staff = classroom
    staff.get(reverse("courses:cohort_export", kwargs={"pk": cohort.pk, "fmt": "csv"}))
    AccessRecord.objects.update(at=timezone.now() - timedelta(days=settings.RETENTION_LOG_DAYS + 1))
    assert retention_apply().accesses_forgotten == 1
    assert not AccessRecord.objects.exists()


# --- tokens out of the logs ---------------------------------------------------------------------

SECRET = "k9Qw7-Zx3Lm"


@pytest.mark.parametrize(
    "path",
    [
        f"/invitations/{SECRET}/",
        f"/invitations/{SECRET}/object/",
        f"/en/cohorts/join/{SECRET}/",
        f"/reminders/unsubscribe/{SECRET}:1tQ:sig/",
        f"/accounts/confirm-email/{SECRET}/",
        f"/accounts/password/reset/key/1-{SECRET}/",
    ],
)
def test_redaction_takes_every_token_out(path):
    line = f'127.0.0.1 "GET {path}?x=1 HTTP/1.1" 404 "https://site{path}"'
    assert SECRET not in redact(line)
    assert redact(line).count("[redacted]") == 2


def test_a_404_on_a_token_link_logs_no_token(client):
    """Django logs a warning for every 404 ("Not Found: <path>"): through the site's handler,
    the token is gone."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokens) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        client.get(f"/invitations/{SECRET}/")
        client.get(f"/cohorts/join/{SECRET}/")
    finally:
        handler.setStream(previous)
    written = stream.getvalue()
    assert "Not Found: /cohorts/join/[redacted]/" in written
    assert SECRET not in written


@pytest.mark.processes
def test_gunicorns_access_log_holds_no_token(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, log, access_log=True) as base:
        for path in (f"/invitations/{SECRET}/", f"/cohorts/join/{SECRET}/"):
            with pytest.raises(urllib.error.HTTPError, match="404"):
                urllib.request.urlopen(base + path, timeout=10)  # noqa: S310
    text = log.read_text()
    assert "GET /invitations/[redacted]/ HTTP/1.1 404" in text
    assert SECRET not in text
