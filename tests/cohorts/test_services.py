"""Cohorts, enrolment three ways, and deadline reminders: courses/cohorts/services.py.

Dates are fixed (reminders_send is given its day); messages shown to instructors are read in
English (their msgids), whatever the catalogue holds, except where the French e-mail is what
is under test.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.urls import resolve, reverse
from django.utils import translation

from courses.cohorts import services
from courses.cohorts.csvimport import Row
from courses.cohorts.selectors import (
    join_url,
    membership_from_unsubscribe_token,
    roster_plan,
    unsubscribe_token,
)
from courses.cohorts.services import (
    CohortError,
    cohort_create,
    cohort_join,
    cohort_share,
    cohort_unshare,
    cohort_update,
    invitation_accept,
    invitations_send_owed,
    invite_link_reset,
    invite_link_set_open,
    membership_remove,
    reminders_due,
    reminders_send,
    reminders_unsubscribe,
    roster_import,
)
from courses.models import (
    Cohort,
    CohortMembership,
    CourseCompletion,
    DeadlineReminder,
    Enrollment,
    Invitation,
    LessonProgress,
    User,
)

TODAY = date(2026, 6, 10)
DEADLINE = TODAY + timedelta(days=5)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def due_cohort(make_cohort, course):
    """A cohort whose reminder day (7 days before the deadline) has come on TODAY."""
    return make_cohort(
        course,
        starts_on=TODAY - timedelta(days=30),
        ends_on=TODAY + timedelta(days=30),
        deadline=DEADLINE,
        reminder_days=7,
    )


def resolve_link(url: str):
    """The view a link of an e-mail leads to. E-mails link to the site's language (French,
    no /en/ prefix), whatever language was active when they were sent."""
    assert url.startswith(settings.SITE_BASE_URL + "/")
    path = url.removeprefix(settings.SITE_BASE_URL)
    assert not path.startswith("/en/"), path
    with translation.override(settings.LANGUAGE_CODE):
        return resolve(urlsplit(path).path)


def dates(start: date, *, end_after: int, deadline_after: int) -> dict[str, date]:
    return {
        "starts_on": start,
        "ends_on": start + timedelta(days=end_after),
        "deadline": start + timedelta(days=deadline_after),
    }


# --- creating, editing, sharing ---------------------------------------------------------------


def test_create_keeps_what_the_instructor_gave(course, instructor):
    """The name trimmed, seven days' notice unless told, and an open invitation link."""
    cohort = cohort_create(
        course=course,
        owner=instructor,
        name="  IFSI Lyon — promotion 2026  ",
        **dates(TODAY, end_after=60, deadline_after=45),
    )

    cohort.refresh_from_db()
    assert cohort.name == "IFSI Lyon — promotion 2026"
    assert (cohort.owner, cohort.course) == (instructor, course)
    assert cohort.reminder_days == 7
    assert cohort.invite_open
    assert len(cohort.invite_token) >= 32


@pytest.mark.parametrize(
    ("end_after", "deadline_after", "message"),
    [
        (-1, 10, "The end date comes before the start date."),
        (10, -1, "The deadline comes before the start date."),
    ],
)
def test_create_refuses_dates_out_of_order(course, instructor, end_after, deadline_after, message):
    with pytest.raises(CohortError) as refused:
        cohort_create(
            course=course,
            owner=instructor,
            name="Promotion",
            **dates(TODAY, end_after=end_after, deadline_after=deadline_after),
        )

    assert str(refused.value) == message
    assert not Cohort.objects.exists()


def test_one_day_cohort_with_its_deadline_on_the_first_day_is_allowed(course, instructor):
    cohort = cohort_create(
        course=course,
        owner=instructor,
        name="Journée",
        **dates(TODAY, end_after=0, deadline_after=0),
    )

    assert cohort.starts_on == cohort.ends_on == cohort.deadline


def test_update_changes_the_cohort_and_refuses_bad_dates_leaving_it_as_it_was(cohort):
    new = dates(TODAY, end_after=90, deadline_after=60)
    cohort_update(cohort=cohort, name=" Promotion B ", reminder_days=3, **new)
    cohort.refresh_from_db()
    assert (cohort.name, cohort.deadline, cohort.reminder_days) == (
        "Promotion B",
        new["deadline"],
        3,
    )

    with pytest.raises(CohortError, match="The deadline comes before the start date"):
        cohort_update(
            cohort=cohort,
            name="Promotion C",
            reminder_days=3,
            **dates(TODAY, end_after=90, deadline_after=-2),
        )
    cohort.refresh_from_db()
    assert (cohort.name, cohort.deadline) == ("Promotion B", new["deadline"])


def test_share_with_an_instructor_found_by_e_mail_whatever_its_case(cohort, make_user):
    co = make_user(email="Paul.Durand@Example.org", role=User.Role.INSTRUCTOR)

    assert cohort_share(cohort=cohort, email="  paul.durand@EXAMPLE.org ") == co
    cohort_share(cohort=cohort, email="paul.durand@example.org")  # twice: still once

    assert list(cohort.co_instructors.all()) == [co]
    cohort_unshare(cohort=cohort, user=co)
    assert not cohort.co_instructors.exists()


def test_share_refuses_a_learner_an_unknown_address_and_the_owner(cohort, learner, instructor):
    for email in (learner.email, "personne@example.org"):
        with pytest.raises(CohortError) as refused:
            cohort_share(cohort=cohort, email=email)
        assert str(refused.value) == f"No instructor has the address {email}."
    with pytest.raises(CohortError, match="This instructor already owns the cohort"):
        cohort_share(cohort=cohort, email=instructor.email)

    assert not cohort.co_instructors.exists()


# --- joining, leaving, the shared link --------------------------------------------------------


def test_joining_twice_gives_one_membership_and_one_enrolment(cohort, learner):
    first = cohort_join(cohort=cohort, user=learner)
    second = cohort_join(cohort=cohort, user=learner)

    assert first == second
    assert CohortMembership.objects.filter(cohort=cohort).count() == 1
    assert Enrollment.objects.filter(user=learner, course=cohort.course).count() == 1


def test_joining_reuses_an_enrolment_that_already_carries_progress(cohort, enrolled):
    from courses.models import Lesson
    from courses.progress.services import lesson_mark_complete

    lesson = Lesson.objects.filter(module__course=cohort.course).first()
    lesson_mark_complete(enrollment=enrolled, lesson=lesson)

    membership = cohort_join(cohort=cohort, user=enrolled.user)

    assert membership.enrollment == enrolled
    assert membership.enrollment.lesson_progress.count() == 1


def test_removing_a_member_keeps_their_enrolment_progress_and_completion(
    cohort, make_member, complete_course
):
    membership = make_member(cohort)
    enrollment = membership.enrollment
    complete_course(enrollment)
    lessons_read = LessonProgress.objects.filter(enrollment=enrollment).count()
    assert lessons_read == 6

    membership_remove(membership=membership)

    assert not CohortMembership.objects.filter(pk=membership.pk).exists()
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == lessons_read
    assert CourseCompletion.objects.filter(enrollment=enrollment).exists()


def test_a_new_link_makes_the_old_one_stop_working(cohort):
    old = cohort.invite_token
    old_url = join_url(cohort)

    invite_link_reset(cohort=cohort)

    cohort.refresh_from_db()
    assert cohort.invite_token != old
    assert cohort.invite_open
    assert not Cohort.objects.filter(invite_token=old).exists()
    assert join_url(cohort) != old_url
    # In the site's language whatever the instructor reads in: the link is for others.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("courses:cohort_join", kwargs={"token": cohort.invite_token})
    assert join_url(cohort) == settings.SITE_BASE_URL + path


def test_the_link_can_be_closed_and_opened_again_at_the_same_address(cohort):
    token = cohort.invite_token

    invite_link_set_open(cohort=cohort, open=False)
    cohort.refresh_from_db()
    assert (cohort.invite_open, cohort.invite_token) == (False, token)

    invite_link_set_open(cohort=cohort, open=True)
    cohort.refresh_from_db()
    assert (cohort.invite_open, cohort.invite_token) == (True, token)

    invite_link_reset(cohort=cohort, open=False)
    cohort.refresh_from_db()
    assert not cohort.invite_open
    assert cohort.invite_token != token


# --- personal invitations ---------------------------------------------------------------------


@pytest.fixture
def invitation(cohort, instructor):
    return Invitation.objects.create(
        cohort=cohort,
        email="ines.moreau@example.org",
        full_name="Inès Moreau",
        invited_by=instructor,
    )


def test_an_invitation_is_accepted_by_its_address_whatever_the_case(invitation, make_user):
    """The account "Ines.Moreau@…" accepts the invitation to "ines.moreau@…"; the name on the
    invitation fills the account's empty one."""
    user = make_user(email="Ines.Moreau@Example.org", full_name="")

    membership = invitation_accept(invitation=invitation, user=user)

    assert membership.cohort == invitation.cohort
    assert membership.enrollment.user == user
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    user.refresh_from_db()
    assert user.full_name == "Inès Moreau"


def test_accepting_twice_joins_once_and_keeps_the_first_acceptance(invitation, make_user):
    user = make_user(email="ines.moreau@example.org", full_name="Inès M.")
    invitation_accept(invitation=invitation, user=user)
    invitation.refresh_from_db()
    accepted_at = invitation.accepted_at

    invitation_accept(invitation=invitation, user=user)

    invitation.refresh_from_db()
    assert invitation.accepted_at == accepted_at
    assert CohortMembership.objects.filter(enrollment__user=user).count() == 1
    user.refresh_from_db()
    assert user.full_name == "Inès M."  # a name of their own is kept


def test_an_invitation_cannot_be_accepted_by_someone_else(invitation, learner):
    with pytest.raises(CohortError) as refused:
        invitation_accept(invitation=invitation, user=learner)

    assert str(refused.value) == (
        "This invitation is addressed to ines.moreau@example.org. "
        "Log in with that address to accept it."
    )
    assert not CohortMembership.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_invitation_e_mail_carries_a_link_to_this_invitation(invitation, mailoutbox):
    assert invitations_send_owed() == 1

    (message,) = mailoutbox
    assert message.to == ["ines.moreau@example.org"]
    assert message.subject.startswith(f"[{settings.SITE_NAME}] ")
    assert invitation.cohort.course.title in message.subject
    url = re.search(r"https?://\S+", message.body)
    assert url is not None
    match = resolve_link(url.group(0))
    assert match.url_name == "invitation_accept"
    assert match.kwargs["token"] == invitation.token
    assert "Inès Moreau" in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


# --- importing a list -------------------------------------------------------------------------


def row(line: int, email: str, first: str = "", last: str = "") -> Row:
    return Row(line=line, email=email, first_name=first, last_name=last)


@pytest.fixture
def roster(cohort, make_user, make_member):
    """A list of five: a member already, two with an account (one spelled in capitals when it
    was created), two without."""
    member = make_member(cohort, email="deja@example.org")
    make_user(email="compte@example.org")
    make_user(email="Majuscules@Example.org")
    rows = [
        row(2, "deja@example.org", "Déjà", "Membre"),
        row(3, "compte@example.org", "Avec", "Compte"),
        row(4, "majuscules@example.org", "Avec", "Majuscules"),
        row(5, "nouvelle@example.org", "Inès", "Moreau"),
        row(6, "nouveau@example.org", "Paul", "Durand"),
    ]
    return member, rows


def counts() -> tuple[int, int, int]:
    return (
        CohortMembership.objects.count(),
        Enrollment.objects.count(),
        Invitation.objects.count(),
    )


def test_the_plan_sorts_the_list_and_writes_nothing(
    cohort, roster, django_assert_num_queries, mailoutbox
):
    """Already a member, or to invite, account or not (a list never tells who has an
    account): decided in one query, nothing written, nothing sent."""
    _member, rows = roster
    before = counts()

    with django_assert_num_queries(2):  # the members, the objections (courses/privacy)
        plan = roster_plan(cohort=cohort, rows=rows)

    assert [r.line for r in plan.already] == [2]
    assert [r.line for r in plan.invite] == [3, 4, 5, 6]
    assert counts() == before
    assert mailoutbox == []


def test_import_invites_everyone_and_enrols_nobody_without_consent(
    cohort, roster, instructor, mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    """Accounts too are invited, not enrolled: e-mailed after commit, and shown the invitation
    in the site; they join by accepting it."""
    from courses.cohorts.selectors import invitations_for_user

    _member, rows = roster

    with django_capture_on_commit_callbacks(execute=True):
        result = roster_import(cohort=cohort, rows=rows, by=instructor)
        assert mailoutbox == [], "no e-mail before the transaction commits"
        assert CohortMembership.objects.filter(cohort=cohort).count() == 1

    assert (result.invited, result.already, result.invitations_sent) == (4, 1, 4)
    members = CohortMembership.objects.filter(cohort=cohort)
    assert [m.enrollment.user.email.lower() for m in members] == ["deja@example.org"]
    assert sorted(message.to[0] for message in mailoutbox) == [
        "compte@example.org",
        "majuscules@example.org",
        "nouveau@example.org",
        "nouvelle@example.org",
    ]
    invitation = Invitation.objects.get(email="nouvelle@example.org")
    assert (invitation.full_name, invitation.invited_by) == ("Inès Moreau", instructor)
    assert invitation.sent_at is not None
    assert invitation.token in next(m.body for m in mailoutbox if m.to == [invitation.email])
    account = User.objects.get(email__iexact="majuscules@example.org")
    assert [i.cohort for i in invitations_for_user(user=account)] == [cohort]
    invitation_accept(
        invitation=Invitation.objects.get(email="majuscules@example.org"), user=account
    )
    assert CohortMembership.objects.filter(cohort=cohort, enrollment__user=account).exists()


def test_one_refused_address_does_not_stop_the_other_invitations(
    cohort, instructor, mailoutbox, django_capture_on_commit_callbacks, refuses, celery_eager
):
    refuses.add("b@example.org")
    rows = [row(2, "a@example.org"), row(3, "b@example.org"), row(4, "c@example.org")]

    with django_capture_on_commit_callbacks(execute=True):
        roster_import(cohort=cohort, rows=rows, by=instructor)

    assert sorted(message.to[0] for message in mailoutbox) == ["a@example.org", "c@example.org"]
    sent = dict(Invitation.objects.values_list("email", "sent_at"))
    assert sent["b@example.org"] is None
    assert sent["a@example.org"] is not None
    assert sent["c@example.org"] is not None


def test_importing_the_same_list_again_duplicates_nothing(
    cohort, roster, instructor, mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    """No second membership, enrolment or invitation, and no second e-mail to those already
    invited; the second import reports them as already there or invited."""
    _member, rows = roster
    with django_capture_on_commit_callbacks(execute=True):
        roster_import(cohort=cohort, rows=rows, by=instructor)
    before, e_mails = counts(), len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        again = roster_import(cohort=cohort, rows=rows, by=instructor)

    assert counts() == before
    assert len(mailoutbox) == e_mails == 4
    assert (again.already, again.invited, again.invitations_sent) == (1, 4, 0)


def test_an_invitation_that_failed_is_sent_when_the_list_is_imported_again(
    cohort, instructor, mailoutbox, django_capture_on_commit_callbacks, refuses, celery_eager
):
    rows = [row(2, "a@example.org"), row(3, "b@example.org")]
    refuses.add("b@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        roster_import(cohort=cohort, rows=rows, by=instructor)
    assert [message.to for message in mailoutbox] == [["a@example.org"]]

    refuses.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = roster_import(cohort=cohort, rows=rows, by=instructor)

    assert again.invitations_sent == 1
    assert [message.to for message in mailoutbox] == [["a@example.org"], ["b@example.org"]]
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 0


# --- deadline reminders -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_before_deadline", "due"),
    [
        pytest.param(8, False, id="the-day-before-the-reminder-day"),
        pytest.param(7, True, id="the-reminder-day"),
        pytest.param(3, True, id="between"),
        pytest.param(0, True, id="the-deadline-itself"),
        pytest.param(-1, False, id="the-day-after-the-deadline"),
    ],
)
def test_a_reminder_is_due_from_its_day_until_the_deadline(
    due_cohort, make_member, days_before_deadline, due
):
    membership = make_member(due_cohort)
    day = DEADLINE - timedelta(days=days_before_deadline)

    assert list(reminders_due(today=day)) == ([membership] if due else [])


def test_no_reminder_for_who_finished_opted_out_or_is_inactive(
    due_cohort, make_member, complete_course
):
    waiting = make_member(due_cohort)
    finished = make_member(due_cohort)
    complete_course(finished.enrollment)
    opted_out = make_member(due_cohort)
    reminders_unsubscribe(membership=opted_out)
    inactive = make_member(due_cohort)
    User.objects.filter(pk=inactive.enrollment.user_id).update(is_active=False)

    assert list(reminders_due(today=TODAY)) == [waiting]


def test_each_member_is_reminded_once_per_deadline(due_cohort, make_member, mailoutbox):
    """Run twice the same day, and again the next: one e-mail each, one row each."""
    first, second = make_member(due_cohort), make_member(due_cohort)

    assert reminders_send(today=TODAY) == 2
    assert reminders_send(today=TODAY) == 0
    assert reminders_send(today=TODAY + timedelta(days=1)) == 0

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [first.enrollment.user.email, second.enrollment.user.email]
    )
    assert DeadlineReminder.objects.filter(deadline=DEADLINE).count() == 2


def test_a_new_deadline_brings_a_new_reminder(due_cohort, make_member, mailoutbox):
    make_member(due_cohort)
    reminders_send(today=TODAY)
    later = DEADLINE + timedelta(days=14)

    cohort_update(
        cohort=due_cohort,
        name=due_cohort.name,
        starts_on=due_cohort.starts_on,
        ends_on=due_cohort.ends_on,
        deadline=later,
        reminder_days=7,
    )

    assert reminders_send(today=TODAY) == 0  # the new deadline's reminder day is not yet here
    assert reminders_send(today=later - timedelta(days=7)) == 1
    assert len(mailoutbox) == 2
    assert sorted(DeadlineReminder.objects.values_list("deadline", flat=True)) == [DEADLINE, later]


def test_one_refused_address_does_not_stop_the_other_reminders(
    due_cohort, make_member, mailoutbox, refuses
):
    """The refused member gets no row, so the next run (the address fixed) tries again."""
    refused = make_member(due_cohort, email="refusee@example.org")
    others = [make_member(due_cohort), make_member(due_cohort)]
    refuses.add("refusee@example.org")

    assert reminders_send(today=TODAY) == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.enrollment.user.email for o in others)
    assert not DeadlineReminder.objects.filter(membership=refused).exists()

    refuses.clear()
    assert reminders_send(today=TODAY + timedelta(days=1)) == 1
    assert mailoutbox[-1].to == ["refusee@example.org"]


def reminder_for(make_member, cohort, mailoutbox):
    membership = make_member(cohort, email="camille.martin@example.org", full_name="Camille Martin")
    assert reminders_send(today=TODAY) == 1
    (message,) = mailoutbox
    return membership, message


def test_the_reminder_e_mail_says_what_to_finish_and_by_when(due_cohort, make_member, mailoutbox):
    """Sent in the site's language (French), whatever language is active when it goes out:
    the learner's name, the course, the deadline written the French way, a link back to the
    course."""
    _membership, message = reminder_for(make_member, due_cohort, mailoutbox)
    course = due_cohort.course

    assert message.to == ["camille.martin@example.org"]
    assert message.subject.startswith(f"[{settings.SITE_NAME}] ")
    assert course.title in message.subject
    assert "15/06/2026" in message.subject
    assert message.body.startswith("Bonjour Camille Martin,")
    assert "15 juin 2026" in message.body
    assert due_cohort.name in message.body
    with translation.override(settings.LANGUAGE_CODE):
        assert settings.SITE_BASE_URL + course.get_absolute_url() + "\n" in message.body


def test_the_cohort_e_mails_read_entirely_in_french(
    due_cohort, make_member, instructor, mailoutbox
):
    """No English sentence left in the reminder or the invitation: each msgid of their subjects
    and bodies has its French entry in courses/locale/fr."""
    reminder_for(make_member, due_cohort, mailoutbox)
    Invitation.objects.create(
        cohort=due_cohort, email="sans.nom@example.org", invited_by=instructor
    )
    assert invitations_send_owed() == 1

    english = [
        "Reminder:",
        "to complete by",
        "and you have not finished it yet",
        "Resume where you left off",
        "To stop receiving these reminders",
        "Invitation:",
        "Hello,",
        "You are invited to take the course",
        "To accept, create your account",
    ]
    text = "".join(message.subject + message.body for message in mailoutbox)
    untranslated = [sentence for sentence in english if sentence in text]
    assert untranslated == [], "cohort e-mail msgids missing from courses/locale/fr"


def test_the_unsubscribe_link_in_the_e_mail_stops_the_reminders(
    due_cohort, make_cohort, course, make_member, mailoutbox
):
    """The link's token leads back to this membership; unsubscribing stops reminders for this
    cohort only."""
    membership, message = reminder_for(make_member, due_cohort, mailoutbox)
    other_cohort = make_cohort(
        course, name="Autre groupe", **dates(TODAY, end_after=9, deadline_after=5)
    )
    other = cohort_join(cohort=other_cohort, user=membership.enrollment.user)

    urls = re.findall(r"https?://\S+", message.body)
    (unsubscribe,) = [url for url in urls if "unsubscribe" in url]
    match = resolve_link(unsubscribe)
    assert match.url_name == "reminders_unsubscribe"

    found = membership_from_unsubscribe_token(match.kwargs["token"])
    assert found == membership
    reminders_unsubscribe(membership=found)

    membership.refresh_from_db()
    other.refresh_from_db()
    assert membership.reminders_opt_out
    assert not other.reminders_opt_out
    DeadlineReminder.objects.all().delete()  # even a new deadline would not remind them
    assert list(reminders_due(today=TODAY)) == [other]


def test_mail_clients_one_click_unsubscribe_works(client, due_cohort, make_member, mailoutbox):
    """The reminder carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058): the mail
    client's own button POSTs to that address, without cookie or CSRF token, and it works."""
    membership, message = reminder_for(make_member, due_cohort, mailoutbox)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert address in message.body
    csrf_checking = type(client)(enforce_csrf_checks=True)
    response = csrf_checking.post(urlsplit(address).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.reminders_opt_out


def test_a_tampered_or_foreign_token_finds_no_membership(due_cohort, make_member):
    membership = make_member(due_cohort)
    token = unsubscribe_token(membership)
    assert membership_from_unsubscribe_token(token) == membership

    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_salt = signing.dumps({"m": membership.pk}, compress=True)
    for bad in (tampered, other_salt, "", "pas-un-jeton", token + "x"):
        assert membership_from_unsubscribe_token(bad) is None


def test_the_token_of_a_removed_member_finds_nothing(due_cohort, make_member):
    membership = make_member(due_cohort)
    token = unsubscribe_token(membership)

    membership_remove(membership=membership)

    assert membership_from_unsubscribe_token(token) is None


def test_the_beat_task_sends_today_s_reminders(make_cohort, course, make_member, mailoutbox):
    """courses.cohort_reminders, run as beat runs it (no argument), works out today itself."""
    from django.utils import timezone

    from courses.cohorts.tasks import cohort_reminders_task

    today = timezone.localdate()
    cohort = make_cohort(
        course, **dates(today - timedelta(days=10), end_after=30, deadline_after=12)
    )
    make_member(cohort)

    assert cohort_reminders_task() == 1
    assert cohort_reminders_task() == 0
    assert len(mailoutbox) == 1


def test_the_reminders_task_is_on_beat_s_schedule():
    from elearn.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["cohort-reminders"]
    assert entry["task"] == "courses.cohort_reminders"
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 24 * 3600  # at least daily, or a reminder day could be missed


# --- two runs at once -------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_reminder_per_member(
    due_cohort, make_member, mailoutbox, monkeypatch
):
    """Two workers find the same members due at the same moment (each waits until the other
    has read the list before it sends): the unique row lets one e-mail through per member."""
    members = [make_member(due_cohort) for _ in range(6)]
    both_read = threading.Barrier(2, timeout=20)
    read = services.reminders_due

    def read_then_wait(*, today):  # type: ignore[no-untyped-def]
        found = list(read(today=today))
        both_read.wait()
        return found

    monkeypatch.setattr(services, "reminders_due", read_then_wait)
    sent: list[int] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            sent.append(reminders_send(today=TODAY))
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert sorted(sent) in ([0, 6], [1, 5], [2, 4], [3, 3])
    assert sum(sent) == 6
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted(m.enrollment.user.email for m in members)
    assert DeadlineReminder.objects.count() == 6
