"""Rectification (RGPD art. 16; issue 18, sixth slice): a learner corrects her name; her
certificate is re-issued under the new one (the existing re-issue), the old one marked
replaced."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.certificates.services import certificate_deliver
from courses.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(make_course, make_user, issue_certificate, client):
    from courses.progress.services import enrollment_create

    course = make_course(modules=1, lessons=1)
    learner = make_user(full_name="Léa Dubois")
    enrollment, _created = enrollment_create(user=learner, course=course)
    certificate = issue_certificate(enrollment)
    client.force_login(learner)
    return learner, course, certificate


def test_a_corrected_name_re_issues_the_certificate_and_marks_the_old_replaced(
    client, issued, mailoutbox, django_capture_on_commit_callbacks
):
    _learner, course, old = issued
    page = client.get(course.get_absolute_url()).content.decode()
    assert "La rééditer à mon nom actuel" not in page  # the name has not changed

    client.post(reverse("courses:profile"), {"full_name": "Léa Dubois-Martin"})
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Elle porte le nom « Léa Dubois »" in page.replace("\u00a0", " ")
    rectify = reverse("courses:certificate_rectify", kwargs={"code": old.code})
    assert f'action="{rectify}"' in page

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = client.post(rectify)
    assert answer.status_code == 302
    assert callbacks  # the new certificate's delivery, published on commit
    old.refresh_from_db()
    assert old.revocation_category == Certificate.RevocationCategory.REPLACED
    new = Certificate.objects.get(duplicate_of=old)
    assert (new.full_name, new.revoked_at) == ("Léa Dubois-Martin", None)
    # While the new one is rendered, the learner sees it coming, not "revoked".
    coming = client.get(course.get_absolute_url()).content.decode()
    assert "Votre attestation est en cours d’émission." in coming
    assert "révoquée" not in coming.lower()
    certificate_deliver(certificate_id=new.pk)
    page = client.get(course.get_absolute_url()).content.decode()
    assert new.code in page
    assert "La rééditer à mon nom actuel" not in page
    # The old code still answers publicly: replaced, without the reason.
    verify = client.get(reverse("certificate_verify", kwargs={"code": old.code})).content.decode()
    assert "Remplacée par une autre attestation" in verify
    assert "corrigé par" not in verify
    # A second click changes nothing.
    client.post(rectify)
    assert Certificate.objects.filter(duplicate_of=old).count() == 1


def test_nobody_else_can_rectify_it(client, issued, make_user):
    _learner, _course, certificate = issued
    client.force_login(make_user())
    answer = client.post(reverse("courses:certificate_rectify", kwargs={"code": certificate.code}))
    assert answer.status_code == 403
    assert not Certificate.objects.filter(duplicate_of=certificate).exists()


def test_an_unchanged_name_is_not_re_issued(client, issued):
    _learner, _course, certificate = issued
    client.post(reverse("courses:certificate_rectify", kwargs={"code": certificate.code}))
    assert not Certificate.objects.filter(duplicate_of=certificate).exists()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
