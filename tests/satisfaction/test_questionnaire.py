"""The satisfaction questionnaire: offered at the end, optional, once; its results for course
and cohort staff, together, without names, and only over enough answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import CohortMembership, Enrollment, SatisfactionResponse, User
from courses.progress.services import enrollment_create
from courses.satisfaction.selectors import MIN_RESPONSES

pytestmark = pytest.mark.django_db

QUESTIONS = [
    "La formation a atteint ses objectifs.",
    "Son contenu est utile à ma pratique professionnelle.",
    "Les leçons étaient claires.",
    "Les quiz m’ont aidé·e à vérifier mes acquis.",
    "Je recommanderais cette formation à un ou une collègue.",
]


def completed_url(course) -> str:
    return reverse("courses:course_completed", kwargs={"slug": course.slug})


def submit_url(course) -> str:
    return reverse("courses:satisfaction_submit", kwargs={"slug": course.slug})


def results_url(course, cohort=None) -> str:
    url = reverse("courses:satisfaction", kwargs={"slug": course.slug})
    return f"{url}?cohort={cohort.pk}" if cohort is not None else url


def export_url(course) -> str:
    return reverse("courses:satisfaction_export", kwargs={"slug": course.slug})


@pytest.fixture
def finished(learner, course, complete_course) -> Enrollment:
    enrollment, _ = enrollment_create(user=learner, course=course)
    complete_course(enrollment)
    return enrollment


def answer(client, course, ratings=(5, 4, None, 3, 5), comment="Très utile pour le service."):
    data = {f"q{index}": str(value) for index, value in enumerate(ratings) if value is not None}
    data["comment"] = comment
    return client.post(submit_url(course), data)


def test_new_courses_ask_the_default_questions_in_french(course):
    assert course.satisfaction_questions == QUESTIONS


def test_the_completion_page_offers_it_as_optional(learner_client, course, finished):
    page = learner_client.get(completed_url(course)).content.decode()
    assert "Votre avis (facultatif)" in page
    assert "votre attestation n’en dépend pas" in page
    assert all(question in page for question in QUESTIONS)
    assert page.count('type="radio"') == 5 * 5


def test_answers_are_recorded_once_with_their_questions(learner_client, course, finished):
    response = answer(learner_client, course)
    assert response.status_code == 302
    assert response.url.endswith("#satisfaction")
    stored = SatisfactionResponse.objects.get()
    assert (stored.enrollment, stored.course) == (finished, course)
    assert stored.questions == QUESTIONS
    assert stored.ratings == [5, 4, None, 3, 5]
    assert stored.comment == "Très utile pour le service."
    page = learner_client.get(completed_url(course)).content.decode()
    assert "Merci\u00a0: votre avis est enregistré." in page
    assert "Votre avis (facultatif)" not in page
    # A second send (double click, another tab) changes nothing.
    again = answer(learner_client, course, ratings=(1, 1, 1, 1, 1), comment="Autre")
    assert again.status_code == 302
    assert SatisfactionResponse.objects.get().ratings == [5, 4, None, 3, 5]
    followed = learner_client.get(again.url).content.decode()
    assert "Vous avez déjà donné votre avis sur cette formation" in followed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q0": "7", "comment": ""}, "Choisissez une note de 1 à 5."),
        ({"q0": "0", "comment": "ok"}, "Choisissez une note de 1 à 5."),
        ({"q2": "trois", "comment": ""}, "Choisissez une note de 1 à 5."),
        ({"comment": "   "}, "Notez au moins une affirmation, ou laissez un commentaire."),
        ({"comment": "x" * 2001}, "2000"),
    ],
    ids=["seven", "zero", "a word", "nothing", "too long"],
)
def test_a_tampered_or_empty_form_is_refused_and_saves_nothing(
    learner_client, course, finished, data, message
):
    response = learner_client.post(submit_url(course), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SatisfactionResponse.objects.exists()


def test_only_a_learner_who_completed_may_answer(learner_client, course, learner):
    enrollment_create(user=learner, course=course)
    response = answer(learner_client, course)
    assert response.url == course.get_absolute_url()
    assert not SatisfactionResponse.objects.exists()


def test_a_course_without_questions_offers_none(learner_client, course, finished):
    course.satisfaction_questions = []
    course.save()
    page = learner_client.get(completed_url(course)).content.decode()
    assert "Votre avis" not in page
    answer(learner_client, course, ratings=())
    assert not SatisfactionResponse.objects.exists()


def test_the_certificate_does_not_wait_for_it(learner, course, complete_course, media_root):
    """No answer, and the certificate is issued all the same."""
    from courses.certificates.services import certificate_issue

    enrollment, _ = enrollment_create(user=learner, course=course)
    completion = complete_course(enrollment)
    assert certificate_issue(completion_id=completion.pk).rendered_at is not None
    assert not SatisfactionResponse.objects.exists()


# --- course and cohort staff -----------------------------------------------------------------


def respond(enrollment, course, ratings, comment=""):
    return SatisfactionResponse.objects.create(
        course=course,
        enrollment=enrollment,
        questions=QUESTIONS,
        ratings=list(ratings),
        comment=comment,
    )


@pytest.fixture
def cohort_answers(course, make_cohort, make_member, complete_course):
    """Six members of a cohort answered, and two learners outside it."""
    cohort = make_cohort(course, name="IDE 2026")
    for n in range(6):
        membership = make_member(cohort, full_name=f"Infirmière Numéro{n}")
        enrollment = (
            membership.enrollment if isinstance(membership, CohortMembership) else membership
        )
        complete_course(enrollment)
        respond(enrollment, course, [5, 4, 3, n % 5 + 1, None], comment=f"Remarque {n}")
    for n in range(2):
        enrollment, _ = enrollment_create(
            user=User.objects.create_user(
                email=f"dehors{n}@example.org", password="x", full_name=f"Externe Dehors{n}"
            ),
            course=course,
        )
        complete_course(enrollment)
        respond(enrollment, course, [1, 1, 1, 1, 1], comment=f"Hors cohorte {n}")
    return cohort


def test_staff_see_the_results_together_without_names(client, instructor, course, cohort_answers):
    course.instructors.add(instructor)
    client.force_login(instructor)
    page = client.get(results_url(course)).content.decode()
    assert "8 réponses de 8 apprenant·es ayant achevé la formation (100 %)" in page
    assert "La formation a atteint ses objectifs." in page
    # First statement: six 5s and two 1s -> mean 4.0.
    assert "4,0" in page or "4.0" in page
    assert "Remarque 3" in page
    assert "Hors cohorte 1" in page
    for name in ("Numéro", "Dehors", "@example.org"):
        assert name not in page

    cohort_page = client.get(results_url(course, cohort_answers)).content.decode()
    assert "6 réponses de 6 apprenant·es" in cohort_page
    assert "Hors cohorte" not in cohort_page
    same = client.get(
        reverse("courses:cohort_satisfaction", kwargs={"pk": cohort_answers.pk})
    ).content.decode()
    assert "6 réponses de 6 apprenant·es" in same


def test_the_export_has_one_row_per_answer_and_no_name(client, instructor, course, cohort_answers):
    course.instructors.add(instructor)
    client.force_login(instructor)
    response = client.get(export_url(course))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="satisfaction-')
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].split(";")[:2] == ["Date", QUESTIONS[0]]
    assert len(lines) == 1 + 8
    assert "Numéro" not in text
    assert "@example.org" not in text


def test_under_the_minimum_nothing_is_shown_or_exported(
    client, instructor, course, make_cohort, make_member, complete_course
):
    course.instructors.add(instructor)
    cohort = make_cohort(course)
    for _ in range(MIN_RESPONSES - 1):
        membership = make_member(cohort)
        complete_course(membership.enrollment)
        respond(membership.enrollment, course, [1, 2, 3, 4, 5], comment="Trop identifiable")
    client.force_login(instructor)
    page = client.get(results_url(course)).content.decode()
    assert "Les résultats s’affichent à partir de 5\u00a0réponses" in page or (
        "Les résultats s’affichent à partir de 5 réponses" in page
    )
    assert "Trop identifiable" not in page
    assert client.get(export_url(course)).status_code == 404


def test_an_instructor_sees_only_the_cohorts_she_follows(
    client, course, cohort_answers, other_instructor, learner
):
    """Course staff who do not follow the cohort: not in the list, 404 when asked; a learner:
    403 on the course's results."""
    course.instructors.add(other_instructor)
    client.force_login(other_instructor)
    page = client.get(results_url(course)).content.decode()
    assert "IDE 2026" not in page
    assert client.get(results_url(course, cohort_answers)).status_code == 404
    assert (
        client.get(
            reverse("courses:cohort_satisfaction", kwargs={"pk": cohort_answers.pk})
        ).status_code
        == 404
    )
    client.force_login(learner)
    assert client.get(results_url(course)).status_code == 403


def test_the_results_page_costs_the_same_queries_whatever_the_answers(
    client, instructor, course, cohort_answers, django_assert_max_num_queries
):
    course.instructors.add(instructor)
    client.force_login(instructor)
    with django_assert_max_num_queries(8):
        assert client.get(results_url(course, cohort_answers)).status_code == 200


def test_course_staff_set_the_questions_on_the_settings_page(client, instructor, course):
    course.instructors.add(instructor)
    client.force_login(instructor)
    url = reverse("courses:course_settings", kwargs={"slug": course.slug})
    page = client.get(url).content.decode()
    assert QUESTIONS[0] in page
    data = {
        "completion_rule": course.completion_rule,
        "pass_mark": 80,
        "contact_hours": "2.0",
        "satisfaction_questions": "Le rythme était adapté.\n\n  La plateforme était simple.  ",
    }
    assert client.post(url, data).status_code == 302
    course.refresh_from_db()
    assert course.satisfaction_questions == [
        "Le rythme était adapté.",
        "La plateforme était simple.",
    ]
    too_many = {**data, "satisfaction_questions": "\n".join(f"Question {n}" for n in range(11))}
    response = client.post(url, too_many)
    assert response.status_code == 200
    assert "Indiquez au plus dix affirmations." in response.content.decode()
