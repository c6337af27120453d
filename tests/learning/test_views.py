"""The catalogue, the course page, enrolment and the lesson reader, through HTTP."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from courses.models import Course, Enrollment, Lesson, LessonProgress

pytestmark = pytest.mark.django_db


def lessons_of(course: Course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course, archived_at__isnull=True).order_by(
            "module__position", "position"
        )
    )


def lesson_url(course: Course, lesson: Lesson) -> str:
    return reverse("courses:lesson", kwargs={"slug": course.slug, "pk": lesson.pk})


def test_catalogue_lists_published_courses_only(client, make_course):
    """Unpublished courses stay out of the catalogue."""
    shown = make_course(title="Soins de support")
    hidden = make_course(title="Brouillon", is_published=False)
    page = client.get(reverse("courses:catalog")).content.decode()
    assert shown.title in page
    assert hidden.title not in page
    assert "2 modules" in page
    assert "6 leçons" in page


def test_unpublished_course_is_404_for_learners_and_open_to_its_staff(
    client, make_course, learner, instructor
):
    """Course staff see their unpublished course; learners get a 404."""
    course = make_course(is_published=False)
    course.instructors.add(instructor)
    client.force_login(learner)
    assert client.get(course.get_absolute_url()).status_code == 404
    client.force_login(instructor)
    assert client.get(course.get_absolute_url()).status_code == 200


def test_anonymous_visitor_is_invited_to_log_in_to_enrol(client, course):
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Se connecter pour s’inscrire" in page
    assert f"?next=/courses/{course.slug}/" in page


def test_enrolment_is_one_click_and_idempotent(learner_client, learner, course):
    """Enrolling twice (double click) leaves one enrolment and lands on the first lesson."""
    url = reverse("courses:enroll", kwargs={"slug": course.slug})
    first = learner_client.post(url)
    second = learner_client.post(url)
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1
    resume = reverse("courses:resume", kwargs={"slug": course.slug})
    assert first.url == resume
    assert second.url == resume
    landing = learner_client.get(resume)
    assert landing.url == lesson_url(course, lessons_of(course)[0])


def test_enrolment_needs_a_login_and_a_post(learner_client, course):
    url = reverse("courses:enroll", kwargs={"slug": course.slug})
    response = Client().post(url)
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    assert learner_client.get(url).status_code == 405
    assert Enrollment.objects.count() == 0


def test_lesson_needs_an_enrolment(learner_client, course):
    """A learner who is not enrolled is sent to the course page to enrol."""
    response = learner_client.get(lesson_url(course, lessons_of(course)[0]))
    assert response.status_code == 302
    assert response.url == course.get_absolute_url()


def test_course_staff_preview_a_lesson_without_recording_progress(client, course, instructor):
    course.instructors.add(instructor)
    client.force_login(instructor)
    page = client.get(lesson_url(course, lessons_of(course)[0])).content.decode()
    assert "Aperçu" in page
    assert "Marquer comme terminée" not in page
    assert Enrollment.objects.count() == 0


def test_instructor_of_another_course_cannot_preview(client, make_course, instructor):
    """Being an instructor somewhere is not being staff of this course."""
    course = make_course()
    client.force_login(instructor)
    response = client.get(lesson_url(course, lessons_of(course)[0]))
    assert response.status_code == 302
    assert response.url == course.get_absolute_url()


def test_lesson_of_another_course_is_404(learner_client, make_course, learner):
    """A lesson id under another course's address is not found (no cross-course reading)."""
    from courses.progress.services import enrollment_create

    mine, other = make_course(), make_course()
    enrollment_create(user=learner, course=mine)
    foreign = lessons_of(other)[0]
    url = reverse("courses:lesson", kwargs={"slug": mine.slug, "pk": foreign.pk})
    assert learner_client.get(url).status_code == 404


def test_archived_lesson_is_404(learner_client, course, enrolled):
    lesson = lessons_of(course)[0]
    Lesson.objects.filter(pk=lesson.pk).update(archived_at="2026-01-01T00:00:00Z")
    assert learner_client.get(lesson_url(course, lesson)).status_code == 404


def test_lesson_page_has_previous_next_and_progress(learner_client, course, enrolled):
    lessons = lessons_of(course)
    page = learner_client.get(lesson_url(course, lessons[1])).content.decode()
    assert f'href="{lesson_url(course, lessons[0])}"' in page
    assert f'href="{lesson_url(course, lessons[2])}"' in page
    assert 'rel="prev"' in page
    assert 'rel="next"' in page
    assert "Leçon 2 sur 6" in page
    assert '<progress id="lesson-progress" max="100" value="0"' in page


def test_marking_a_lesson_complete_moves_the_progress_bar(learner_client, course, enrolled):
    """One lesson read out of six: 16 %, and the reader goes on to the next lesson."""
    lessons = lessons_of(course)
    url = reverse("courses:lesson_complete", kwargs={"slug": course.slug, "pk": lessons[0].pk})
    response = learner_client.post(url)
    assert response.url == lesson_url(course, lessons[1])
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert '<progress id="course-progress" max="100" value="16"' in page
    assert "1 leçon lue sur 6" in page


def test_marking_complete_twice_keeps_the_first_date(learner_client, course, enrolled):
    lesson = lessons_of(course)[0]
    url = reverse("courses:lesson_complete", kwargs={"slug": course.slug, "pk": lesson.pk})
    learner_client.post(url)
    first = LessonProgress.objects.get(enrollment=enrolled, lesson=lesson).completed_at
    learner_client.post(url)
    assert LessonProgress.objects.filter(enrollment=enrolled).count() == 1
    assert LessonProgress.objects.get(enrollment=enrolled, lesson=lesson).completed_at == first


def test_last_lesson_completion_returns_to_the_course(learner_client, course, enrolled):
    last = lessons_of(course)[-1]
    url = reverse("courses:lesson_complete", kwargs={"slug": course.slug, "pk": last.pk})
    assert learner_client.post(url).url == course.get_absolute_url()


def test_marking_complete_needs_the_csrf_token(learner, course, enrolled):
    """A forged cross-site POST is refused and records nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    lesson = lessons_of(course)[0]
    url = reverse("courses:lesson_complete", kwargs={"slug": course.slug, "pk": lesson.pk})
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    assert not LessonProgress.objects.exists()


def test_marking_complete_without_enrolment_records_nothing(learner_client, course):
    lesson = lessons_of(course)[0]
    url = reverse("courses:lesson_complete", kwargs={"slug": course.slug, "pk": lesson.pk})
    assert learner_client.post(url).url == course.get_absolute_url()
    assert not LessonProgress.objects.exists()


def test_resume_returns_to_the_last_lesson_opened(learner_client, course, enrolled):
    lessons = lessons_of(course)
    learner_client.get(lesson_url(course, lessons[3]))
    resume = learner_client.get(reverse("courses:resume", kwargs={"slug": course.slug}))
    assert resume.url == lesson_url(course, lessons[3])
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert f'href="{lesson_url(course, lessons[3])}"' in page
    dashboard = learner_client.get(reverse("courses:dashboard")).content.decode()
    assert "Reprendre" in dashboard
    assert reverse("courses:resume", kwargs={"slug": course.slug}) in dashboard


def test_a_changed_lesson_must_be_read_again(learner_client, course, enrolled):
    """Progress counts for the text the learner read; a new version is unread."""
    lesson = lessons_of(course)[0]
    learner_client.post(
        reverse("courses:lesson_complete", kwargs={"slug": course.slug, "pk": lesson.pk})
    )
    lesson.text += "\n\nNouvelle recommandation de surveillance."
    lesson.save()
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert "0 leçon lue sur 6" in page


def test_lesson_html_never_carries_script(learner_client, course, enrolled):
    """Even text written straight into the database is sanitised at display."""
    lesson = lessons_of(course)[0]
    lesson.text = (
        "Texte <script>alert('x')</script> et <img src=x onerror=alert(1)> "
        '[lien](javascript:alert(1)) <a href="javascript:alert(2)">a</a>'
    )
    lesson.save()
    page = learner_client.get(lesson_url(course, lesson)).content.decode()
    assert "<script>alert" not in page
    assert "onerror" not in page
    assert 'href="javascript' not in page.lower()
    assert '<a rel="noopener noreferrer">a</a>' in page  # the link lost its href


def test_lesson_body_is_cached_by_content(learner_client, course, enrolled):
    lesson = lessons_of(course)[0]
    learner_client.get(lesson_url(course, lesson))
    assert cache.get(f"lesson-html:{lesson.pk}:{lesson.text_hash}") is not None


def test_pages_carry_a_strict_content_security_policy(client, course):
    policy = client.get(course.get_absolute_url())["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_unknown_course_is_a_french_404(client):
    response = client.get("/courses/inconnue/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_cached_outline_follows_a_renamed_lesson(learner_client, course, enrolled):
    """The outline is cached; a change to a lesson shows on the next request."""
    lesson = lessons_of(course)[0]
    assert lesson.title in learner_client.get(course.get_absolute_url()).content.decode()
    lesson.title = "Surveillance de la fièvre"
    lesson.save()
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert "Surveillance de la fièvre" in page
