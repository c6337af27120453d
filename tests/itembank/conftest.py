"""Fixtures for the review of the item bank: course staff, a lesson, items, a real course."""

from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Course, Lesson, QuestionItem
from tests.conftest import SEED_001

# A Redis and a Celery worker of the test's own, for the regeneration's worker test.
from tests.workers import (  # noqa: F401  (fixtures, found by pytest by their names)
    Deployment,
    WorkerOptions,
    broker,
    celery_worker,
    deployment,
    held_worker_options,
    redis_server,
)


@pytest.fixture
def worker_options(deployment: Deployment) -> WorkerOptions:  # noqa: F811  (the fixture)
    """Every worker these tests start can be held while it regenerates (``worker_hooks``;
    inactive unless REGENERATION_TEST_HOLD is set)."""
    return held_worker_options(
        deployment,
        hooks="tests.itembank.worker_hooks",
        hold_file_variable="REGENERATION_TEST_HOLD_FILE",
    )


def first_lesson(course: Course) -> Lesson:
    return (
        Lesson.objects.filter(module__course=course)
        .select_related("module__course")
        .order_by("module__position", "position")
        .first()
    )


def review_url(lesson: Lesson) -> str:
    return reverse(
        "courses:review_lesson", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
    )


def regenerate_url(lesson: Lesson) -> str:
    return reverse(
        "courses:review_regenerate", kwargs={"slug": lesson.module.course.slug, "pk": lesson.pk}
    )


def index_url(course: Course) -> str:
    return reverse("courses:review_index", kwargs={"slug": course.slug})


def decide_url(item: QuestionItem, course: Course | None = None) -> str:
    course = course or item.lesson.module.course
    return reverse("courses:item_review", kwargs={"slug": course.slug, "pk": item.pk})


def edit_url(item: QuestionItem, course: Course | None = None) -> str:
    course = course or item.lesson.module.course
    return reverse("courses:item_edit", kwargs={"slug": course.slug, "pk": item.pk})


# An edit that every item-writing check accepts (a question, four distinct options, the key
# not in the stem, no shared word between the stem and the key alone).
GOOD_EDIT = {
    "stem": "Quel type de réponse le syndrome de libération de cytokines provoque-t-il ?",
    "option_0": "Une réaction inflammatoire",
    "option_1": "Une infection virale",
    "option_2": "Une allergie alimentaire",
    "option_3": "Une carence vitaminique",
    "answer": "0",
    "explanation": "La libération massive de cytokines entraîne une inflammation.",
    "approve": "on",
}


@pytest.fixture
def lesson(course) -> Lesson:
    return first_lesson(course)


@pytest.fixture
def staff(instructor, course):
    """An instructor of the course: course staff."""
    course.instructors.add(instructor)
    return instructor


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def draft(lesson, make_item) -> QuestionItem:
    return make_item(lesson, status=QuestionItem.Status.DRAFT)


@pytest.fixture
def other_course(make_course, make_user):
    """Another course, with its own instructor."""
    from courses.models import User

    other = make_course(modules=1, lessons=1)
    other.instructors.add(make_user(role=User.Role.INSTRUCTOR))
    return other


@pytest.fixture
def imported_course(settings) -> Course:
    """The course imported from a real source document, its items generated and approved."""
    from courses.ingest import read_document
    from courses.ingest.services import documents_import
    from courses.itembank.services import course_items_generate

    document = read_document(
        SEED_001.read_bytes(), source=SEED_001.name, max_bytes=settings.COURSES_IMPORT_MAX_BYTES
    )
    course = documents_import(course_slug=None, documents=[document]).course
    course_items_generate(course=course, auto_approve=True)
    return course
