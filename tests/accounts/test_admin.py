"""The admin as an administrator uses it (issue 19, admin slice): users in their own section,
roles shown right, instructor pickers that offer course staff only and search them, filters
and search on users, enrolments, attempts and certificates, lessons edited in the editor."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(
        email="admin@example.org", full_name="Admin", role="instructor", is_staff=True,
        is_superuser=True,
    )  # fmt: skip
    client.force_login(admin)
    return client


def sections(page: str) -> dict[str, str]:
    """The admin index's sections, each with its text."""
    import re

    found = {}
    for caption, body in re.findall(
        r'<caption>\s*<a[^>]*class="section"[^>]*>([^<]+)</a>\s*</caption>(.*?)</table>',
        page,
        re.S,
    ):
        found[caption.strip()] = body
    return found


def test_users_have_their_own_section(admin_client):
    index = sections(admin_client.get(reverse("admin:index")).content.decode())
    assert "Utilisateurs" in index["Comptes"]
    assert "Registre des accès" in index["Comptes"]
    assert "Utilisateurs" not in index["Formations"]
    assert "Inscriptions" in index["Formations"] or "inscriptions" in index["Formations"].lower()


def test_an_administrators_role_reads_as_such(admin_client):
    page = admin_client.get(reverse("admin:courses_user_changelist")).content.decode()
    assert "Administrateur·rice" in page


def test_instructor_pickers_offer_course_staff_only(admin_client, make_user, instructor, course):
    make_user(email="apprenante@example.org", full_name="Léa Apprenante")
    for model, field in (
        ("course", "instructors"),
        ("cohort", "co_instructors"),
        ("cohort", "owner"),
    ):
        answer = admin_client.get(
            reverse("admin:autocomplete"),
            {"app_label": "courses", "model_name": model, "field_name": field, "term": ""},
        )
        assert answer.status_code == 200
        names = [result["text"] for result in json.loads(answer.content)["results"]]
        assert instructor.full_name in names
        assert "Léa Apprenante" not in names
    change = admin_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    assert 'class="admin-autocomplete' in change.content.decode()


def test_lists_filter_and_search(admin_client, enrolled):
    for name in ("user", "enrollment", "quizattempt", "certificate"):
        url = reverse(f"admin:courses_{name}_changelist")
        page = admin_client.get(url, {"q": "example"})
        assert page.status_code == 200, name
        content = page.content.decode()
        assert 'id="changelist-search"' in content, name
        assert 'id="changelist-filter"' in content, name


def test_a_lesson_is_edited_in_the_courses_editor(admin_client, course):
    lesson = course.modules.first().lessons.first()
    page = admin_client.get(
        reverse("admin:courses_lesson_change", args=[lesson.pk])
    ).content.decode()
    editor = reverse("courses:lesson_edit", kwargs={"slug": course.slug, "pk": lesson.pk})
    assert f'href="{editor}"' in page
    assert 'name="text"' not in page
    assert "text_hash" not in page


def test_an_attempt_reads_as_the_questions_shown_and_the_answers_chosen(
    admin_client, enrolled, make_item
):
    """Not the JSON an attempt is kept in: each question, its answers in the order shown, the
    right one and the one the learner chose marked."""
    from courses.quizzes.services import attempt_start, attempt_submit
    from tests.quizzes.conftest import wrong_display

    lesson = enrolled.course.modules.first().lessons.first()
    make_item(lesson, stem="Le SRC est une … grave.")
    attempt, _created = attempt_start(enrollment=enrolled, lesson=lesson)
    attempt_submit(attempt=attempt, answers={0: wrong_display(attempt, 0)})
    page = admin_client.get(
        reverse("admin:courses_quizattempt_change", args=[attempt.pk])
    ).content.decode()
    snapshot = attempt.items[0]["snapshot"]
    assert "Le SRC est une … grave." in page
    assert '"snapshot"' not in page
    assert "&quot;snapshot&quot;" not in page
    right = snapshot["options"][snapshot["answer"]]
    chosen = snapshot["options"][attempt.items[0]["order"][wrong_display(attempt, 0)]]
    assert f"<li>{right} <strong>(bonne réponse)</strong></li>" in page
    assert f"<li>{chosen} <em>(choisie)</em></li>" in page
