"""Course staff present the course: description, audience, objectives; the catalogue card and
the course page show them with the hours."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Course

pytestmark = pytest.mark.django_db

DATA = {
    "description": "Repérer et surveiller le syndrome de libération de cytokines.",
    "audience": "Infirmier·es d’oncologie et d’hématologie.",
    "objectives": "Reconnaître les signes précoces\n\n  Surveiller les constantes  ",
}


def url(course) -> str:
    return reverse("courses:course_presentation", kwargs={"slug": course.slug})


def test_staff_write_the_presentation_and_learners_see_it(client, course, instructor, learner):
    course.instructors.add(instructor)
    client.force_login(instructor)
    assert client.get(url(course)).status_code == 200
    response = client.post(url(course), DATA, follow=True)
    assert "La présentation de la formation est enregistrée." in response.content.decode()
    course.refresh_from_db()
    assert course.objectives == "Reconnaître les signes précoces\nSurveiller les constantes"
    assert course.audience == DATA["audience"]

    client.force_login(learner)
    catalogue = client.get(reverse("courses:catalog")).content.decode()
    assert DATA["description"] in catalogue
    assert "Infirmier·es d’oncologie et d’hématologie." in catalogue
    assert "2\u00a0heures" in catalogue or "2 heures" in catalogue
    page = client.get(course.get_absolute_url()).content.decode()
    assert "<li>Reconnaître les signes précoces</li>" in page
    assert "<li>Surveiller les constantes</li>" in page
    assert "Public visé" in page
    assert DATA["description"] in page


def test_only_the_courses_staff_present_it(client, course, learner, other_instructor):
    for user in (learner, other_instructor):
        client.force_login(user)
        assert client.get(url(course)).status_code == 403
        assert client.post(url(course), DATA).status_code == 403
    assert Course.objects.get(pk=course.pk).audience == ""


def test_a_text_too_long_is_refused_in_french_and_nothing_is_saved(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    response = client.post(url(course), {**DATA, "audience": "x" * 1001})
    assert response.status_code == 200
    assert "La présentation n’a pas été enregistrée" in response.content.decode()
    assert Course.objects.get(pk=course.pk).description == ""
