"""Course staff set the completion rule, the pass mark, the attempts and what certificates say."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import Course, User
from courses.progress.services import course_settings_update

pytestmark = pytest.mark.django_db

VALID = {
    "contact_hours": Decimal("3.5"),
    "completion_rule": Course.CompletionRule.QUIZZES_ONLY,
    "certificate_validity_months": 36,
    "pass_mark": 70,
    "max_attempts": 3,
}


def settings_url(course) -> str:
    return reverse("courses:course_settings", kwargs={"slug": course.slug})


@pytest.fixture
def staff_client(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    return client


def test_the_service_saves_every_setting(course):
    course_settings_update(course=course, **VALID)
    course.refresh_from_db()
    assert course.contact_hours == Decimal("3.5")
    assert course.completion_rule == Course.CompletionRule.QUIZZES_ONLY
    assert course.certificate_validity_months == 36
    assert course.pass_mark == 70
    assert course.max_attempts == 3


def test_empty_validity_and_attempts_mean_none(course):
    course_settings_update(
        course=course, **{**VALID, "certificate_validity_months": None, "max_attempts": None}
    )
    course.refresh_from_db()
    assert course.certificate_validity_months is None
    assert course.max_attempts is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_hours", Decimal("0.4")),
        ("contact_hours", Decimal("0")),
        ("contact_hours", Decimal("1.25")),
        ("pass_mark", 0),
        ("pass_mark", 101),
        ("completion_rule", "whatever"),
        ("certificate_validity_months", 0),
        ("max_attempts", 0),
        ("quiz_questions", 4),
        ("quiz_questions", 51),
    ],
)
def test_the_service_refuses_what_is_out_of_bounds(course, field, value):
    """Hours at least half an hour, a pass mark of 1 to 100 %: nothing saved otherwise."""
    before = Course.objects.values().get(pk=course.pk)
    with pytest.raises(ValidationError) as refused:
        course_settings_update(course=course, **{**VALID, field: value})
    assert field in refused.value.message_dict
    assert Course.objects.values().get(pk=course.pk) == before


def test_questions_per_attempt_are_kept_unless_given(course):
    """Five to fifty; left out (None), the course keeps its own."""
    course_settings_update(course=course, **{**VALID, "quiz_questions": 7})
    course.refresh_from_db()
    assert course.quiz_questions == 7
    course_settings_update(course=course, **VALID)
    course.refresh_from_db()
    assert course.quiz_questions == 7


def test_half_an_hour_and_a_hundred_percent_are_allowed(course):
    course_settings_update(
        course=course, **{**VALID, "contact_hours": Decimal("0.5"), "pass_mark": 100}
    )
    course.refresh_from_db()
    assert course.contact_hours == Decimal("0.5")
    assert course.pass_mark == 100


def test_the_page_shows_the_current_settings(staff_client, course):
    page = staff_client.get(settings_url(course)).content.decode()
    assert "Paramètres de la formation" in page
    assert 'name="contact_hours"' in page
    assert 'value="2.0"' in page
    assert 'value="80"' in page
    assert "Toutes les leçons lues et tous les quiz réussis" in page


def test_the_page_saves_and_says_so(staff_client, course):
    data = {
        **VALID,
        "certificate_validity_months": "",
        "contact_hours": "1.5",
        "quiz_questions": "6",
    }
    response = staff_client.post(settings_url(course), data, follow=True)
    assert response.redirect_chain[-1][0] == settings_url(course)
    assert "Les paramètres de la formation sont enregistrés." in response.content.decode()
    course.refresh_from_db()
    assert course.contact_hours == Decimal("1.5")
    assert course.certificate_validity_months is None
    assert course.completion_rule == Course.CompletionRule.QUIZZES_ONLY
    assert course.quiz_questions == 6


def test_switching_the_rule_says_how_many_learners_it_completed(
    staff_client, course, make_user, make_item
):
    """Two learners passed every quiz without marking its lesson read: under "quizzes only"
    they have completed, and the instructor is told so."""
    from courses.models import Lesson
    from courses.progress.services import enrollment_create, lesson_mark_complete
    from courses.quizzes.services import attempt_start, attempt_submit
    from tests.quizzes.conftest import answers

    lessons = list(Lesson.objects.filter(module__course=course).order_by("module", "position"))
    quiz_lesson, *others = lessons
    make_item(quiz_lesson)
    for _ in range(2):
        enrollment, _ = enrollment_create(user=make_user(), course=course)
        for lesson in others:
            lesson_mark_complete(enrollment=enrollment, lesson=lesson)
        attempt, _ = attempt_start(enrollment=enrollment, lesson=quiz_lesson)
        assert attempt_submit(attempt=attempt, answers=answers(attempt, right=1)).attempt.passed
    assert not course.enrollments.filter(completion__isnull=False).exists()

    response = staff_client.post(settings_url(course), VALID, follow=True)

    assert course.enrollments.filter(completion__isnull=False).count() == 2
    page = response.content.decode()
    assert "2 apprenant·es remplissent la nouvelle règle d’achèvement" in page


def test_the_page_explains_what_it_refuses_in_french(staff_client, course):
    response = staff_client.post(
        settings_url(course),
        {**VALID, "contact_hours": "0.2", "pass_mark": "120", "quiz_questions": "3"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Les paramètres n’ont pas été enregistrés" in page
    assert "Une formation dure au moins une demi-heure." in page
    assert "Le seuil de réussite est un pourcentage entre 1 et 100." in page
    assert "Une tentative compte entre 5 et 50 questions." in page
    course.refresh_from_db()
    assert (course.pass_mark, course.quiz_questions) == (80, 10)


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
def test_only_course_staff_and_admins_reach_the_settings(
    client, course, make_user, learner, instructor, who, expected
):
    course.instructors.add(instructor)
    users = {
        "anonymous": None,
        "learner": learner,
        "other instructor": make_user(role=User.Role.INSTRUCTOR),
        "course staff": instructor,
        "admin": make_user(is_superuser=True, is_staff=True),
    }
    if users[who] is not None:
        client.force_login(users[who])
    assert client.get(settings_url(course)).status_code == expected
    client.post(settings_url(course), {**VALID, "pass_mark": "1"})
    course.refresh_from_db()
    assert (course.pass_mark == 1) is (expected == 200)


def test_an_unknown_course_is_a_404(staff_client):
    assert staff_client.get("/courses/no-such-course/settings/").status_code == 404


def test_the_course_page_links_to_it_for_staff_only(staff_client, client, course, learner):
    assert settings_url(course) in staff_client.get(course.get_absolute_url()).content.decode()
    client.force_login(learner)
    assert settings_url(course) not in client.get(course.get_absolute_url()).content.decode()


def test_the_admin_edits_the_same_settings(client, make_user, course):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:courses_course_change", args=[course.pk])).content.decode()
    for field in VALID:
        assert f'name="{field}"' in page


def test_the_page_sets_when_the_right_answers_are_shown(staff_client, course):
    """A choice among three; a form that leaves it out keeps the course's own."""
    page = staff_client.get(settings_url(course)).content.decode()
    assert "Affichage des bonnes réponses" in page
    assert "Une fois le quiz réussi par l’apprenant" in page
    staff_client.post(settings_url(course), {**VALID, "review_release": "never"})
    course.refresh_from_db()
    assert course.review_release == Course.ReviewRelease.NEVER
    staff_client.post(settings_url(course), {**VALID})
    course.refresh_from_db()
    assert course.review_release == Course.ReviewRelease.NEVER
    response = staff_client.post(settings_url(course), {**VALID, "review_release": "sometimes"})
    assert response.status_code == 200  # refused, shown again with the error
    course.refresh_from_db()
    assert course.review_release == Course.ReviewRelease.NEVER
