"""“Relancer les apprenant·es en retard”: an instructor reminds the learners behind on a cohort's
deadline (courses/cohorts/services.py late_reminders_*, the cohort's remind page).

At most one reminder per learner and day, never to one who opted out, only from the cohort's
reminder window on; the e-mail says what is left and carries the instructor's message.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from courses.cohorts import selectors
from courses.cohorts.services import (
    CohortError,
    late_reminders_owed_publish,
    late_reminders_request,
    late_reminders_send_owed,
    reminders_send,
    reminders_unsubscribe,
)
from courses.models import DeadlineReminder, LateReminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def late_cohort(make_cohort, course, today):
    """A cohort whose deadline passed three days ago."""
    return due_in(make_cohort, course, -3, name="Promotion de printemps")


@pytest.fixture
def behind(late_cohort, make_member):
    """Two members who have not finished."""
    return [
        make_member(late_cohort, full_name="Camille Martin", email="camille@example.org"),
        make_member(late_cohort, full_name="Inès Moreau", email="ines@example.org"),
    ]


def due_in(make_cohort, course, days: int, **fields):
    """A cohort of ``course`` whose deadline is ``days`` from today (negative: past), begun
    long before and ending after both."""
    today = timezone.localdate()
    return make_cohort(
        course,
        starts_on=today - timedelta(days=max(90, -days + 1)),
        ends_on=today + timedelta(days=max(30, days)),
        deadline=today + timedelta(days=days),
        **fields,
    )


def sent_to(mailoutbox) -> list[str]:
    return sorted(message.to[0] for message in mailoutbox)


def request_and_send(cohort, by, **kwargs) -> int:
    """Record the reminders, then send what is owed (the task's work, inline)."""
    recorded = late_reminders_request(cohort=cohort, by=by, **kwargs)
    late_reminders_send_owed(cohort_id=cohort.pk)
    return recorded


# --- who is reminded --------------------------------------------------------------------------


def test_the_learners_behind_are_reminded_not_who_finished_opted_out_or_left(
    late_cohort, behind, make_member, complete_course, instructor, mailoutbox
):
    """Completed, opted out, inactive: left out; the plan says how many opted out."""
    finished = make_member(late_cohort, email="fini@example.org")
    complete_course(finished.enrollment)
    opted = make_member(late_cohort, email="stop@example.org")
    reminders_unsubscribe(membership=opted)
    gone = make_member(late_cohort, email="parti@example.org")
    gone.enrollment.user.is_active = False
    gone.enrollment.user.save()

    plan = selectors.reminder_plan(cohort=late_cohort, today=timezone.localdate())
    assert [m.pk for m in plan.shown] == [m.pk for m in behind]
    assert plan.to_remind == 2
    assert (plan.opted_out, plan.reminded_today, plan.deadline_passed) == (1, 0, True)

    assert request_and_send(late_cohort, instructor) == 2
    assert sent_to(mailoutbox) == ["camille@example.org", "ines@example.org"]
    assert LateReminder.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.parametrize(
    ("days_to_deadline", "open_"),
    [
        pytest.param(8, False, id="before-the-window"),
        pytest.param(7, True, id="the-window-opens"),
        pytest.param(0, True, id="the-deadline"),
        pytest.param(-30, True, id="long-past"),
    ],
)
def test_reminding_opens_with_the_cohorts_reminder_window(
    make_cohort, course, make_member, instructor, today, mailoutbox, days_to_deadline, open_
):
    """From reminder_days (7) before the deadline on, and for good after it; before, the
    request is refused with the day it opens and nothing is recorded."""
    cohort = due_in(make_cohort, course, days_to_deadline, reminder_days=7)
    make_member(cohort)
    if open_:
        assert request_and_send(cohort, instructor) == 1
        assert len(mailoutbox) == 1
    else:
        with pytest.raises(CohortError, match="Les relances sont possibles à partir du"):
            late_reminders_request(cohort=cohort, by=instructor)
        assert not LateReminder.objects.exists()
        assert mailoutbox == []


# --- once a day -------------------------------------------------------------------------------


def test_a_second_request_the_same_day_reminds_nobody_again(
    late_cohort, behind, instructor, other_instructor, mailoutbox, today
):
    """The same instructor again, or a colleague: nothing recorded, nothing sent. The next
    day, a new reminder."""
    late_cohort.co_instructors.add(other_instructor)
    assert request_and_send(late_cohort, instructor) == 2
    assert request_and_send(late_cohort, instructor) == 0
    assert request_and_send(late_cohort, other_instructor) == 0
    assert len(mailoutbox) == 2
    plan = selectors.reminder_plan(cohort=late_cohort, today=today)
    assert (plan.to_remind, plan.shown, plan.reminded_today) == (0, [], 2)

    tomorrow = today + timedelta(days=1)
    assert late_reminders_request(cohort=late_cohort, by=instructor, today=tomorrow) == 2


def test_the_database_refuses_a_second_reminder_the_same_day(behind, instructor, today):
    """The unique (enrolment, day) constraint, whatever code tries."""
    membership = behind[0]
    values = {"membership": membership, "enrollment": membership.enrollment, "day": today}
    LateReminder.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        LateReminder.objects.create(**values)


def test_a_learner_in_two_cohorts_of_the_course_gets_one_reminder_a_day(
    late_cohort, behind, make_cohort, course, instructor, today, mailoutbox
):
    """Reminded from one cohort, not again from another cohort of the same course that day."""
    from courses.cohorts.services import cohort_join

    other = due_in(make_cohort, course, -1, name="Autre groupe")
    cohort_join(cohort=other, user=behind[0].enrollment.user)
    assert request_and_send(late_cohort, instructor) == 2
    assert request_and_send(other, instructor) == 0
    assert len(mailoutbox) == 2


def test_no_reminder_on_the_day_the_automatic_one_went(
    make_cohort, course, make_member, instructor, today, mailoutbox
):
    """The deadline reminder went this morning: reminding by hand adds no second e-mail."""
    cohort = due_in(make_cohort, course, 3)
    make_member(cohort)
    assert reminders_send(today=today) == 1
    assert DeadlineReminder.objects.count() == 1
    assert request_and_send(cohort, instructor) == 0
    assert len(mailoutbox) == 1


# --- never to who opted out -------------------------------------------------------------------


def test_a_learner_who_opts_out_before_the_e_mail_goes_gets_none(
    late_cohort, behind, instructor, mailoutbox
):
    """Recorded, then the learner unsubscribes (from an earlier e-mail's link) before the task
    runs: the task sends nothing to them."""
    assert late_reminders_request(cohort=late_cohort, by=instructor) == 2
    reminders_unsubscribe(membership=behind[0])
    assert late_reminders_send_owed(cohort_id=late_cohort.pk) == 1
    assert sent_to(mailoutbox) == ["ines@example.org"]


def test_a_reminder_not_sent_on_its_day_is_dropped(late_cohort, behind, instructor, mailoutbox):
    """The broker was down all day: yesterday's reminder is not sent today (a new click is)."""
    late_reminders_request(cohort=late_cohort, by=instructor)
    LateReminder.objects.update(day=timezone.localdate() - timedelta(days=1))
    assert late_reminders_send_owed(cohort_id=late_cohort.pk) == 0
    assert mailoutbox == []


def test_a_refused_address_is_tried_again_by_the_sweeper(
    late_cohort, behind, instructor, mailoutbox, refuses, celery_eager
):
    """One refused address does not stop the other; the sweeper publishes it again and it
    goes once the mail server takes it."""
    refuses.add("camille@example.org")
    assert request_and_send(late_cohort, instructor) == 2
    assert sent_to(mailoutbox) == ["ines@example.org"]
    refuses.clear()
    LateReminder.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert late_reminders_owed_publish() == 1
    assert sent_to(mailoutbox) == ["camille@example.org", "ines@example.org"]


def test_the_sweeper_is_on_beats_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["cohort-late-reminders-sweep"]
    assert entry["task"] == "courses.cohort_late_reminders_sweep"


# --- the e-mail -------------------------------------------------------------------------------


def test_the_e_mail_says_the_deadline_passed_what_is_left_and_the_message(
    late_cohort, behind, instructor, mailoutbox, course
):
    """In French: the instructor's message first, the deadline as passed, what is left (every
    lesson of the course: nobody read any), the course's link and the unsubscribe link."""
    request_and_send(late_cohort, instructor, message="  Pensez au quiz du module 2.  ")
    message = next(m for m in mailoutbox if m.to == ["camille@example.org"])
    deadline = late_cohort.deadline
    assert "échéance dépassée" in message.subject
    assert deadline.strftime("%d/%m/%Y") in message.subject
    assert message.body.startswith("Bonjour Camille Martin,")
    assert "Un message de Sophie Bernard\u00a0:\nPensez au quiz du module 2.\n" in message.body
    assert "était à achever avant le" in message.body
    lessons = course.modules.all()[0].lessons.count() * course.modules.count()
    assert f"Il vous reste {lessons} leçons à lire." in message.body
    with translation.override(settings.LANGUAGE_CODE):
        assert settings.SITE_BASE_URL + course.get_absolute_url() + "\n" in message.body
    (unsubscribe,) = [u for u in re.findall(r"https?://\S+", message.body) if "unsubscribe" in u]
    token = unsubscribe.rstrip("/").rsplit("/", 1)[1]
    assert selectors.membership_from_unsubscribe_token(token) == behind[0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"


def test_without_a_message_and_before_the_deadline(
    make_cohort, course, make_member, instructor, today, mailoutbox
):
    cohort = due_in(make_cohort, course, 2)
    make_member(cohort, full_name="Léa Petit")
    request_and_send(cohort, instructor)
    (message,) = mailoutbox
    assert "Un message de" not in message.body
    assert "est à achever avant le" in message.body
    assert "échéance dépassée" not in message.subject


# --- the page ---------------------------------------------------------------------------------


def remind_url(cohort) -> str:
    return reverse("courses:cohort_remind", kwargs={"pk": cohort.pk})


def test_the_page_names_who_will_be_reminded_and_who_not(
    client, late_cohort, behind, make_member, instructor
):
    opted = make_member(late_cohort, full_name="Zoé Stop")
    reminders_unsubscribe(membership=opted)
    client.force_login(instructor)
    dashboard = client.get(reverse("courses:cohort_dashboard", kwargs={"pk": late_cohort.pk}))
    assert remind_url(late_cohort) in dashboard.content.decode()
    page = client.get(remind_url(late_cohort)).content.decode()
    assert "2 apprenant·es seront relancé·es" in page
    assert "Camille Martin" in page
    assert "Inès Moreau" in page
    assert "Zoé Stop" not in page
    assert "1 apprenant·e en retard a demandé à ne plus recevoir de relances." in page
    assert "Envoyer les relances" in page


def test_sending_from_the_page_then_again(
    client,
    late_cohort,
    behind,
    instructor,
    mailoutbox,
    django_capture_on_commit_callbacks,
    celery_eager,
):
    """The POST records and (after commit, through the task) sends; the same form submitted
    again reminds nobody and says so."""
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(late_cohort), {"message": "Courage !"}, follow=True)
    assert "Une relance part vers 2 apprenant·es." in response.content.decode()
    assert len(mailoutbox) == 2
    assert all("Courage !" in message.body for message in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(remind_url(late_cohort), {"message": "Courage !"}, follow=True)
    assert "Personne n’a été relancé" in again.content.decode()
    assert len(mailoutbox) == 2


def test_a_message_too_long_is_refused_and_nothing_recorded(
    client, late_cohort, behind, instructor
):
    client.force_login(instructor)
    response = client.post(remind_url(late_cohort), {"message": "x" * 1001})
    assert response.status_code == 400
    assert not LateReminder.objects.exists()


def test_before_the_window_the_page_says_when_it_opens(
    client, make_cohort, course, make_member, instructor, today
):
    cohort = due_in(make_cohort, course, 40, reminder_days=10)
    make_member(cohort)
    client.force_login(instructor)
    page = client.get(remind_url(cohort)).content.decode()
    assert "Les relances sont possibles à partir du" in page
    assert "Envoyer les relances" not in page
    response = client.post(remind_url(cohort), {"message": ""})
    assert response.status_code == 400
    assert not LateReminder.objects.exists()
    dashboard = client.get(reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk}))
    assert remind_url(cohort) not in dashboard.content.decode()


@pytest.mark.parametrize("who", ["learner", "member", "other_instructor"])
def test_only_the_cohorts_staff_may_remind(
    client, late_cohort, behind, learner, other_instructor, who
):
    """Anyone else, a member of the cohort included, gets a 404 and reminds nobody."""
    user = {"learner": learner, "member": behind[0].enrollment.user}.get(who, other_instructor)
    client.force_login(user)
    assert client.get(remind_url(late_cohort)).status_code == 404
    assert client.post(remind_url(late_cohort), {"message": ""}).status_code == 404
    assert not LateReminder.objects.exists()


def test_the_reminder_page_costs_the_same_queries_for_few_and_many(
    client, late_cohort, make_member, instructor, django_assert_max_num_queries
):
    for number in range(3):
        make_member(late_cohort, email=f"a{number}@example.org")
    client.force_login(instructor)
    with django_assert_max_num_queries(8) as few:
        client.get(remind_url(late_cohort))
    for number in range(60):
        make_member(late_cohort, email=f"b{number}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(remind_url(late_cohort)).content.decode()
    assert "63 apprenant·es seront relancé·es" in page
    assert "et 13 autres" in page  # fifty named
