"""Course staff's certificates page: the learners who completed, revocation and re-issue."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from courses.certificates.services import certificate_reissue, certificate_revoke
from courses.models import Certificate, User
from courses.models.certificates import CertificateImmutable
from courses.progress.services import enrollment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_course(make_course, instructor):
    course = make_course(modules=1, lessons=2, title="Surveillance des cytokines")
    course.instructors.add(instructor)
    return course


@pytest.fixture
def issued(learner, small_course, issue_certificate) -> Certificate:
    enrollment, _created = enrollment_create(user=learner, course=small_course)
    return issue_certificate(enrollment)


@pytest.fixture
def staff_client(client, instructor):
    client.force_login(instructor)
    return client


def list_url(course) -> str:
    return reverse("courses:certificate_list", kwargs={"slug": course.slug})


def staff_url(certificate: Certificate, name: str = "certificate_staff") -> str:
    return reverse(
        f"courses:{name}",
        kwargs={"slug": certificate.enrollment.course.slug, "code": certificate.code},
    )


def verify_page(client: Client, certificate: Certificate) -> str:
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_each_learner_who_completed_with_their_certificate(
    staff_client, issued, small_course, make_user, complete_course
):
    """Name, e-mail, completion date, code linked to its verification page, status, issued."""
    pending_learner = make_user(full_name="Inès Moreau")
    enrollment, _ = enrollment_create(user=pending_learner, course=small_course)
    complete_course(enrollment)  # completed, certificate not issued yet
    enrollment_create(user=make_user(full_name="Léa Petit"), course=small_course)  # not complete

    page = staff_client.get(list_url(small_course)).content.decode()
    assert "Camille Martin" in page
    assert issued.enrollment.user.email in page
    assert f'href="{issued.get_absolute_url()}"' in page
    assert issued.code in page
    assert "Valide" in page
    assert "Inès Moreau" in page
    assert "En cours d’émission" in page
    assert "Léa Petit" not in page
    assert "2 apprenant·es ont achevé cette formation." in page


def test_the_list_filters_by_status(
    staff_client, issued, small_course, instructor, make_user, issue_certificate
):
    other, _ = enrollment_create(user=make_user(full_name="Inès Moreau"), course=small_course)
    revoked = issue_certificate(other)
    certificate_revoke(certificate=revoked, reason="Erreur d’inscription.", by=instructor)

    def shown(status: str) -> str:
        return staff_client.get(list_url(small_course), {"status": status}).content.decode()

    assert issued.code in shown("valid")
    assert revoked.code not in shown("valid")
    assert revoked.code in shown("revoked")
    assert issued.code not in shown("revoked")
    assert "Aucune attestation n’a ce statut." in shown("expired")
    everything = shown("nonsense")
    assert issued.code in everything
    assert revoked.code in everything


def test_the_list_shows_the_re_issues_beside_their_original(
    staff_client, issued, instructor, media_root
):
    duplicate = certificate_reissue(certificate=issued, reason="Nom corrigé.", by=instructor)
    page = staff_client.get(list_url(issued.enrollment.course)).content.decode()
    assert page.count("<tr>") == 2  # the header and one learner: the re-issue is in its row
    assert duplicate.code in page
    assert staff_url(duplicate) in page


def test_the_course_page_and_the_manage_page_link_to_it(staff_client, small_course):
    url = list_url(small_course)
    assert url in staff_client.get(small_course.get_absolute_url()).content.decode()
    manage = reverse("courses:course_manage", kwargs={"slug": small_course.slug})
    assert url in staff_client.get(manage).content.decode()


def test_learners_see_no_link_to_it(learner_client, issued, small_course):
    page = learner_client.get(small_course.get_absolute_url()).content.decode()
    assert list_url(small_course) not in page


# --- revoking -------------------------------------------------------------------------------


def test_a_revocation_needs_a_reason(staff_client, issued):
    response = staff_client.post(
        staff_url(issued, "certificate_revoke"), {"revoke-reason": "   ", "revoke-confirm": "1"}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_a_revocation_asks_for_confirmation_first(staff_client, issued):
    response = staff_client.post(
        staff_url(issued, "certificate_revoke"),
        {"revoke-reason": "Formation non suivie.", "revoke-category": "issued_in_error"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Révoquer l’attestation\u00a0?" in page
    assert "Formation non suivie." in page
    assert "Délivrée par erreur" in page
    assert "Confirmer la révocation" in page
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_a_confirmed_revocation_changes_the_verification_page_and_keeps_the_issue_date(
    staff_client, client, issued, instructor
):
    issued_at = issued.issued_at
    assert "Valide" in verify_page(client, issued)
    response = staff_client.post(
        staff_url(issued, "certificate_revoke"),
        {
            "revoke-reason": "Absente aux deux journées, signalé par le cadre.",
            "revoke-category": "not_completed",
            "revoke-confirm": "1",
        },
    )
    assert response.status_code == 302
    assert response.url == list_url(issued.enrollment.course)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    assert issued.revoked_by == instructor
    assert issued.revocation_reason == "Absente aux deux journées, signalé par le cadre."
    assert issued.revocation_category == "not_completed"
    assert issued.issued_at == issued_at
    page = verify_page(client, issued)
    assert "Révoquée" in page
    # The public page says the category, never staff's free text.
    assert "Formation non suivie comme exigé" in page
    assert "Absente aux deux journées" not in page


def test_revoking_twice_changes_nothing(staff_client, issued, instructor):
    first = certificate_revoke(certificate=issued, reason="Première raison.", by=instructor)
    response = staff_client.post(
        staff_url(issued, "certificate_revoke"),
        {"revoke-reason": "Seconde raison.", "revoke-category": "other", "revoke-confirm": "1"},
    )
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.revoked_at == first.revoked_at
    assert issued.revocation_reason == "Première raison."


@pytest.mark.parametrize("name", ["certificate_revoke", "certificate_reissue"])
def test_the_actions_are_post_only(staff_client, issued, name):
    assert staff_client.get(staff_url(issued, name)).status_code == 405
    issued.refresh_from_db()
    assert issued.revoked_at is None
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize("name", ["certificate_revoke", "certificate_reissue"])
def test_the_actions_need_the_csrf_token(instructor, issued, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    data = {"revoke-reason": "x", "revoke-confirm": "1", "reissue-reason": "x"}
    assert client.post(staff_url(issued, name), data).status_code == 403
    issued.refresh_from_db()
    assert issued.revoked_at is None
    assert Certificate.objects.count() == 1


# --- re-issuing -----------------------------------------------------------------------------


def test_a_re_issue_makes_a_duplicate_and_keeps_the_original_valid(
    staff_client, client, issued, learner, celery_eager, django_capture_on_commit_callbacks
):
    """After a name correction: a new certificate, delivered at once (eager task), marked as the
    duplicate of the original, which keeps its code, date and file and stays verifiable."""
    original_issued_at, original_file = issued.issued_at, issued.file.name
    learner.full_name = "Camille Martin-Durand"
    learner.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            staff_url(issued, "certificate_reissue"), {"reissue-reason": "Nom d’usage ajouté."}
        )
    assert response.status_code == 302
    duplicate = Certificate.objects.exclude(pk=issued.pk).get()
    assert duplicate.duplicate_of == issued
    assert duplicate.code != issued.code
    assert duplicate.full_name == "Camille Martin-Durand"
    assert duplicate.reissue_reason == "Nom d’usage ajouté."
    assert duplicate.rendered_at is not None
    assert duplicate.file.name != original_file
    assert len(mail.outbox) == 1
    assert duplicate.code in mail.outbox[0].body

    issued.refresh_from_db()
    assert issued.issued_at == original_issued_at
    assert issued.file.name == original_file
    assert issued.full_name == "Camille Martin"
    assert issued.status == Certificate.Status.VALID

    original_page = verify_page(client, issued)
    assert "Valide" in original_page
    assert "Camille Martin" in original_page
    duplicate_page = verify_page(client, duplicate)
    assert "Valide" in duplicate_page
    assert "Camille Martin-Durand" in duplicate_page
    assert f"Réédition de l’attestation {issued.code}." in duplicate_page

    with duplicate.file.open("rb") as handle:
        text = PdfReader(handle).pages[0].extract_text().replace("\u00a0", " ")
    assert f"Réédition remplaçant l’attestation {issued.code}" in text


def test_re_issuing_a_duplicate_re_issues_the_original(staff_client, issued, instructor):
    first = certificate_reissue(certificate=issued, reason="Nom corrigé.", by=instructor)
    staff_client.post(staff_url(first, "certificate_reissue"), {"reissue-reason": "RPPS ajouté."})
    second = Certificate.objects.exclude(pk__in=[issued.pk, first.pk]).get()
    assert second.duplicate_of == issued


def test_a_re_issue_needs_a_reason(staff_client, issued):
    response = staff_client.post(staff_url(issued, "certificate_reissue"), {"reissue-reason": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert Certificate.objects.count() == 1


def test_the_detail_page_explains_the_re_issue(staff_client, issued):
    page = staff_client.get(staff_url(issued)).content.decode()
    assert "L’originale reste valide et vérifiable" in page
    assert 'id="revoke"' in page
    assert 'id="reissue"' in page


def test_the_detail_page_says_when_the_profile_name_changed(staff_client, issued, learner):
    learner.full_name = "Camille Martin-Durand"
    learner.save()
    page = staff_client.get(staff_url(issued)).content.decode()
    assert "Camille Martin-Durand" in page
    assert "rééditez l’attestation" in page


# --- what an issued certificate says never changes -------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("full_name", "Quelqu’un d’autre"), ("course_title", "Autre"), ("code", "X")],
)
def test_save_refuses_to_change_what_was_issued(issued, field, value):
    certificate = Certificate.objects.get(pk=issued.pk)
    setattr(certificate, field, value)
    with pytest.raises(CertificateImmutable):
        certificate.save()
    certificate.refresh_from_db()
    assert getattr(certificate, field) != value


def test_save_refuses_to_move_the_issue_date(issued):
    from datetime import timedelta

    certificate = Certificate.objects.get(pk=issued.pk)
    certificate.issued_at -= timedelta(days=1)
    with pytest.raises(CertificateImmutable):
        certificate.save()


def test_save_accepts_a_change_of_delivery_fields(issued):
    certificate = Certificate.objects.get(pk=issued.pk)
    certificate.email_sent_at = None
    certificate.save()


# --- who may ----------------------------------------------------------------------------------


STAFF_VIEWS = [
    ("certificate_list", "get", {}),
    ("certificate_staff", "get", {}),
    ("certificate_revoke", "post", {"revoke-reason": "Motif."}),  # the confirmation step
    ("certificate_reissue", "post", {"reissue-reason": ""}),  # refused: no reason
]


@pytest.fixture
def users(make_user, learner, instructor, small_course):
    other_instructor = make_user(role=User.Role.INSTRUCTOR)
    return {
        "anonymous": None,
        "learner": learner,
        "other instructor": other_instructor,
        "course staff": instructor,
        "admin": make_user(is_superuser=True, is_staff=True),
    }


def _url(name: str, certificate: Certificate, slug: str | None = None) -> str:
    slug = slug or certificate.enrollment.course.slug
    kwargs = (
        {"slug": slug} if name == "certificate_list" else {"slug": slug, "code": certificate.code}
    )
    return reverse(f"courses:{name}", kwargs=kwargs)


@pytest.mark.parametrize(("name", "method", "data"), STAFF_VIEWS)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("learner", 403),
        ("other instructor", 403),
        ("course staff", 200),
        ("admin", 200),
    ],
)
def test_only_course_staff_and_admins_reach_the_staff_views(
    client, users, issued, name, method, data, who, expected
):
    """Anonymous visitors log in; the certificate's own learner, any other learner and the
    instructors of other courses are refused; nothing changes for any of them."""
    user = users[who]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(_url(name, issued), data)
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("account_login"))
    issued.refresh_from_db()
    assert issued.revoked_at is None
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(("name", "method", "data"), STAFF_VIEWS)
def test_an_unknown_course_or_certificate_is_a_404(staff_client, issued, name, method, data):
    call = getattr(staff_client, method)
    assert call(_url(name, issued, slug="no-such-course"), data).status_code == 404
    if name != "certificate_list":
        url = reverse(
            f"courses:{name}",
            kwargs={"slug": issued.enrollment.course.slug, "code": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"},
        )
        assert call(url, data).status_code == 404


def test_a_certificate_of_another_course_is_a_404_here(
    client, issued, make_course, make_user, instructor
):
    """Staff of one course cannot reach another course's certificates through their own."""
    mine = make_course(slug="mon-cours")
    mine.instructors.add(instructor)
    other_staff = make_user(role=User.Role.INSTRUCTOR)
    mine.instructors.add(other_staff)
    client.force_login(other_staff)
    for name, method, data in STAFF_VIEWS[1:]:
        response = getattr(client, method)(_url(name, issued, slug="mon-cours"), data)
        assert response.status_code == 404


def test_a_revocation_needs_its_public_category(staff_client, issued):
    response = staff_client.post(
        staff_url(issued, "certificate_revoke"),
        {
            "revoke-reason": "Une raison.",
            "revoke-category": "n_importe_quoi",
            "revoke-confirm": "1",
        },
    )
    assert response.status_code == 200
    issued.refresh_from_db()
    assert issued.revoked_at is None
