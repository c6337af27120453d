"""Retention (issue 18, fourth slice): the daily task warns an unused account, erases it a month
later unless its holder signed in, deletes expired invitations and old e-mail records, and once
an erased account's retention has run out, deletes its training records and anonymises its
certificates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.cohorts.services import cohort_join
from courses.models import Certificate, Enrollment, Invitation, SentEmail, User
from courses.privacy.services import INACTIVITY_GRACE, account_erase, retention_apply
from courses.privacy.tasks import privacy_retention_task

pytestmark = pytest.mark.django_db

YEAR = timedelta(days=366)


def age(user, *, last_login):
    User.objects.filter(pk=user.pk).update(last_login=last_login, date_joined=last_login)


def test_an_unused_account_is_warned_then_erased_a_month_later(make_user, mailoutbox, settings):
    settings.RETENTION_INACTIVE_ACCOUNT_YEARS = 3
    now = timezone.now()
    asleep = make_user(email="dort@example.org", full_name="Jeanne Dort")
    awake = make_user(email="eveil@example.org")
    age(asleep, last_login=now - 3 * YEAR)
    age(awake, last_login=now - 2 * YEAR)

    first = retention_apply(now=now)
    assert first.warned == 1
    assert first.erased == 0
    [warning] = mailoutbox
    assert warning.to == ["dort@example.org"]
    assert "Votre compte sera effacé si vous ne vous connectez pas" in warning.subject
    assert "depuis 3\u00a0ans" in warning.body or "depuis 3 ans" in warning.body
    assert "https://formation.example.org/accounts/login/" in warning.body
    assert "https://formation.example.org/privacy/" in warning.body

    again = retention_apply(now=now + timedelta(days=1))  # the next day: no second warning
    assert (again.warned, again.erased) == (0, 0)
    assert len(mailoutbox) == 1

    later = retention_apply(now=now + INACTIVITY_GRACE + timedelta(hours=1))
    assert later.erased == 1
    assert User.objects.get(pk=asleep.pk).erased_at is not None
    assert User.objects.get(pk=awake.pk).erased_at is None


def test_signing_in_after_the_warning_keeps_the_account(client, make_user, password, settings):
    now = timezone.now()
    user = make_user(email="revient@example.org")
    age(user, last_login=now - 4 * YEAR)
    retention_apply(now=now)
    assert User.objects.get(pk=user.pk).inactivity_warned_at is not None
    assert client.login(email="revient@example.org", password=password)
    client.get(reverse("courses:dashboard"))
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() + timedelta(seconds=1))
    result = retention_apply(now=now + INACTIVITY_GRACE + timedelta(days=1))
    assert result.erased == 0
    kept = User.objects.get(pk=user.pk)
    assert kept.erased_at is None
    assert kept.inactivity_warned_at is None


def test_expired_invitations_and_old_email_records_go(make_cohort, course, settings):
    now = timezone.now()
    cohort = make_cohort(course)
    fresh = Invitation.objects.create(cohort=cohort, email="a@example.org")
    Invitation.objects.create(
        cohort=cohort,
        email="b@example.org",
        issued_at=now - timedelta(days=settings.INVITATION_EXPIRY_DAYS + 1),
    )
    SentEmail.objects.create(email="a@example.org", subject="s", kind="invitation")
    SentEmail.objects.create(
        email="b@example.org",
        subject="s",
        kind="invitation",
        sent_at=now - timedelta(days=settings.RETENTION_LOG_DAYS + 1),
    )
    result = retention_apply(now=now)
    assert result.invitations_deleted == 1
    assert result.emails_forgotten == 1
    assert list(Invitation.objects.all()) == [fresh]
    assert list(SentEmail.objects.values_list("email", flat=True)) == ["a@example.org"]


def test_an_erased_learners_records_and_certificate_go_when_retention_ends(
    client, make_course, make_cohort, make_user, issue_certificate, settings
):
    settings.RETENTION_TRAINING_RECORD_YEARS = 6
    cohort = make_cohort(make_course(modules=1, lessons=1))
    learner = make_user(full_name="Léa Dubois")
    member = cohort_join(cohort=cohort, user=learner)
    certificate = issue_certificate(member.enrollment)
    account_erase(user=User.objects.get(pk=learner.pk))
    verify = reverse("certificate_verify", kwargs={"code": certificate.code})

    within = retention_apply(now=timezone.now() + 5 * YEAR)
    assert (within.records_deleted, within.certificates_anonymised) == (0, 0)
    assert "Léa Dubois" in client.get(verify).content.decode()

    after = retention_apply(now=timezone.now() + 7 * YEAR)
    assert after.records_deleted > 0
    assert after.certificates_anonymised == 1
    assert not Enrollment.objects.filter(user=learner).exists()
    kept = Certificate.objects.get(pk=certificate.pk)
    assert (kept.full_name, kept.professional_id, kept.file.name) == ("", "", "")
    page = client.get(verify)
    assert page.status_code == 200
    assert "Léa Dubois" not in page.content.decode()
    assert "Effacé à la fin de sa durée de conservation" in page.content.decode()


def test_the_daily_task_applies_it(make_user, mailoutbox):
    user = make_user()
    age(user, last_login=timezone.now() - 10 * YEAR)
    assert privacy_retention_task.apply().get()["warned"] == 1
