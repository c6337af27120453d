"""Managing cohorts and enrolling learners through the pages, as instructors and learners do."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses.cohorts import selectors, services
from courses.models import (
    Cohort,
    CohortMembership,
    Enrollment,
    Invitation,
    LessonProgress,
    User,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def csv_file(text: str, *, name: str = "liste.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


# --- the list and the cohort itself -------------------------------------------------------------


def test_list_shows_owned_and_shared_cohorts_only(
    client, make_cohort, course, instructor, other_instructor, make_course
):
    """An instructor's list holds the cohorts they own or share, not another instructor's."""
    mine = make_cohort(course, name="Promo A")
    shared = make_cohort(make_course(), owner=other_instructor, name="Promo B")
    shared.co_instructors.add(instructor)
    make_cohort(make_course(), owner=other_instructor, name="Promo secrète")
    page = login(client, instructor).get(reverse("courses:cohort_list")).content.decode()
    assert mine.name in page
    assert shared.name in page
    assert "Promo secrète" not in page


def test_list_is_refused_to_learners(client, learner):
    """A learner has no cohort list to manage."""
    assert login(client, learner).get(reverse("courses:cohort_list")).status_code == 403


def test_list_needs_login(client):
    response = client.get(reverse("courses:cohort_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_course_staff_create_a_cohort(client, instructor, course):
    """The course's instructor creates a cohort; the next step is adding learners."""
    course.instructors.add(instructor)
    today = timezone.localdate()
    response = login(client, instructor).post(
        reverse("courses:cohort_create", kwargs={"slug": course.slug}),
        {
            "name": "IDE oncologie 2027",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=90)).isoformat(),
            "deadline": (today + timedelta(days=60)).isoformat(),
            "reminder_days": 7,
        },
    )
    cohort = Cohort.objects.get(name="IDE oncologie 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:cohort_enrol", kwargs={"pk": cohort.pk})
    assert cohort.owner == instructor
    assert cohort.course == course


def test_create_reports_dates_in_the_wrong_order(client, instructor, course):
    """An end date before the start is refused with a message, and nothing is created."""
    course.instructors.add(instructor)
    today = timezone.localdate()
    response = login(client, instructor).post(
        reverse("courses:cohort_create", kwargs={"slug": course.slug}),
        {
            "name": "Promo",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
            "deadline": today.isoformat(),
            "reminder_days": 7,
        },
    )
    assert response.status_code == 200
    assert "La date de fin précède la date de début." in response.content.decode()
    assert not Cohort.objects.exists()


def test_only_course_staff_create_cohorts_in_a_course(client, other_instructor, course):
    """An instructor who does not teach the course cannot start a cohort in it."""
    response = login(client, other_instructor).get(
        reverse("courses:cohort_create", kwargs={"slug": course.slug})
    )
    assert response.status_code == 403


def test_owner_and_co_instructor_edit_the_cohort(client, cohort, instructor, other_instructor):
    """The owner and a co-instructor both change the cohort's dates and name."""
    cohort.co_instructors.add(other_instructor)
    url = reverse("courses:cohort_edit", kwargs={"pk": cohort.pk})
    data = {
        "name": "Renommée",
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "deadline": (cohort.deadline + timedelta(days=7)).isoformat(),
        "reminder_days": 3,
    }
    assert login(client, other_instructor).post(url, data).status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Renommée"
    assert cohort.reminder_days == 3


@pytest.mark.parametrize(
    "name",
    [
        "cohort_edit",
        "cohort_share",
        "cohort_enrol",
        "cohort_invite_link",
        "cohort_import",
        "cohort_import_confirm",
    ],
)
def test_another_instructor_cannot_reach_my_cohort(client, cohort, other_instructor, name):
    """Instructor Y on instructor X's cohort: 404, as if it did not exist."""
    url = reverse(f"courses:{name}", kwargs={"pk": cohort.pk})
    login(client, other_instructor)
    assert client.get(url).status_code in {404, 405}
    assert client.post(url, {"action": "reset", "email": "x@example.org"}).status_code == 404


@pytest.mark.parametrize("name", ["cohort_edit", "cohort_share", "cohort_enrol"])
def test_a_member_cannot_manage_their_cohort(client, cohort, make_member, name):
    """A learner, even one in the cohort, gets a 404 on its management pages."""
    member = make_member(cohort)
    url = reverse(f"courses:{name}", kwargs={"pk": cohort.pk})
    assert login(client, member.enrollment.user).get(url).status_code == 404


def test_administrator_reaches_any_cohort(client, cohort, make_user):
    admin = make_user(is_superuser=True, is_staff=True)
    url = reverse("courses:cohort_enrol", kwargs={"pk": cohort.pk})
    assert login(client, admin).get(url).status_code == 200


# --- sharing -------------------------------------------------------------------------------------


def test_owner_shares_with_an_instructor_then_removes_them(client, cohort, other_instructor):
    """The owner adds a co-instructor by e-mail; removing them takes the cohort away again."""
    url = reverse("courses:cohort_share", kwargs={"pk": cohort.pk})
    login(client, cohort.owner)
    assert client.post(url, {"email": other_instructor.email.upper()}).status_code == 302
    assert list(cohort.co_instructors.all()) == [other_instructor]
    assert client.post(url, {"remove": other_instructor.pk}).status_code == 302
    assert not cohort.co_instructors.exists()


def test_sharing_with_a_learner_is_refused(client, cohort, learner):
    url = reverse("courses:cohort_share", kwargs={"pk": cohort.pk})
    response = login(client, cohort.owner).post(url, {"email": learner.email})
    assert response.status_code == 400
    assert f"Aucun·e formateur·rice n’a l’adresse {learner.email}." in response.content.decode()
    assert not cohort.co_instructors.exists()


def test_a_co_instructor_cannot_share_further(client, cohort, other_instructor, make_user):
    """Sharing is the owner's decision: a co-instructor's POST is refused."""
    third = make_user(role=User.Role.INSTRUCTOR)
    cohort.co_instructors.add(other_instructor)
    url = reverse("courses:cohort_share", kwargs={"pk": cohort.pk})
    response = login(client, other_instructor).post(url, {"email": third.email})
    assert response.status_code == 403
    assert list(cohort.co_instructors.all()) == [other_instructor]


def test_removing_someone_who_does_not_share_is_a_404(client, cohort, make_user):
    stranger = make_user(role=User.Role.INSTRUCTOR)
    url = reverse("courses:cohort_share", kwargs={"pk": cohort.pk})
    assert login(client, cohort.owner).post(url, {"remove": stranger.pk}).status_code == 404
    assert login(client, cohort.owner).post(url, {"remove": "abc"}).status_code == 404


# --- the invitation link -------------------------------------------------------------------------


def test_learner_joins_with_the_link(client, cohort, learner):
    """Logged in, one click joins the cohort and enrols in its course; twice changes nothing."""
    url = reverse("courses:cohort_join", kwargs={"token": cohort.invite_token})
    login(client, learner)
    assert "Rejoindre la cohorte" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == cohort.course.get_absolute_url()
    client.post(url)
    assert CohortMembership.objects.filter(cohort=cohort).count() == 1
    assert Enrollment.objects.filter(user=learner, course=cohort.course).count() == 1


def test_anonymous_visitor_is_offered_login_and_signup_that_come_back(client, cohort):
    url = reverse("courses:cohort_join", kwargs={"token": cohort.invite_token})
    page = client.get(url).content.decode()
    assert f"/accounts/login/?next={url.replace('/', '%2F')}" in page
    assert f"/accounts/signup/?next={url.replace('/', '%2F')}" in page
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CohortMembership.objects.exists()


def test_a_new_link_retires_the_old_one(client, cohort, learner):
    """After "new link", the old address is a clear 404 and nobody joins with it."""
    old = reverse("courses:cohort_join", kwargs={"token": cohort.invite_token})
    link = reverse("courses:cohort_invite_link", kwargs={"pk": cohort.pk})
    assert login(client, cohort.owner).post(link, {"action": "reset"}).status_code == 302
    login(client, learner)
    response = client.post(old)
    assert response.status_code == 404
    assert "Ce lien n’est pas valide" in response.content.decode()
    assert not CohortMembership.objects.exists()


def test_a_closed_link_says_so_and_opens_again(client, cohort, learner):
    url = reverse("courses:cohort_join", kwargs={"token": cohort.invite_token})
    link = reverse("courses:cohort_invite_link", kwargs={"pk": cohort.pk})
    login(client, cohort.owner).post(link, {"action": "close"})
    login(client, learner)
    response = client.post(url)
    assert response.status_code == 404
    assert "a fermé ce lien d’invitation" in response.content.decode()
    login(client, cohort.owner).post(link, {"action": "open"})
    assert login(client, learner).post(url).status_code == 302
    assert CohortMembership.objects.filter(cohort=cohort).count() == 1


def test_an_unknown_link_action_is_refused(client, cohort):
    link = reverse("courses:cohort_invite_link", kwargs={"pk": cohort.pk})
    before = cohort.invite_token
    assert login(client, cohort.owner).post(link, {"action": "drop"}).status_code == 400
    cohort.refresh_from_db()
    assert cohort.invite_token == before
    assert cohort.invite_open


# --- importing a list ----------------------------------------------------------------------------

LIST = (
    "Courriel;Prénom;Nom\n"
    "{existing};Camille;Martin\n"
    "nouvelle@chu-exemple.fr;Zoé;Lefèvre\n"
    "pas-une-adresse;Jean;Dupont\n"
    "\n"
    "nouvelle@chu-exemple.fr;Zoé;Lefèvre\n"
)


def upload(client, cohort, text: str, **kwargs):
    return client.post(
        reverse("courses:cohort_import", kwargs={"pk": cohort.pk}),
        {"file": csv_file(text, **kwargs)},
    )


def test_preview_says_what_will_happen_and_writes_nothing(client, cohort, learner):
    """The preview sorts the list and reports bad lines by number; nothing is enrolled yet."""
    response = upload(login(client, cohort.owner), cohort, LIST.format(existing=learner.email))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ligne 4 : « pas-une-adresse » n’est pas une adresse e-mail" in page
    assert "Ligne 6 : nouvelle@chu-exemple.fr figure déjà à la ligne 3" in page
    # Addresses, not accounts: the learner who has one is invited like the others.
    assert "inscrit" not in page
    assert "compte" not in page
    assert "<strong>2</strong> adresses seront invitées" in page
    assert page.count(">invitée</span>") == 2
    assert not CohortMembership.objects.exists()
    assert not Invitation.objects.exists()


def test_confirming_invites_everyone_and_enrols_nobody(
    client, cohort, learner, mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    """Confirm: the learner with an account is invited too (an e-mail, and the invitation on
    her dashboard), not enrolled; each e-mail's link is its invitation."""
    login(client, cohort.owner)
    preview = upload(client, cohort, LIST.format(existing=learner.email)).content.decode()
    key = re.search(r'name="preview" value="([^"]+)"', preview).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("courses:cohort_import_confirm", kwargs={"pk": cohort.pk}), {"preview": key}
        )
    assert response.status_code == 302
    assert not CohortMembership.objects.filter(cohort=cohort).exists()
    assert sorted(Invitation.objects.values_list("email", flat=True)) == sorted(
        [learner.email.lower(), "nouvelle@chu-exemple.fr"]
    )
    new = Invitation.objects.get(email="nouvelle@chu-exemple.fr")
    assert new.full_name == "Zoé Lefèvre"
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [learner.email.lower(), "nouvelle@chu-exemple.fr"]
    )
    body = next(m.body for m in mailoutbox if m.to == ["nouvelle@chu-exemple.fr"])
    assert reverse("courses:invitation_accept", kwargs={"token": new.token}) in body
    client.force_login(learner)
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert cohort.name in dashboard


def test_confirming_twice_imports_once(
    client, cohort, learner, mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    """A double submission of the confirmation finds the preview used: one e-mail, a message."""
    login(client, cohort.owner)
    preview = upload(client, cohort, LIST.format(existing=learner.email)).content.decode()
    key = re.search(r'name="preview" value="([^"]+)"', preview).group(1)
    url = reverse("courses:cohort_import_confirm", kwargs={"pk": cohort.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"preview": key})
        second = client.post(url, {"preview": key}, follow=True)
    assert "déjà été importée" in second.content.decode()
    assert len(mailoutbox) == 2
    assert Invitation.objects.count() == 2
    assert CohortMembership.objects.count() == 0


def test_a_tampered_confirmation_imports_nothing(client, cohort, learner):
    login(client, cohort.owner)
    upload(client, cohort, LIST.format(existing=learner.email))
    response = client.post(
        reverse("courses:cohort_import_confirm", kwargs={"pk": cohort.pk}), {"preview": "forged"}
    )
    assert response.status_code == 302
    assert not CohortMembership.objects.exists()
    assert not Invitation.objects.exists()


def test_a_preview_confirms_only_into_its_own_cohort(client, make_cohort, course, learner):
    """The preview of cohort A posted to cohort B's confirmation is refused."""
    first, second = make_cohort(course, name="A"), make_cohort(course, name="B")
    login(client, first.owner)
    preview = upload(client, first, LIST.format(existing=learner.email)).content.decode()
    key = re.search(r'name="preview" value="([^"]+)"', preview).group(1)
    client.post(
        reverse("courses:cohort_import_confirm", kwargs={"pk": second.pk}), {"preview": key}
    )
    assert not CohortMembership.objects.exists()


@pytest.mark.parametrize(
    ("delimiter", "encoding", "reported"),
    [
        pytest.param(";", "cp1252", "Windows-1252", id="excel-csv-point-virgule"),
        pytest.param("\t", "utf-16", "UTF-16", id="excel-texte-unicode"),
    ],
)
def test_lists_saved_by_excel_are_read_with_their_accents(
    client, cohort, delimiter, encoding, reported
):
    """Excel's "CSV (point-virgule)" in Windows-1252 and its "Texte Unicode (*.txt)" (UTF-16
    with its BOM, tab-separated): accents come through intact, the encoding is named."""
    lines = [["E-mail", "Prénom", "Nom"], ["francoise@example.org", "Françoise", "Lœuvre"]]
    text = "".join(delimiter.join(line) + "\r\n" for line in lines)
    page = upload(login(client, cohort.owner), cohort, text, encoding=encoding).content.decode()
    assert reported in page
    assert "Françoise" in page
    assert "Lœuvre" in page


def test_a_file_too_large_is_refused_with_its_limit(client, cohort, settings):
    settings.COHORT_IMPORT_MAX_BYTES = 1024
    text = "email\n" + "".join(f"personne{n}@example.org\n" for n in range(200))
    response = upload(login(client, cohort.owner), cohort, text)
    assert response.status_code == 400
    assert "Le fichier est trop volumineux" in response.content.decode()


def test_a_file_that_is_not_a_list_is_refused_clearly(client, cohort):
    response = client.post(
        reverse("courses:cohort_import", kwargs={"pk": cohort.pk}),
        {"file": SimpleUploadedFile("liste.xlsx", b"PK\x03\x04\x00\x00binary")},
    )
    assert response.status_code == 302  # not logged in
    response = login(client, cohort.owner).post(
        reverse("courses:cohort_import", kwargs={"pk": cohort.pk}),
        {"file": SimpleUploadedFile("liste.xlsx", b"PK\x03\x04\x00\x00binary")},
    )
    assert response.status_code == 400
    assert "pas un fichier CSV" in response.content.decode()


def test_a_list_without_an_email_column_says_how_to_fix_it(client, cohort):
    response = upload(login(client, cohort.owner), cohort, "nom;prénom\nMartin;Camille\n")
    assert response.status_code == 400
    assert "Aucune colonne d’adresse e-mail" in response.content.decode()


# --- removing a learner --------------------------------------------------------------------------


def test_removal_asks_then_keeps_the_learners_progress(
    client, cohort, make_member, complete_course
):
    """Removal needs a confirmation; the learner leaves the cohort but keeps their enrolment and
    progress."""
    member = make_member(cohort)
    complete_course(member.enrollment)
    url = reverse("courses:cohort_member_remove", kwargs={"pk": cohort.pk, "member": member.pk})
    login(client, cohort.owner)
    ask = client.post(url)
    assert ask.status_code == 200
    kept = "sa progression, ses résultats aux quiz et ses attestations sont conservés"
    assert kept in ask.content.decode()
    assert CohortMembership.objects.filter(pk=member.pk).exists()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not CohortMembership.objects.filter(pk=member.pk).exists()
    assert Enrollment.objects.filter(pk=member.enrollment_id).exists()
    assert LessonProgress.objects.filter(enrollment_id=member.enrollment_id).exists()


def test_removing_a_member_of_another_cohort_is_a_404(client, make_cohort, course, make_member):
    """A member id of cohort B in cohort A's URL finds nothing."""
    mine, other = make_cohort(course, name="A"), make_cohort(course, name="B")
    member = make_member(other)
    url = reverse("courses:cohort_member_remove", kwargs={"pk": mine.pk, "member": member.pk})
    assert login(client, mine.owner).post(url, {"confirm": "yes"}).status_code == 404
    assert CohortMembership.objects.filter(pk=member.pk).exists()


def test_another_instructor_cannot_remove_my_learners(
    client, cohort, make_member, other_instructor
):
    member = make_member(cohort)
    url = reverse("courses:cohort_member_remove", kwargs={"pk": cohort.pk, "member": member.pk})
    assert login(client, other_instructor).post(url, {"confirm": "yes"}).status_code == 404
    assert CohortMembership.objects.filter(pk=member.pk).exists()


# --- personal invitations ------------------------------------------------------------------------


@pytest.fixture
def invitation(cohort):
    return Invitation.objects.create(
        cohort=cohort,
        email="Nouvelle@CHU-exemple.fr",
        full_name="Zoé Lefèvre",
        invited_by=cohort.owner,
    )


def test_invited_person_signs_up_without_a_confirmation_email(
    client, invitation, password, mailoutbox
):
    """The invitation proved the address: sign-up logs straight in, back to the invitation."""
    url = reverse("courses:invitation_accept", kwargs={"token": invitation.token})
    page = client.get(url).content.decode()
    assert "Créer mon compte" in page
    response = client.post(
        f"{reverse('account_signup')}?next={url}",
        {
            "email": "nouvelle@chu-exemple.fr",
            "full_name": "Zoé Lefèvre",
            "password1": password,
            "password2": password,
            "next": url,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert mailoutbox == []  # no confirmation e-mail
    response = client.post(url)
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@chu-exemple.fr")
    assert CohortMembership.objects.filter(cohort=invitation.cohort, enrollment__user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_signing_up_with_another_address_still_needs_confirmation(client, invitation, password):
    """Only the invited address counts as verified."""
    url = reverse("courses:invitation_accept", kwargs={"token": invitation.token})
    client.get(url)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "autre@example.org",
            "full_name": "Autre",
            "password1": password,
            "password2": password,
            "next": url,
        },
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="autre@example.org")
    assert list(user.emailaddress_set.values_list("email", "verified")) == [
        ("autre@example.org", False)
    ]


def test_an_invitation_for_someone_else_is_not_accepted(client, invitation, learner):
    """Logged in with another address: told so, and not enrolled."""
    url = reverse("courses:invitation_accept", kwargs={"token": invitation.token})
    login(client, learner)
    assert "Cette invitation est adressée à" in client.get(url).content.decode()
    client.post(url)
    assert not CohortMembership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_unknown_invitation_is_a_clear_404(client):
    response = client.get(reverse("courses:invitation_accept", kwargs={"token": "nope"}))
    assert response.status_code == 404
    assert "Ce lien n’est pas valide" in response.content.decode()


# --- the learner's dashboard and reminders -------------------------------------------------------


def test_dashboard_lists_my_cohorts_deadlines_and_invitations(
    client, cohort, make_member, make_cohort, make_course, make_user
):
    """A learner sees their own cohorts with the deadline and invitations waiting for them;
    never another learner's."""
    member = make_member(cohort)
    user = member.enrollment.user
    other_cohort = make_cohort(make_course(), name="Cohorte invitée")
    Invitation.objects.create(cohort=other_cohort, email=user.email.upper())
    stranger_cohort = make_cohort(make_course(), name="Cohorte d’un autre")
    services.cohort_join(cohort=stranger_cohort, user=make_user())
    page = login(client, user).get(reverse("courses:dashboard")).content.decode()
    assert cohort.name in page
    assert "À achever avant le" in page
    assert "Cohorte invitée" in page
    assert "Cohorte d’un autre" not in page


@pytest.mark.parametrize("cohorts", [1, 6])
def test_dashboard_cohorts_cost_two_queries_however_many(
    client, make_cohort, make_course, learner, cohorts, django_assert_max_num_queries
):
    """One query for the learner's cohorts, one for invitations: the same for 1 or 6 cohorts."""
    from tests.learning.test_queries import DASHBOARD_QUERIES

    for number in range(cohorts):
        cohort = make_cohort(make_course(), name=f"Cohorte {number}")
        services.cohort_join(cohort=cohort, user=learner)
        Invitation.objects.create(cohort=make_cohort(make_course()), email=learner.email)
    client.force_login(learner)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        page = client.get(reverse("courses:dashboard")).content.decode()
    assert page.count("learner-cohorts__item") == 2 * cohorts


def test_unsubscribing_asks_first_and_needs_no_login(client, cohort, make_member):
    """GET (a mail scanner following the link) changes nothing; POST stops the reminders."""
    member = make_member(cohort)
    url = reverse(
        "courses:reminders_unsubscribe", kwargs={"token": selectors.unsubscribe_token(member)}
    )
    assert client.get(url).status_code == 200
    member.refresh_from_db()
    assert not member.reminders_opt_out
    response = client.post(url)
    assert response.status_code == 200
    assert "ne recevrez plus de rappel d’échéance" in response.content.decode()
    member.refresh_from_db()
    assert member.reminders_opt_out


def test_a_tampered_unsubscribe_link_changes_nothing(client, cohort, make_member):
    member = make_member(cohort)
    token = selectors.unsubscribe_token(member)
    url = reverse("courses:reminders_unsubscribe", kwargs={"token": token[:-2] + "xx"})
    assert client.post(url).status_code == 404
    member.refresh_from_db()
    assert not member.reminders_opt_out


def test_administrators_see_cohorts_and_invitations_in_the_admin(
    client, cohort, make_member, make_user
):
    """The Django admin lists cohorts (with their members) and invitations."""
    admin_user = make_user(is_superuser=True, is_staff=True)
    make_member(cohort)
    Invitation.objects.create(cohort=cohort, email="zoe@example.org")
    login(client, admin_user)
    for url in (
        reverse("admin:courses_cohort_changelist"),
        reverse("admin:courses_cohort_change", args=[cohort.pk]),
        reverse("admin:courses_invitation_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_staff_see_an_rpps_number_only_once_the_learner_joined(
    client, cohort, learner, django_capture_on_commit_callbacks
):
    """Staff who put a learner with an account on a list learn nothing of her (not even that
    she has an account) until she accepts: no row, no page, no RPPS number in the table or
    the export. Once she has joined, her page shows it."""
    from tests.accounts.test_validators import VALID_RPPS

    learner.full_name, learner.professional_id = "Camille Martin", VALID_RPPS
    learner.save()
    login(client, cohort.owner)
    preview = upload(client, cohort, f"Courriel\n{learner.email}\n").content.decode()
    key = re.search(r'name="preview" value="([^"]+)"', preview).group(1)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("courses:cohort_import_confirm", kwargs={"pk": cohort.pk}), {"preview": key}
        )
    pages = [
        reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk}),
        reverse("courses:cohort_export", kwargs={"pk": cohort.pk, "fmt": "csv"}),
        reverse("courses:cohort_enrol", kwargs={"pk": cohort.pk}),
    ]
    for page in pages:
        content = client.get(page).content.decode("utf-8-sig")
        assert VALID_RPPS not in content
        assert "Camille Martin" not in content
    invitation = Invitation.objects.get(cohort=cohort)
    learner_client = type(client)()
    learner_client.force_login(learner)
    learner_client.post(reverse("courses:invitation_accept", kwargs={"token": invitation.token}))
    member = CohortMembership.objects.get(cohort=cohort, enrollment__user=learner)
    page = client.get(
        reverse("courses:cohort_learner", kwargs={"pk": cohort.pk, "member": member.pk})
    ).content.decode()
    assert VALID_RPPS in page
    assert VALID_RPPS in client.get(pages[1]).content.decode("utf-8-sig")
