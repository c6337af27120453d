"""Erasure (RGPD art. 17): from the profile after the password, or by an administrator. The
account is anonymised; training records stay, pseudonymous; an issued certificate still
verifies under the issued name and shows nowhere else; the address can sign up again; a cohort
owner hands her cohorts over first (issue 18, third slice)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from courses.cohorts.services import cohort_join, invitation_send
from courses.models import (
    Certificate,
    CohortMembership,
    Enrollment,
    Invitation,
    LessonProgress,
    SentEmail,
    User,
)
from courses.privacy.services import ErasureRefused, account_erase
from tests.accounts.test_validators import VALID_RPPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(make_course, make_cohort, make_user, issue_certificate):
    """A learner in a cohort, with her certificate, an invitation and e-mails on record."""
    course = make_course(modules=1, lessons=2)
    cohort = make_cohort(course)
    learner = make_user(email="lea@example.org", full_name="Léa Dubois", professional_id=VALID_RPPS)
    invitation = Invitation.objects.create(cohort=cohort, email="lea@example.org")
    invitation_send(invitation=invitation)
    member = cohort_join(cohort=cohort, user=learner)
    certificate = issue_certificate(member.enrollment)
    return learner, cohort, certificate


def staff_pages(cohort, certificate) -> list[str]:
    course = cohort.course
    return [
        reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk}),
        reverse("courses:cohort_export", kwargs={"pk": cohort.pk, "fmt": "csv"}),
        reverse("courses:cohort_statistics", kwargs={"pk": cohort.pk}),
        reverse("courses:certificate_list", kwargs={"slug": course.slug}),
        reverse("courses:teaching"),
    ]


def test_a_learner_erases_her_account_from_her_profile(client, lea, password):
    learner, cohort, certificate = lea
    staff = type(client)()
    staff.force_login(cohort.owner)
    for page in staff_pages(cohort, certificate)[:2] + staff_pages(cohort, certificate)[3:4]:
        assert "Léa Dubois" in staff.get(page).content.decode("utf-8-sig"), page

    client.force_login(learner)
    url = reverse("courses:privacy_erase")
    assert "Effacer mon compte" in client.get(url).content.decode()
    wrong = client.post(url, {"password": "not-hers"})
    assert wrong.status_code == 400
    assert "Ce n’est pas votre mot de passe" in wrong.content.decode()
    assert User.objects.get(pk=learner.pk).erased_at is None

    done = client.post(url, {"password": password})
    assert done.status_code == 302
    assert "_auth_user_id" not in client.session  # signed out

    erased = User.objects.get(pk=learner.pk)
    assert erased.erased_at is not None
    assert (erased.full_name, erased.professional_id) == ("", "")
    assert erased.email == f"erased-{learner.pk}@erased.invalid"
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert not EmailAddress.objects.filter(user=erased).exists()
    assert not CohortMembership.objects.filter(enrollment__user=erased).exists()
    assert not Invitation.objects.filter(email="lea@example.org").exists()
    assert not SentEmail.objects.filter(email="lea@example.org").exists()
    # The training record stays, pseudonymous.
    assert Enrollment.objects.filter(user=erased).exists()
    assert LessonProgress.objects.filter(enrollment__user=erased).count() == 2
    # Her certificate still verifies under the issued name...
    verify = client.get(reverse("certificate_verify", kwargs={"code": certificate.code}))
    assert "Léa Dubois" in verify.content.decode()
    # ...and nowhere else shows her.
    for page in staff_pages(cohort, certificate):
        content = staff.get(page).content.decode("utf-8-sig")
        assert "Léa Dubois" not in content, page
        assert VALID_RPPS not in content, page
    assert (
        staff.get(
            reverse(
                "courses:certificate_staff",
                kwargs={"slug": cohort.course.slug, "code": certificate.code},
            )
        ).status_code
        == 404
    )
    assert (
        staff.get(
            reverse("courses:certificate_download", kwargs={"code": certificate.code})
        ).status_code
        == 403
    )
    # Nor can she sign in; her address signs up anew.
    assert not client.login(email="lea@example.org", password=password)
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Léa Dubois",
            "email": "lea@example.org",
            "password1": "Perfusion-Sure-77",
            "password2": "Perfusion-Sure-77",
        },
    )
    assert User.objects.filter(email="lea@example.org", erased_at__isnull=True).exists()


def test_an_administrator_erases_on_request_and_the_admin_no_longer_shows_her(
    client, lea, make_user
):
    learner, _cohort, certificate = lea
    admin = make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:courses_user_changelist")
    client.post(changelist, {"action": "erase_accounts", "_selected_action": [learner.pk]})
    assert User.objects.get(pk=learner.pk).erased_at is not None
    assert "Léa Dubois" not in client.get(changelist).content.decode()
    certificates = client.get(reverse("admin:courses_certificate_changelist")).content.decode()
    assert certificate.code not in certificates
    assert Certificate.objects.filter(pk=certificate.pk, full_name="Léa Dubois").exists()


def test_an_owner_hands_her_cohorts_to_a_co_instructor_then_to_an_administrator(
    make_course, make_cohort, make_user, instructor, other_instructor
):
    shared = make_cohort(make_course(), owner=instructor, name="Partagée")
    shared.co_instructors.add(other_instructor)
    alone = make_cohort(make_course(), owner=instructor, name="Seule")
    with pytest.raises(ErasureRefused, match="Seule"):
        account_erase(user=instructor)
    shared.refresh_from_db()
    assert shared.owner == instructor  # refused: nothing changed
    admin = make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    account_erase(user=instructor)
    shared.refresh_from_db()
    alone.refresh_from_db()
    assert shared.owner == other_instructor
    assert not shared.co_instructors.filter(pk=other_instructor.pk).exists()
    assert alone.owner == admin
    assert not User.objects.get(pk=instructor.pk).taught_courses.exists()


def test_a_refused_erasure_says_why_on_the_page(
    client, make_course, make_cohort, instructor, password
):
    make_cohort(make_course(), owner=instructor, name="Promotion 2026")
    client.force_login(instructor)
    answer = client.post(reverse("courses:privacy_erase"), {"password": password})
    assert answer.status_code == 409
    assert "Promotion 2026" in answer.content.decode()
    assert User.objects.get(pk=instructor.pk).erased_at is None
