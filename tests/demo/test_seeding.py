"""seed_cohort and setup_demo (demo/): seeded learners whose rows are what the real services would
leave."""

from __future__ import annotations

import io
import statistics
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

LEARNERS = 120
SEED = 3


@pytest.fixture
def quiz_course(make_course, make_item):
    """Two modules of three lessons; five of them with a quiz of four items, the last none."""
    from courses.models import Lesson

    course = make_course(modules=2, lessons=3)
    lessons = list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position")
    )
    for lesson in lessons[:-1]:
        for answer in range(4):
            make_item(lesson, answer=answer)
    return course


def _seed(course, owner, *, learners=LEARNERS, seed=SEED, **options) -> tuple[object, str]:
    from courses.models import Cohort

    out = io.StringIO()
    call_command(
        "seed_cohort",
        learners=learners,
        course=course.slug,
        owner=owner.email,
        seed=seed,
        stdout=out,
        **options,
    )
    return Cohort.objects.latest("pk"), out.getvalue()


def test_seed_cohort_makes_exactly_n_members(quiz_course, instructor):
    """The command makes the cohort with exactly N learners, each enrolled in its course with
    an unusable password and a valid RPPS number or none, and says where its dashboard is."""
    from courses.models import CohortMembership, User
    from courses.validators import validate_rpps

    cohort, output = _seed(quiz_course, instructor)
    members = CohortMembership.objects.filter(cohort=cohort).select_related("enrollment__user")
    assert members.count() == LEARNERS
    assert cohort.course_id == quiz_course.pk
    assert cohort.owner_id == instructor.pk
    assert cohort.starts_on <= cohort.deadline <= cohort.ends_on
    users = [m.enrollment.user for m in members]
    assert len({u.pk for u in users}) == LEARNERS
    assert all(m.enrollment.course_id == quiz_course.pk for m in members)
    assert all(u.role == User.Role.LEARNER and not u.has_usable_password() for u in users)
    assert all(u.full_name and u.email.endswith("example.org") for u in users)
    with_rpps = [u.professional_id for u in users if u.professional_id]
    assert 0 < len(with_rpps) < LEARNERS
    for rpps in with_rpps:
        validate_rpps(rpps)
    assert f"{LEARNERS} learners" in output or f"{LEARNERS} apprenants" in output
    url = reverse("courses:cohort_dashboard", kwargs={"pk": cohort.pk})
    assert url in output


def test_a_seeded_cohort_has_invitations_waiting_one_expired(quiz_course, instructor, mailoutbox):
    """Three invitations nobody accepted, counted as sent (none owed, no e-mail), one past its
    expiry: re-sending can be tried on the demo."""
    from courses.cohorts.services import invitations_send_owed
    from courses.models import Invitation

    cohort, _output = _seed(quiz_course, instructor)
    invitations = list(Invitation.objects.filter(cohort=cohort))
    assert len(invitations) == 3
    assert all(i.sent_at and i.accepted_at is None for i in invitations)
    assert [i.email for i in invitations if i.expired] == ["nadia.cherif@invitations.example.org"]
    assert invitations_send_owed() == 0
    assert mailoutbox == []


def test_seeded_attempts_are_graded_as_the_quiz_grades_them(quiz_course, instructor):
    """Each attempt holds its questions as attempt_start stores them (the item's snapshot and
    an order of its options); a submitted attempt's score is its answers marked correct, each
    marked correct exactly when the option chosen is the key; an open attempt is ungraded."""
    from courses.models import AttemptAnswer, QuestionItem, QuizAttempt
    from courses.quizzes import scoring
    from courses.quizzes.services import item_snapshot

    cohort, _output = _seed(quiz_course, instructor)
    attempts = list(
        QuizAttempt.objects.filter(enrollment__cohort_memberships__cohort=cohort).order_by("pk")
    )
    assert attempts
    items = QuestionItem.objects.in_bulk()
    answers = defaultdict(list)
    for answer in AttemptAnswer.objects.filter(attempt__in=attempts):
        answers[answer.attempt_id].append(answer)
    numbers = defaultdict(list)
    submitted = 0
    for attempt in attempts:
        numbers[(attempt.enrollment_id, attempt.lesson_id)].append(attempt.number)
        assert attempt.total == len(attempt.items) > 0
        assert attempt.pass_mark == quiz_course.pass_mark
        for question in attempt.items:
            assert set(question) == {"item", "snapshot", "order"}
            item = items[question["item"]]
            assert item.lesson_id == attempt.lesson_id
            assert question["snapshot"] == item_snapshot(item)
            assert sorted(question["order"]) == list(range(len(item.options)))
        given = answers[attempt.pk]
        assert len({a.position for a in given}) == len(given)
        for answer in given:
            assert answer.item_id == attempt.items[answer.position]["item"]
            assert attempt.started_at <= answer.answered_at
        if attempt.submitted_at is None:
            assert attempt.score is None
            assert attempt.passed is None
            assert all(answer.is_correct is None for answer in given)
            continue
        submitted += 1
        assert attempt.started_at < attempt.submitted_at
        for answer in given:
            key = attempt.items[answer.position]["snapshot"]["answer"]
            assert answer.is_correct == (answer.option == key)
            assert answer.answered_at <= attempt.submitted_at
        assert attempt.score == sum(bool(a.is_correct) for a in given)
        assert attempt.passed == scoring.passed(
            score=attempt.score, total=attempt.total, pass_mark=attempt.pass_mark
        )
    assert submitted
    # Numbered 1, 2, ... per learner and quiz; a learner tries again only after a failure.
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())
    by_key = {(a.enrollment_id, a.lesson_id, a.number): a for a in attempts}
    retried = [a for a in attempts if a.number > 1]
    assert retried, "some first attempts fail and are tried again"
    for attempt in retried:
        assert (
            by_key[(attempt.enrollment_id, attempt.lesson_id, attempt.number - 1)].passed is False
        )


def test_completions_and_certificates_follow_the_rules(quiz_course, instructor):
    """A learner has a completion exactly when rules.py finds the course complete (every
    lesson read, every quiz passed), completed after they joined and before now; each
    completion has one original certificate with the learner's name, and nobody else has one.
    The cohort holds learners not started, in progress and completed."""
    from courses.catalog.selectors import course_outline
    from courses.certificates import codes
    from courses.models import Certificate, CohortMembership, CourseCompletion, LessonProgress
    from courses.progress import rules
    from courses.progress.selectors import completion_states

    cohort, _output = _seed(quiz_course, instructor)
    outline = course_outline(course=quiz_course)
    members = list(
        CohortMembership.objects.filter(cohort=cohort).select_related("enrollment__user")
    )
    completions = {
        c.enrollment_id: c
        for c in CourseCompletion.objects.filter(enrollment__cohort_memberships__cohort=cohort)
    }
    certificates = list(Certificate.objects.filter(enrollment__cohort_memberships__cohort=cohort))
    reads = defaultdict(list)
    for progress in LessonProgress.objects.filter(enrollment__cohort_memberships__cohort=cohort):
        reads[progress.enrollment_id].append(progress.completed_at)
    now = timezone.now()
    started = 0
    for member in members:
        enrollment = member.enrollment
        states = completion_states(enrollment=enrollment, outline=outline)
        complete = rules.course_complete(states, rule=quiz_course.completion_rule)
        assert (enrollment.pk in completions) == complete, enrollment.user.full_name
        if enrollment.pk in completions:
            completed = completions[enrollment.pk].completed_at
            assert member.joined_at <= completed <= now
            assert all(read <= completed for read in reads[enrollment.pk])
            assert completions[enrollment.pk].rule == quiz_course.completion_rule
        if any(state.read or state.quiz_passed for state in states):
            started += 1
            assert enrollment.last_activity_at is not None
            assert member.joined_at <= enrollment.last_activity_at <= now
    assert 0 < len(completions) < started < len(members)
    assert len(certificates) == len(completions)
    assert {c.completion_id for c in certificates} == {c.pk for c in completions.values()}
    for certificate in certificates:
        completion = completions[certificate.enrollment_id]
        user = next(
            m.enrollment.user for m in members if m.enrollment_id == completion.enrollment_id
        )
        assert certificate.duplicate_of_id is None
        assert certificate.full_name == user.full_name
        assert certificate.professional_id == user.professional_id
        assert certificate.course_title == quiz_course.title
        assert certificate.completion_date == timezone.localdate(completion.completed_at)
        assert completion.completed_at <= certificate.issued_at <= now
        assert codes.normalize(certificate.code) == certificate.code
        # Counted as e-mailed (nothing goes to a seeded address); the PDF is still owed.
        assert certificate.email_sent_at is not None
        assert certificate.rendered_at is None


def test_scores_follow_ability_so_items_discriminate(quiz_course, instructor):
    """Learners who do well on a quiz's other items tend to get an item right: the item
    analysis finds a positive discrimination on average."""
    from courses.models import QuestionItem
    from courses.reporting.selectors import item_analysis

    cohort, _output = _seed(quiz_course, instructor, learners=200)
    lesson_ids = set(
        QuestionItem.objects.filter(lesson__module__course=quiz_course).values_list(
            "lesson_id", flat=True
        )
    )
    found = [
        entry.stats.discrimination
        for lesson_id in lesson_ids
        for entry in item_analysis(cohort=cohort, lesson_id=lesson_id)
        if entry.stats.discrimination is not None
    ]
    assert found
    assert statistics.mean(found) > 10


def _fingerprint(cohort) -> list[tuple]:
    """Everything seeded for each learner, in order, but for ids, addresses (they name the
    cohort) and certificate codes (unguessable by design)."""
    from courses.models import Certificate, CohortMembership

    rows = []
    for member in (
        CohortMembership.objects.filter(cohort=cohort)
        .select_related("enrollment__user")
        .order_by("enrollment__user_id")
    ):
        enrollment, user = member.enrollment, member.enrollment.user
        attempts = [
            (
                a.lesson_id,
                a.number,
                a.items,
                a.started_at,
                a.submitted_at,
                a.score,
                a.passed,
                sorted(
                    (x.position, x.item_id, x.option, x.is_correct, x.answered_at)
                    for x in a.answers.all()
                ),
            )
            for a in enrollment.attempts.order_by("lesson_id", "number")
        ]
        reads = sorted(enrollment.lesson_progress.values_list("lesson_id", "completed_at"))
        completion = getattr(enrollment, "completion", None)
        certificates = list(
            Certificate.objects.filter(enrollment=enrollment).values_list(
                "full_name", "completion_date", "issued_at"
            )
        )
        rows.append(
            (
                user.full_name,
                user.professional_id,
                member.joined_at,
                enrollment.last_activity_at,
                enrollment.last_lesson_id,
                reads,
                attempts,
                completion.completed_at if completion else None,
                certificates,
            )
        )
    return rows


def test_the_same_seed_makes_the_same_cohort(quiz_course, instructor):
    """Seeded twice with one seed (on the same day), a cohort is the same learner for learner;
    a larger cohort begins with the learners of a smaller one; another seed makes others."""
    from demo.seeding import cohort_seed

    now = timezone.now().replace(microsecond=0)
    first = cohort_seed(course=quiz_course, owner=instructor, learners=30, seed=7, now=now)
    again = cohort_seed(course=quiz_course, owner=instructor, learners=30, seed=7, now=now)
    smaller = cohort_seed(course=quiz_course, owner=instructor, learners=10, seed=7, now=now)
    other = cohort_seed(course=quiz_course, owner=instructor, learners=30, seed=8, now=now)
    assert _fingerprint(first) == _fingerprint(again)
    assert _fingerprint(smaller) == _fingerprint(first)[:10]
    assert _fingerprint(other) != _fingerprint(first)


def test_defaults_are_the_demo_course_and_instructor(make_course, make_item, settings):
    """Without --course and --owner: the demo course (setup_demo's) and its instructor."""
    from courses.models import Cohort, Lesson
    from demo.accounts import DEMO_ACCOUNTS, demo_accounts_ensure

    course = make_course(modules=1, lessons=2, slug=settings.COURSES_DEFAULT_COURSE_SLUG)
    make_item(Lesson.objects.filter(module__course=course).first())
    demo_accounts_ensure(course=course)
    call_command("seed_cohort", learners=5, stdout=io.StringIO())
    cohort = Cohort.objects.get()
    instructor = next(a for a in DEMO_ACCOUNTS if a.role == "instructor" and not a.superuser)
    assert cohort.course == course
    assert cohort.owner.email == instructor.email
    assert cohort.memberships.count() == 5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"course": "nulle-part"}, "nulle-part"),
        ({"owner": "personne@example.org"}, "personne@example.org"),
    ],
)
def test_unknown_course_or_owner_is_a_clear_error(quiz_course, instructor, options, message):
    """An unknown course slug or owner address is named in the error; nothing is made."""
    from courses.models import Cohort

    arguments = {"course": quiz_course.slug, "owner": instructor.email, **options}
    with pytest.raises(CommandError, match=message):
        call_command("seed_cohort", learners=3, stdout=io.StringIO(), **arguments)
    assert not Cohort.objects.exists()


def test_a_course_without_lessons_or_quizzes_is_refused(make_course, make_item, instructor):
    """A course without lessons, or whose lessons have no approved item, cannot be seeded:
    the error says why, and nothing is made."""
    from courses.models import Cohort, Lesson, QuestionItem

    empty = make_course(modules=0)
    with pytest.raises(CommandError, match="aucune leçon"):
        call_command(
            "seed_cohort",
            learners=3,
            course=empty.slug,
            owner=instructor.email,
            stdout=io.StringIO(),
        )
    drafts = make_course(modules=1, lessons=2)
    make_item(
        Lesson.objects.filter(module__course=drafts).first(), status=QuestionItem.Status.DRAFT
    )
    with pytest.raises(CommandError, match="QUIZ_AUTO_APPROVE"):
        call_command(
            "seed_cohort",
            learners=3,
            course=drafts.slug,
            owner=instructor.email,
            stdout=io.StringIO(),
        )
    assert not Cohort.objects.exists()


def test_bad_owner_or_count_is_refused(quiz_course, learner, instructor):
    """A learner cannot own a cohort; a cohort needs at least one learner."""
    with pytest.raises(CommandError, match="n’est pas formateur"):
        call_command(
            "seed_cohort", learners=3, course=quiz_course.slug, owner=learner.email,
            stdout=io.StringIO(),
        )  # fmt: skip
    with pytest.raises(CommandError):
        call_command(
            "seed_cohort", learners=0, course=quiz_course.slug, owner=instructor.email,
            stdout=io.StringIO(),
        )  # fmt: skip


def test_seeded_times_fall_within_the_cohort(quiz_course, instructor):
    """Activity is spread over the cohort's weeks up to now; completions come before the
    deadline, which is still ahead."""
    from courses.models import CourseCompletion, Enrollment

    cohort, _output = _seed(quiz_course, instructor)
    zone = timezone.get_current_timezone()
    start = datetime.combine(cohort.starts_on, datetime.min.time(), tzinfo=zone)
    activity = list(
        Enrollment.objects.filter(
            cohort_memberships__cohort=cohort, last_activity_at__isnull=False
        ).values_list("last_activity_at", flat=True)
    )
    assert activity
    assert all(start <= moment <= timezone.now() for moment in activity)
    assert max(activity) - min(activity) > timedelta(weeks=3)
    completed = [
        timezone.localdate(moment)
        for moment in CourseCompletion.objects.filter(
            enrollment__cohort_memberships__cohort=cohort
        ).values_list("completed_at", flat=True)
    ]
    before = sum(day <= cohort.deadline for day in completed)
    assert before > len(completed) / 2


def test_setup_demo_makes_the_demo_cohort_once(db, settings):
    """`make run`'s setup: a demo cohort of 40 seeded learners and the demo learner, owned by
    the demo instructor; run again, nothing more is made."""
    from courses.models import Cohort, CohortMembership
    from demo.accounts import DEMO_ACCOUNTS

    settings.QUIZ_AUTO_APPROVE = True
    for _ in range(2):
        out = io.StringIO()
        call_command("setup_demo", stdout=out)
    (cohort,) = Cohort.objects.all()
    assert cohort.owner.email == DEMO_ACCOUNTS[1].email
    # The accounts are named in French, the administrator as such.
    printed = out.getvalue().replace("\u00a0", " ")
    assert "Apprenant·e : apprenante@example.org" in printed
    assert "Formateur·rice : formatrice@example.org" in printed
    assert "Administrateur·rice : admin@example.org" in printed
    assert "instructor" not in printed
    # A cohort under way: its deadline is ahead, nobody is late yet.
    assert cohort.deadline > timezone.localdate()
    # The demo course presents itself (catalogue card, course page).
    assert cohort.course.description.startswith("Le syndrome de libération de cytokines")
    assert cohort.course.audience
    assert cohort.course.objectives
    assert CohortMembership.objects.filter(cohort=cohort).count() == 41
    assert CohortMembership.objects.filter(
        cohort=cohort, enrollment__user__email=DEMO_ACCOUNTS[0].email
    ).exists()


def test_setup_demo_leaves_one_lessons_questions_waiting_for_review(db, settings):
    """Every lesson's questions approved but the last lesson's with questions, which wait for
    review with a note saying why, and have no seeded attempt; `setup_demo` prints where. Run
    again (as every `make run` does), it undoes no review: approved here stays approved."""
    from courses.models import Lesson, QuestionItem, QuizAttempt
    from demo.site import WAITING_NOTE

    settings.QUIZ_AUTO_APPROVE = True
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    drafts = QuestionItem.objects.filter(status=QuestionItem.Status.DRAFT)
    (waiting,) = Lesson.objects.filter(items__in=drafts).distinct()
    assert not QuestionItem.objects.filter(
        lesson=waiting, status=QuestionItem.Status.APPROVED
    ).exists()
    assert set(drafts.values_list("review_note", flat=True)) == {WAITING_NOTE}
    others = QuestionItem.objects.exclude(lesson=waiting)
    assert others.exists()
    assert set(others.values_list("status", flat=True)) == {QuestionItem.Status.APPROVED}
    later = Lesson.objects.filter(
        module__course=waiting.module.course, items__isnull=False
    ).exclude(pk=waiting.pk)
    assert all(
        (lesson.module.position, lesson.position) < (waiting.module.position, waiting.position)
        for lesson in later
    )
    assert not QuizAttempt.objects.filter(lesson=waiting).exists()
    review = reverse(
        "courses:review_lesson", kwargs={"slug": waiting.module.course.slug, "pk": waiting.pk}
    )
    assert review in out.getvalue()

    item = drafts.first()
    item.status = QuestionItem.Status.APPROVED
    item.save()
    call_command("setup_demo", stdout=io.StringIO())
    item.refresh_from_db()
    assert item.status == QuestionItem.Status.APPROVED
