"""When a course is complete: the rules, and the moment the completion is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.catalog.selectors import course_outline
from courses.ingest import read_document
from courses.ingest.services import documents_import
from courses.models import Course, CourseCompletion, Lesson, Module, QuestionItem
from courses.progress import rules
from courses.progress.selectors import progress_for
from courses.progress.services import (
    completion_record_if_due,
    enrollment_create,
    lesson_mark_complete,
)
from courses.quizzes.services import attempt_start, attempt_submit
from tests.conftest import SEED_000, SEED_001
from tests.quizzes.conftest import answers

# --- the rules (pure) -------------------------------------------------------------------------


def state(*, read: bool, has_quiz: bool = False, passed: bool = False) -> rules.LessonState:
    return rules.LessonState(lesson_id=1, read=read, has_quiz=has_quiz, quiz_passed=passed)


@pytest.mark.parametrize(
    ("lesson", "lessons_and_quizzes", "quizzes_only"),
    [
        (state(read=False), False, False),
        (state(read=True), True, True),
        (state(read=True, has_quiz=True), False, False),
        (state(read=False, has_quiz=True, passed=True), False, True),
        (state(read=True, has_quiz=True, passed=True), True, True),
    ],
    ids=[
        "unread, no quiz",
        "read, no quiz",
        "read, quiz not passed",
        "quiz passed, unread",
        "read and passed",
    ],
)
def test_a_lesson_is_done_under_each_rule(lesson, lessons_and_quizzes, quizzes_only):
    assert rules.lesson_done(lesson, rule=rules.LESSONS_AND_QUIZZES) is lessons_and_quizzes
    assert rules.lesson_done(lesson, rule=rules.QUIZZES_ONLY) is quizzes_only


def test_a_course_without_lessons_is_never_complete():
    assert not rules.course_complete([], rule=rules.LESSONS_AND_QUIZZES)
    assert not rules.course_complete([], rule=rules.QUIZZES_ONLY)


def test_the_rule_names_are_the_model_choices():
    assert {rules.LESSONS_AND_QUIZZES, rules.QUIZZES_ONLY} == set(Course.CompletionRule.values)


# --- recording the completion -----------------------------------------------------------------


def lessons_of(course) -> list[Lesson]:
    return list(
        Lesson.objects.filter(module__course=course, archived_at__isnull=True).order_by(
            "module__position", "position"
        )
    )


def take_quiz(enrollment, lesson, *, right: bool = True):
    attempt, _created = attempt_start(enrollment=enrollment, lesson=lesson)
    return attempt_submit(
        attempt=attempt, answers=answers(attempt, right=len(attempt.items) * right)
    ).attempt


def completion_of(enrollment) -> CourseCompletion | None:
    return CourseCompletion.objects.filter(enrollment=enrollment).first()


@pytest.fixture
def quiz_course(make_course, make_item):
    """Three lessons; the second has a quiz, the third only a draft question (so no quiz)."""
    course = make_course(modules=1, lessons=3)
    _first, second, third = lessons_of(course)
    make_item(second)
    make_item(second)
    make_item(third, status=QuestionItem.Status.DRAFT)
    return course


@pytest.fixture
def enrollment(learner, quiz_course):
    enrollment, _created = enrollment_create(user=learner, course=quiz_course)
    return enrollment


@pytest.mark.django_db
def test_every_lesson_read_and_every_quiz_passed_completes_at_the_last_lesson_read(enrollment):
    """Default rule. A lesson without an approved question (the third) counts once read; the
    completion is recorded by the very request that meets the last condition."""
    first, second, third = lessons_of(enrollment.course)
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    attempt = take_quiz(enrollment, second)
    assert attempt.passed
    assert completion_of(enrollment) is None  # the second lesson is not read yet
    lesson_mark_complete(enrollment=enrollment, lesson=third)
    assert completion_of(enrollment) is None
    before = timezone.now()
    progress = lesson_mark_complete(enrollment=enrollment, lesson=second)
    completion = completion_of(enrollment)
    assert completion is not None
    assert before <= completion.completed_at <= timezone.now()
    assert completion.completed_at >= progress.completed_at
    assert completion.rule == Course.CompletionRule.LESSONS_AND_QUIZZES


@pytest.mark.django_db
def test_the_quiz_passed_last_completes_the_course_at_its_submission(enrollment):
    first, second, third = lessons_of(enrollment.course)
    for lesson in (first, second, third):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    failed = take_quiz(enrollment, second, right=False)
    assert not failed.passed
    assert completion_of(enrollment) is None
    passed = take_quiz(enrollment, second)
    completion = completion_of(enrollment)
    assert completion is not None
    assert passed.submitted_at <= completion.completed_at <= timezone.now()


@pytest.mark.django_db
def test_quizzes_only_needs_the_quiz_not_its_reading(learner, quiz_course):
    """ "quizzes_only": a lesson with a quiz is done once its quiz is passed, read or not; a
    lesson without one, once read."""
    Course.objects.filter(pk=quiz_course.pk).update(
        completion_rule=Course.CompletionRule.QUIZZES_ONLY
    )
    enrollment, _ = enrollment_create(user=learner, course=quiz_course)
    first, second, third = lessons_of(quiz_course)
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    lesson_mark_complete(enrollment=enrollment, lesson=third)
    assert completion_of(enrollment) is None
    take_quiz(enrollment, second)
    completion = completion_of(enrollment)
    assert completion is not None
    assert completion.rule == Course.CompletionRule.QUIZZES_ONLY


@pytest.mark.django_db
def test_a_course_without_quizzes_completes_once_every_lesson_is_read(learner, course):
    enrollment, _ = enrollment_create(user=learner, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
        assert completion_of(enrollment) is None
    lesson_mark_complete(enrollment=enrollment, lesson=lessons[-1])
    assert completion_of(enrollment) is not None


@pytest.mark.django_db
def test_reading_an_older_text_does_not_count(learner, course):
    """A lesson read before its text changed is unread again until read anew."""
    enrollment, _ = enrollment_create(user=learner, course=course)
    first, *others = lessons_of(course)
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    first.text += "\n\nUn paragraphe ajouté."
    first.save()
    for lesson in others:
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    assert completion_of(enrollment) is None
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    assert completion_of(enrollment) is not None


@pytest.mark.django_db
def test_a_completion_stands_when_the_course_gains_a_lesson(learner, course):
    enrollment, _ = enrollment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    completion = completion_of(enrollment)
    assert completion is not None

    module = Module.objects.filter(course=course).first()
    Lesson.objects.create(
        module=module, title="Une leçon ajoutée", position=99, text="Nouveau.", text_hash=""
    )
    assert completion_record_if_due(enrollment=enrollment) == completion
    assert completion_of(enrollment) == completion
    assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1


def import_documents(settings, slug: str, *documents: tuple[str, bytes]):
    parsed = [
        read_document(data, source=name, max_bytes=settings.COURSES_IMPORT_MAX_BYTES)
        for name, data in documents
    ]
    return documents_import(course_slug=slug, documents=parsed)


@pytest.mark.django_db
def test_a_completion_stands_through_a_re_import_that_changes_and_adds_lessons(learner, settings):
    """Re-importing a document with a changed lesson (its version goes up), then importing
    another document into the course (new lessons): the learner keeps the completion."""
    original = SEED_000.read_bytes()
    course = import_documents(settings, "reimport", (SEED_000.name, original)).course
    enrollment, _ = enrollment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    completion = completion_of(enrollment)
    assert completion is not None

    changed = original.replace(b"relativement rare", b"rare, mais en augmentation")
    assert changed != original
    report = import_documents(settings, "reimport", (SEED_000.name, changed))
    assert report.modules[0].lessons_updated == 1
    report = import_documents(settings, "reimport", (SEED_001.name, SEED_001.read_bytes()))
    assert report.modules[0].lessons_created == 5

    assert completion_record_if_due(enrollment=enrollment) == completion
    assert CourseCompletion.objects.get(enrollment=enrollment).completed_at == (
        completion.completed_at
    )
    # The course itself now has lessons the learner has not read: progress says so.
    course.refresh_from_db()
    progress = progress_for(enrollment=enrollment, outline=course_outline(course=course))
    assert progress.done == 1
    assert progress.total == 7


@pytest.mark.django_db
def test_a_completion_is_recorded_once_when_asked_twice(
    learner, course, django_capture_on_commit_callbacks
):
    """Two calls (a double submit, two tabs): one completion, one certificate owed."""
    enrollment, _ = enrollment_create(user=learner, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    with django_capture_on_commit_callbacks() as first_callbacks:
        lesson_mark_complete(enrollment=enrollment, lesson=lessons[-1])
    first = completion_of(enrollment)
    with django_capture_on_commit_callbacks() as second_callbacks:
        again = completion_record_if_due(enrollment=enrollment)
        lesson_mark_complete(enrollment=enrollment, lesson=lessons[-1])
    assert again == first
    assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1
    assert len(first_callbacks) == 1  # the certificate's publication, once
    assert second_callbacks == []


def test_a_completion_recorded_while_the_learner_waited_is_read_afresh(
    learner, course, django_capture_on_commit_callbacks
):
    """The enrolment came with no completion (read before a wait for its lock), but one was
    recorded meanwhile: the fresh reading finds it, no second one, no second certificate."""
    from django.db import transaction

    from courses.progress.services import enrollment_lock

    enrollment, _ = enrollment_create(user=learner, course=course)
    for lesson in lessons_of(course):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    recorded = completion_of(enrollment)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        locked = enrollment_lock(pk=enrollment.pk)
        locked.completion = None  # as read before the completion was recorded
        assert completion_record_if_due(enrollment=locked) == recorded
    assert CourseCompletion.objects.filter(enrollment=enrollment).count() == 1
    assert callbacks == []


def test_a_completion_recorded_by_a_course_change_meanwhile_is_kept(
    learner, course, django_capture_on_commit_callbacks, monkeypatch
):
    """A change to the course recorded the learner's completion after her reading (it holds no
    learner's lock): hers goes in as one statement that keeps the row already there."""
    from courses.progress import services
    from courses.progress.selectors import CompletionReading

    enrollment, _ = enrollment_create(user=learner, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    earlier = timezone.now() - timedelta(minutes=1)
    read = services.completion_reading

    def reading_then_recorded_elsewhere(**kwargs):  # type: ignore[no-untyped-def]
        reading = read(**kwargs)
        CourseCompletion.objects.create(
            enrollment=enrollment, completed_at=earlier, rule=course.completion_rule
        )
        return CompletionReading(completed=False, states=reading.states)

    monkeypatch.setattr(services, "completion_reading", reading_then_recorded_elsewhere)
    with django_capture_on_commit_callbacks():
        lesson_mark_complete(enrollment=enrollment, lesson=lessons[-1])
    kept = CourseCompletion.objects.get(enrollment=enrollment)
    assert kept.completed_at == earlier


# --- the course moves under the learner -------------------------------------------------------
# Staff change the rule, withdraw a lesson's quiz, or a re-import archives a lesson: whoever now
# meets every condition has completed at that moment, recorded in the change's own transaction.


def settings_with(course, **changes):
    from courses.progress.services import course_settings_update

    fields = {
        name: getattr(course, name)
        for name in (
            "contact_hours",
            "completion_rule",
            "certificate_validity_months",
            "pass_mark",
            "max_attempts",
        )
    }
    return course_settings_update(course=course, **{**fields, **changes})


@pytest.mark.django_db
def test_switching_to_quizzes_only_completes_who_now_meets_it(
    learner, make_user, quiz_course, django_capture_on_commit_callbacks
):
    enrollment, _ = enrollment_create(user=learner, course=quiz_course)
    first, second, third = lessons_of(quiz_course)
    lesson_mark_complete(enrollment=enrollment, lesson=first)
    lesson_mark_complete(enrollment=enrollment, lesson=third)
    take_quiz(enrollment, second)  # passed, but the lesson itself not marked read
    idle, _ = enrollment_create(user=make_user(), course=quiz_course)
    assert completion_of(enrollment) is None

    with django_capture_on_commit_callbacks() as callbacks:
        settings_with(quiz_course, completion_rule=Course.CompletionRule.QUIZZES_ONLY)

    completion = completion_of(enrollment)
    assert completion is not None
    assert completion.rule == Course.CompletionRule.QUIZZES_ONLY
    # Its certificate's publication, on commit (and the course's cache stamp, renewed).
    published = [c for c in callbacks if "course_stamps_renew" not in c.__qualname__]
    assert len(published) == 1
    assert completion_of(idle) is None


@pytest.mark.django_db
def test_saving_the_settings_without_changing_the_rule_looks_at_no_learner(learner, quiz_course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enrollment, _ = enrollment_create(user=learner, course=quiz_course)
    take_quiz(enrollment, lessons_of(quiz_course)[1])
    with CaptureQueriesContext(connection) as captured:
        settings_with(quiz_course, pass_mark=70)
    statements = [query["sql"] for query in captured.captured_queries]
    assert any(sql.startswith("UPDATE") for sql in statements)
    assert not [sql for sql in statements if "courses_enrollment" in sql]
    assert completion_of(enrollment) is None


@pytest.mark.django_db
def test_withdrawing_a_lessons_last_approved_question_completes_who_read_everything(
    enrollment, instructor
):
    """The learner read every lesson and failed the second's quiz. Staff reject its questions:
    once the last is gone the lesson has no quiz any more, and the learner has done the course."""
    from courses.itembank.services import item_review

    first, second, third = lessons_of(enrollment.course)
    for lesson in (first, second, third):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    assert not take_quiz(enrollment, second, right=False).passed
    one, other = QuestionItem.objects.filter(lesson=second, status="approved")

    item_review(item=one, status=QuestionItem.Status.REJECTED, reviewer=instructor)
    assert completion_of(enrollment) is None  # the other question still makes a quiz
    item_review(item=other, status=QuestionItem.Status.REJECTED, reviewer=instructor)
    assert completion_of(enrollment) is not None


@pytest.mark.django_db
def test_a_re_import_that_drops_the_unread_lesson_completes_the_course(learner, settings):
    original = SEED_001.read_bytes()
    course = import_documents(settings, "recheck", (SEED_001.name, original)).course
    enrollment, _ = enrollment_create(user=learner, course=course)
    *read, conclusion = lessons_of(course)
    assert conclusion.title == "Conclusion"
    for lesson in read:
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    assert completion_of(enrollment) is None

    start = original.index(b"\nConclusion\n")
    end = original.index(b"\nSujet\n")
    import_documents(settings, "recheck", (SEED_001.name, original[:start] + original[end:]))

    conclusion.refresh_from_db()
    assert conclusion.archived_at is not None
    assert completion_of(enrollment) is not None


@pytest.mark.django_db
def test_the_recheck_counts_what_it_records_and_leaves_the_rest(learner, make_user, course):
    from courses.progress.services import completions_recheck

    done, _ = enrollment_create(user=learner, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        lesson_mark_complete(enrollment=done, lesson=lesson)
    halfway, _ = enrollment_create(user=make_user(), course=course)
    lesson_mark_complete(enrollment=halfway, lesson=lessons[0])
    enrollment_create(user=make_user(), course=course)
    assert completions_recheck(course=course) == 0

    Lesson.objects.filter(pk=lessons[-1].pk).update(archived_at=timezone.now())
    course.save(update_fields=["updated_at"])  # the outline is cached under it
    assert completions_recheck(course=course, chunk=1) == 1
    assert completions_recheck(course=course) == 0
    assert CourseCompletion.objects.count() == 1
    assert completion_of(done) is not None
    assert completion_of(halfway) is None


@pytest.mark.django_db
def test_the_recheck_reads_any_number_of_learners_in_the_same_queries(
    make_user, course, django_assert_max_num_queries
):
    """Three queries of states per chunk, whatever the number of learners in it; only the
    learners it completes cost more."""
    from courses.progress.services import completions_recheck

    lessons = lessons_of(course)
    for _ in range(30):
        enrollment, _ = enrollment_create(user=make_user(), course=course)
        lesson_mark_complete(enrollment=enrollment, lesson=lessons[0])
    course_outline(course=course)  # cached, as on the site
    with django_assert_max_num_queries(4):  # candidates, progress, quizzes, passes
        assert completions_recheck(course=course) == 0


@pytest.mark.django_db
def test_a_completion_recorded_meanwhile_is_kept_and_the_others_inserted(
    learner, make_user, course
):
    """The learner's own step completed one of the batch between the recheck's read and its
    insert: the bulk insert gives way to one insert each, and nobody gets two completions."""
    from courses.progress.services import _completions_insert

    first, _ = enrollment_create(user=learner, course=course)
    second, _ = enrollment_create(user=make_user(), course=course)
    earlier = CourseCompletion.objects.create(
        enrollment=first, completed_at=timezone.now(), rule=course.completion_rule
    )
    inserted = _completions_insert(enrollments=[first, second], rule=course.completion_rule)
    assert inserted == [CourseCompletion.objects.get(enrollment=second).pk]
    assert CourseCompletion.objects.get(enrollment=first) == earlier
    assert CourseCompletion.objects.count() == 2
