"""Access and portability (RGPD art. 15 and 20): from her profile, a learner downloads all
her data as JSON, and nobody else's (issue 18, second slice)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from courses.cohorts.services import cohort_join, invitation_send
from courses.models import Invitation, SatisfactionResponse
from courses.progress.services import lesson_mark_complete
from courses.quizzes.services import attempt_answer_save, attempt_start, attempt_submit
from tests.accounts.test_validators import VALID_RPPS
from tests.quizzes.conftest import key_display, wrong_display

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_course, make_cohort, make_item, make_user, issue_certificate):
    """A learner with one of everything the site keeps, and a classmate with her own."""
    course = make_course(modules=1, lessons=2, satisfaction_questions=["Claire ?"])
    first, second = course.modules.get().lessons.order_by("position")
    cohort = make_cohort(course, name="IDE oncologie 2026")
    learner = make_user(email="lea@example.org", full_name="Léa Dubois", professional_id=VALID_RPPS)
    invitation = Invitation.objects.create(
        cohort=cohort, email=learner.email, full_name="Léa D.", invited_by=cohort.owner
    )
    invitation_send(invitation=invitation)  # an e-mail she was sent
    member = cohort_join(cohort=cohort, user=learner)
    enrollment = member.enrollment
    certificate = issue_certificate(enrollment)  # every lesson read; another e-mail
    for lesson in (first, second):
        for _ in range(3):
            make_item(lesson)
    done, _created = attempt_start(enrollment=enrollment, lesson=first)
    attempt_submit(
        attempt=done,
        answers={0: key_display(done, 0), 1: wrong_display(done, 1), 2: key_display(done, 2)},
    )
    open_attempt, _created = attempt_start(enrollment=enrollment, lesson=second)
    attempt_answer_save(attempt=open_attempt, position=0, choice=wrong_display(open_attempt, 0))
    SatisfactionResponse.objects.create(
        course=course, enrollment=enrollment, questions=["Claire ?"], ratings=[5], comment="Utile"
    )
    classmate = make_user(email="zoe@example.org", full_name="Zoé Lefèvre")
    cohort_join(cohort=cohort, user=classmate)
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    return learner, certificate, done, open_attempt


def download(client, user):
    client.force_login(user)
    response = client.post(reverse("courses:privacy_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="donnees-')
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_download_holds_every_kind_of_data(client, history):
    learner, certificate, _done, _open_attempt = history
    data = download(client, learner)
    text = json.dumps(data, ensure_ascii=False)

    profile = data["profile"]
    assert (profile["email"], profile["full_name"], profile["professional_id"]) == (
        "lea@example.org",
        "Léa Dubois",
        VALID_RPPS,
    )
    assert profile["email_addresses"] == [
        {"email": "lea@example.org", "verified": True, "primary": True}
    ]
    [enrollment] = data["enrollments"]
    assert enrollment["completed_at"] is not None
    assert len(enrollment["lessons_read"]) == 2
    attempts = enrollment["quiz_attempts"]
    assert [a["submitted_at"] is not None for a in attempts] == [True, False]
    graded = attempts[0]
    assert graded["score"] == 2
    assert [q["correct"] for q in graded["questions"]] == [True, False, True]
    assert all(q["right_answers"] for q in graded["questions"])
    assert graded["questions"][1]["chosen"] != graded["questions"][1]["right_answers"]
    # An attempt in progress: the answer given, never which one is right.
    in_progress = attempts[1]["questions"]
    assert in_progress[0]["chosen"]
    assert all("right_answers" not in q and "correct" not in q for q in in_progress)
    [issued] = data["certificates"]
    assert issued["code"] == certificate.code
    assert issued["professional_id"] == VALID_RPPS
    assert issued["verify_url"].endswith(f"/certificates/verify/{certificate.code}/")
    assert [c["cohort"] for c in data["cohorts"]] == ["IDE oncologie 2026"]
    [invitation] = data["invitations"]
    assert invitation["full_name_given"] == "Léa D."
    assert invitation["invited_by"]
    assert data["satisfaction"][0]["comment"] == "Utile"
    kinds = [email["kind"] for email in data["emails_sent"]]
    assert kinds == ["invitation", "certificate"]
    # Her data only.
    assert "zoe@example.org" not in text
    assert "Zoé" not in text
    # No token of hers either: an e-mail's links are not kept.
    assert "/invitations/" not in text


def test_the_download_costs_the_same_queries_for_a_long_history(
    client, history, django_assert_max_num_queries, make_item
):
    learner, _certificate, done, _open = history
    client.force_login(learner)
    with django_assert_max_num_queries(40) as captured:
        client.post(reverse("courses:privacy_export"))
    baseline = len(captured.captured_queries)
    for _ in range(5):  # five more attempts at the first lesson
        again, _created = attempt_start(enrollment=done.enrollment, lesson=done.lesson)
        attempt_submit(attempt=again, answers={0: key_display(again, 0)})
    with django_assert_max_num_queries(baseline):
        client.post(reverse("courses:privacy_export"))


def test_the_download_needs_a_login_and_a_post(client, learner):
    assert client.post(reverse("courses:privacy_export")).status_code == 302
    client.force_login(learner)
    assert client.get(reverse("courses:privacy_export")).status_code == 405


def test_the_profile_offers_it(client, learner):
    client.force_login(learner)
    page = client.get(reverse("courses:profile")).content.decode()
    assert f'action="{reverse("courses:privacy_export")}"' in page
    assert "Télécharger mes données" in page
