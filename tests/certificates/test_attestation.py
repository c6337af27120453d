"""What the end-of-training certificate (attestation de fin de formation, Code du travail
L6353-1) says, taken at issue from the course and the learner's attempts, and kept."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from courses.certificates.services import certificate_issue, certificate_reissue
from courses.models import Certificate, Course, QuizAttempt
from courses.models.certificates import CertificateImmutable
from courses.progress.services import enrollment_create, lesson_mark_complete
from courses.quizzes.services import attempt_start, attempt_submit
from tests.quizzes.conftest import answers

from .conftest import lessons_of

pytestmark = pytest.mark.django_db

OBJECTIVES = (
    "Reconnaître les signes précoces d’un syndrome de libération de cytokines\n"
    "  \n"
    "Surveiller les constantes d’un patient sous thérapie par cytokines  "
)


@pytest.fixture
def quiz_course(make_course, make_item, instructor) -> Course:
    """Three lessons, the first two with a quiz of five questions."""
    course = make_course(modules=1, lessons=3, title="Surveillance des cytokines")
    course.instructors.add(instructor)
    for lesson in lessons_of(course)[:2]:
        for _ in range(5):
            make_item(lesson)
    return course


def take(enrollment, lesson, *, right: int) -> QuizAttempt:
    attempt, _ = attempt_start(enrollment=enrollment, lesson=lesson)
    return attempt_submit(attempt=attempt, answers=answers(attempt, right=right)).attempt


def complete(enrollment, course) -> Certificate:
    """Fail the first quiz once, pass both, read everything: the course completes."""
    first, second, third = lessons_of(course)
    take(enrollment, first, right=2)
    take(enrollment, first, right=5)
    take(enrollment, second, right=4)
    for lesson in (first, second, third):
        lesson_mark_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    return certificate_issue(completion_id=enrollment.completion.pk)


def attestation_text(certificate: Certificate) -> str:
    with certificate.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(reader.pages[1].extract_text().replace("\u00a0", " ").split())


def test_the_attestation_is_taken_from_the_course_and_the_attempts(
    learner, quiz_course, media_root
):
    quiz_course.objectives = OBJECTIVES
    quiz_course.training_nature = "Formation continue à distance, en e-learning."
    quiz_course.save()
    enrollment, _ = enrollment_create(user=learner, course=quiz_course)
    certificate = complete(enrollment, quiz_course)

    first, second, _third = lessons_of(quiz_course)
    assert certificate.objectives.splitlines() == [
        "Reconnaître les signes précoces d’un syndrome de libération de cytokines",
        "Surveiller les constantes d’un patient sous thérapie par cytokines",
    ]
    assert certificate.training_nature == "Formation continue à distance, en e-learning."
    assert certificate.started_date == timezone.localdate(enrollment.enrolled_at)
    today = timezone.localdate().isoformat()
    assert certificate.results == [
        {"lesson": first.title, "score": 5, "total": 5, "attempts": 2, "passed": True,
         "passed_on": today},
        {"lesson": second.title, "score": 4, "total": 5, "attempts": 1, "passed": True,
         "passed_on": today},
    ]  # fmt: skip
    text = attestation_text(certificate)
    for expected in (
        "– Reconnaître les signes précoces d’un syndrome de libération de cytokines",
        "– Surveiller les constantes d’un patient sous thérapie par cytokines",
        "Formation continue à distance, en e-learning.",
        "2 quiz réussis sur 2",
        f"{first.title} 5/5 (100 %) 2 Réussi le",
        f"{second.title} 4/5 (80 %) 1 Réussi le",
        "Durée 2 heures",
    ):
        assert expected in text, (expected, text)


def test_what_it_says_is_kept_when_the_course_changes(learner, quiz_course, media_root, instructor):
    """Issued, the attestation's statements cannot change; a re-issue takes today's course."""
    enrollment, _ = enrollment_create(user=learner, course=quiz_course)
    certificate = complete(enrollment, quiz_course)
    assert certificate.objectives.startswith("Connaître le contenu du module «\u00a0")
    assert certificate.training_nature.startswith("Action de formation (Code du travail")
    certificate.results = []
    with pytest.raises(CertificateImmutable):
        certificate.save()

    Course.objects.filter(pk=quiz_course.pk).update(objectives="Évaluer la douleur")
    certificate.refresh_from_db()
    duplicate = certificate_reissue(certificate=certificate, reason="Nom corrigé", by=instructor)
    assert duplicate.objectives == "Évaluer la douleur"
    assert duplicate.results == certificate.results  # the same attempts, up to the completion


def test_attempts_after_the_completion_are_not_its_results(learner, quiz_course, media_root):
    enrollment, _ = enrollment_create(user=learner, course=quiz_course)
    certificate = complete(enrollment, quiz_course)
    # A later practice attempt (a retake after completing) changes nothing on a re-issue.
    later = take(enrollment, lessons_of(quiz_course)[0], right=0)
    QuizAttempt.objects.filter(pk=later.pk).update(
        submitted_at=timezone.now() + timedelta(minutes=5)
    )
    from courses.certificates.selectors import assessment_results

    enrollment.refresh_from_db()
    assert (
        assessment_results(enrollment=enrollment, until=enrollment.completion.completed_at)
        == certificate.results
    )
