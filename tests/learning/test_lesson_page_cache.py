"""A lesson page's course, lesson and quiz size come from the cache (issue 20), and never stale:
each write that changes them renews the course's stamp, and a page cached under an older stamp
is read again from the database."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courses.learning.selectors import _course_key, _page_key, lesson_page
from courses.models import Course, Lesson, QuestionItem
from courses.models.catalog import course_stamp_key
from courses.progress.services import enrollment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, learner, make_course):
    """A learner enrolled in a published course, on its first lesson; ``read()`` GETs it."""
    course = make_course(modules=1, lessons=2, is_published=True)
    enrollment_create(user=learner, course=course)
    lesson = Lesson.objects.filter(module__course=course).order_by("position").first()
    client.force_login(learner)

    def read(slug: str | None = None):
        return client.get(
            reverse("courses:lesson", kwargs={"slug": slug or course.slug, "pk": lesson.pk})
        )

    read.course, read.lesson = course, lesson
    return read


def test_a_second_reading_reads_the_lesson_and_its_course_from_the_cache(
    reader, make_item, django_assert_num_queries
):
    for _ in range(5):
        make_item(reader.lesson)
    assert reader().status_code == 200
    assert cache.get(_page_key(reader.lesson.pk)) is not None
    # The user, the learner's enrolment with progress, their attempts: nothing of the lesson,
    # its course or its questions.
    with django_assert_num_queries(3) as queries:
        assert reader().status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "courses_lesson" not in tables.replace("courses_lessonprogress", "")
    assert "courses_questionitem" not in tables


def test_a_lesson_renamed_or_rewritten_shows_at_once(reader):
    reader()
    lesson = Lesson.objects.get(pk=reader.lesson.pk)
    lesson.title = "Surveiller la fièvre"
    lesson.text = "La fièvre est le premier signe du syndrome."
    lesson.save()
    page = reader().content.decode()
    assert "Surveiller la fièvre" in page
    assert "La fièvre est le premier signe du syndrome." in page


def test_an_archived_lesson_is_gone_at_once(reader):
    reader()
    lesson = Lesson.objects.get(pk=reader.lesson.pk)
    lesson.archived_at = timezone.now()
    lesson.save()
    assert reader().status_code == 404


def test_an_unpublished_course_closes_its_lessons_to_learners_at_once(reader):
    reader()
    course = Course.objects.get(pk=reader.course.pk)
    course.is_published = False
    course.save()
    assert reader().status_code == 404


def test_a_new_slug_moves_the_lessons_at_once(reader):
    old = reader.course.slug
    reader()
    course = Course.objects.get(pk=reader.course.pk)
    course.slug = "nouvelle-adresse"
    course.save()
    assert reader(old).status_code == 404
    assert reader("nouvelle-adresse").status_code == 200


def test_a_question_approved_or_deleted_shows_in_the_quiz_box_at_once(reader, make_item):
    assert 'aria-labelledby="quiz-title"' not in reader().content.decode()
    items = [
        make_item(reader.lesson, status=QuestionItem.Status.DRAFT, fingerprint=f"f{n}")
        for n in range(3)
    ]
    assert 'aria-labelledby="quiz-title"' not in reader().content.decode()
    for item in items:
        item.status = QuestionItem.Status.APPROVED
        item.save()
    page = reader().content.decode()
    assert 'aria-labelledby="quiz-title"' in page
    for item in items:
        item.delete()
    assert 'aria-labelledby="quiz-title"' not in reader().content.decode()


def test_a_course_setting_changed_shows_at_once(reader, make_item):
    for _ in range(5):
        make_item(reader.lesson)
    assert "4 bonnes réponses sur 5" in reader().content.decode()  # 80 %, the default
    course = Course.objects.get(pk=reader.course.pk)
    course.pass_mark = 60
    course.save()
    assert "3 bonnes réponses sur 5" in reader().content.decode()


def test_a_lost_stamp_is_never_taken_for_a_fresh_page(reader):
    """A write that went round the models (an update()) and a stamp evicted from the cache:
    the page cached before is not served, it is read again."""
    reader()
    Lesson.objects.filter(pk=reader.lesson.pk).update(title="Écrit sans save()")
    cache.delete(course_stamp_key(reader.course.slug))
    assert "Écrit sans save()" in reader().content.decode()


def test_a_page_cached_under_an_older_stamp_is_read_again(reader, learner):
    """As when a request cached what it read just before another's commit renewed the stamp."""
    reader()
    stale = lesson_page(slug=reader.course.slug, pk=reader.lesson.pk, user=learner)
    Lesson.objects.filter(pk=reader.lesson.pk).update(title="Après la validation")
    cache.set(_page_key(reader.lesson.pk), ("older-stamp", stale))
    assert "Après la validation" in reader().content.decode()


def test_the_course_page_reads_its_course_from_the_cache_and_never_stale(
    client, learner, make_course, django_assert_max_num_queries
):
    course = make_course(modules=1, lessons=2, is_published=True, title="Cytokines")
    enrollment_create(user=learner, course=course)
    client.force_login(learner)
    url = reverse("courses:course", kwargs={"slug": course.slug})
    assert client.get(url).status_code == 200
    cached = cache.get(_course_key(course.slug))
    assert cached is not None
    # The course and its outline, under the stamp: one round trip to the cache for both.
    assert cached[1].course.pk == course.pk
    assert len(cached[1].outline.lessons) == 2
    with django_assert_max_num_queries(4) as queries:
        assert client.get(url).status_code == 200
    assert not any('FROM "courses_course"' in q["sql"] for q in queries.captured_queries)
    course = Course.objects.get(pk=course.pk)
    course.title = "Cytokines et immunothérapie"
    course.save()
    assert "Cytokines et immunothérapie" in client.get(url).content.decode()
    course.is_published = False
    course.save()
    assert client.get(url).status_code == 404


def test_the_admins_bulk_deletion_leaves_no_cached_page_behind(reader, make_user, make_item):
    """Django's admin deletes a selection with one queryset.delete(), round the models'
    delete(): here it goes through them, and the lesson page follows at once."""
    from django.test import Client

    items = [make_item(reader.lesson) for _ in range(5)]
    assert 'aria-labelledby="quiz-title"' in reader().content.decode()
    admin = Client()
    admin.force_login(make_user(is_staff=True, is_superuser=True))

    def bulk_delete(model: str, pks: list[int]) -> None:
        response = admin.post(
            reverse(f"admin:courses_{model}_changelist"),
            {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
        )
        assert response.status_code == 302

    bulk_delete("questionitem", [item.pk for item in items])
    assert not QuestionItem.objects.filter(lesson=reader.lesson).exists()
    assert 'aria-labelledby="quiz-title"' not in reader().content.decode()
    bulk_delete("lesson", [reader.lesson.pk])
    assert reader().status_code == 404


def test_a_lesson_added_shows_in_the_outline_of_the_others_at_once(reader):
    reader()
    Lesson.objects.create(
        module=reader.lesson.module, title="Leçon ajoutée", position=9, text="Un texte."
    )
    assert "Leçon ajoutée" in reader().content.decode()
