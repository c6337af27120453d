"""Information (RGPD art. 13 and 14): the privacy notice, linked from the footer, sign-up and
every e-mail; an invitation says who gave the address and how to object, and objecting removes
the address (issue 18, first slice)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.checks import check_privacy_contact
from courses.cohorts import services as cohort_services
from courses.models import Invitation, InvitationObjection
from courses.models.privacy import email_digest

pytestmark = pytest.mark.django_db

PRIVACY_URL = "https://formation.example.org/privacy/"


@pytest.fixture
def privacy_settings(settings):
    settings.PRIVACY_CONTROLLER = "CHU de Nantes, institut de formation"
    settings.PRIVACY_DPO_EMAIL = "dpo@chu-exemple.fr"
    settings.PRIVACY_HOSTING = "Hébergeur Santé SAS (HDS), France"
    settings.RETENTION_TRAINING_RECORD_YEARS = 6
    settings.RETENTION_INACTIVE_ACCOUNT_YEARS = 3
    return settings


def test_the_notice_says_who_what_why_how_long_and_the_rights(client, privacy_settings):
    page = client.get(reverse("courses:privacy")).content.decode()
    assert "CHU de Nantes, institut de formation" in page
    assert 'href="mailto:dpo@chu-exemple.fr"' in page
    assert "Hébergeur Santé SAS (HDS), France" in page
    for said in (
        "Exécution du contrat",  # legal bases
        "Intérêt légitime",
        "6 ans après votre dernière activité",  # durations, from the settings
        "Sans connexion pendant 3 ans",
        "jamais le numéro RPPS",
        "Accès et portabilité",  # rights
        "Rectification",
        "Effacement",
        "Opposition",
        "https://www.cnil.fr/fr/plaintes",  # the right to complain
    ):
        assert said in page, said
    english = client.get("/en" + reverse("courses:privacy")).content.decode()
    assert "Your personal data" in english
    assert "6 years after your last activity" in english


def test_the_notice_is_linked_from_every_page_and_from_sign_up(client):
    link = f'href="{reverse("courses:privacy")}"'
    assert link in client.get(reverse("courses:catalog")).content.decode()
    signup = client.get(reverse("account_signup")).content.decode()
    assert signup.count(link) == 2  # the form's own sentence, and the footer
    assert "comment vos données personnelles sont utilisées" in signup


def test_every_email_ends_with_the_notice(
    client, make_cohort, make_user, course, issue_certificate, mailoutbox, celery_eager
):
    """allauth's (sign-up confirmation), an invitation, a reminder, a certificate."""
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Léa Dubois",
            "email": "lea@example.org",
            "password1": "Perfusion-Sure-77",
            "password2": "Perfusion-Sure-77",
        },
    )
    cohort = make_cohort(course)
    invitation = Invitation.objects.create(
        cohort=cohort, email="zoe@example.org", invited_by=cohort.owner
    )
    cohort_services.invitation_send(invitation=invitation)
    member = cohort_services.cohort_join(cohort=cohort, user=make_user())
    cohort_services._send_reminder(member)
    issue_certificate(member.enrollment)
    kinds = [message.subject for message in mailoutbox]
    assert len(mailoutbox) >= 4, kinds
    for message in mailoutbox:
        assert f"Vos données personnelles et vos droits\u00a0: {PRIVACY_URL}" in message.body, (
            message.subject
        )


def test_an_invitation_says_who_gave_the_address_and_how_to_object(
    make_cohort, course, instructor, mailoutbox, privacy_settings
):
    instructor.full_name = "Claire Martin"
    instructor.save()
    cohort = make_cohort(course, owner=instructor)
    invitation = Invitation.objects.create(
        cohort=cohort, email="zoe@example.org", invited_by=instructor
    )
    cohort_services.invitation_send(invitation=invitation)
    body = mailoutbox[0].body
    assert (
        "Claire Martin (CHU de Nantes, institut de formation) nous a transmis votre adresse" in body
    )
    object_path = reverse("courses:privacy_invitation_object", kwargs={"token": invitation.token})
    assert f"https://formation.example.org{object_path}" in body


def test_objecting_removes_the_address_and_no_list_invites_it_again(
    client, make_cohort, make_course, course, instructor, other_instructor
):
    cohort = make_cohort(course, owner=instructor)
    other = make_cohort(make_course(), owner=other_instructor)
    invitation = Invitation.objects.create(
        cohort=cohort, email="Zoe@Example.org", full_name="Zoé Lefèvre", invited_by=instructor
    )
    Invitation.objects.create(cohort=other, email="zoe@example.org", invited_by=other_instructor)
    url = reverse("courses:privacy_invitation_object", kwargs={"token": invitation.token})

    page = client.get(url)  # a mail scanner following the link changes nothing
    assert "pour vous inviter à la formation" in page.content.decode()
    assert Invitation.objects.count() == 2

    done = client.post(url).content.decode()
    assert "Vous ne serez plus invité·e" in done
    assert not Invitation.objects.exists()  # every cohort's, name included
    objection = InvitationObjection.objects.get()
    assert objection.email_digest == email_digest("zoe@example.org")
    assert "zoe" not in str(vars(objection)).lower()  # the address itself is not kept
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 200  # a second click says the same

    # The same list imported again leaves the address out, and says so.
    client.force_login(instructor)
    preview = client.post(
        reverse("courses:cohort_import", kwargs={"pk": cohort.pk}),
        {
            "file": SimpleUploadedFile(
                "liste.csv", b"Courriel\nzoe@example.org\nlea@example.org\n", "text/csv"
            )
        },
    ).content.decode()
    assert "<strong>1</strong> adresse est écartée" in preview
    key = re.search(r'name="preview" value="([^"]+)"', preview).group(1)
    client.post(
        reverse("courses:cohort_import_confirm", kwargs={"pk": cohort.pk}), {"preview": key}
    )
    assert list(Invitation.objects.values_list("email", flat=True)) == ["lea@example.org"]


def test_an_accepted_invitation_cannot_be_objected_to(client, make_cohort, course, learner):
    cohort = make_cohort(course)
    invitation = Invitation.objects.create(cohort=cohort, email=learner.email)
    learner_client = type(client)()
    learner_client.force_login(learner)
    learner_client.post(reverse("courses:invitation_accept", kwargs={"token": invitation.token}))
    url = reverse("courses:privacy_invitation_object", kwargs={"token": invitation.token})
    assert client.get(url).status_code == 404
    client.post(url)
    assert Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=False).exists()
    assert not InvitationObjection.objects.exists()


def test_a_deployment_without_a_privacy_contact_is_warned(settings):
    settings.PRIVACY_DPO_EMAIL = ""
    assert [message.id for message in check_privacy_contact(None)] == ["courses.W002"]
    settings.PRIVACY_DPO_EMAIL = "dpo@chu-exemple.fr"
    assert check_privacy_contact(None) == []
