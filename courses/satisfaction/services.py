"""Writes of the satisfaction questionnaire: a learner's answers, course staff's questions."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from courses.models import CourseCompletion, Enrollment, SatisfactionResponse

RATING_MIN = 1
RATING_MAX = 5
COMMENT_MAX = 2000


class SatisfactionError(Exception):
    message = _("Your answers could not be recorded.")

    def __str__(self) -> str:
        return str(self.message)


class NotCompleted(SatisfactionError):
    message = _("The questionnaire is offered once the course is completed.")


class AlreadyAnswered(SatisfactionError):
    message = _("You have already given your opinion on this course: thank you.")


class NoQuestionnaire(SatisfactionError):
    message = _("This course has no satisfaction questionnaire.")


def satisfaction_submit(
    *, enrollment: Enrollment, ratings: Sequence[int | None], comment: str
) -> SatisfactionResponse:
    """Record a learner's answers, once, after completing the course.

    ``ratings`` follow the course's questions as they are now (None for one left unanswered).
    Raises NotCompleted, NoQuestionnaire, AlreadyAnswered (a second submit, two tabs), or
    ValidationError for a rating outside 1..5, ratings that do not match the questions, or
    nothing at all (no rating and no comment).
    """
    course = enrollment.course
    questions = list(course.satisfaction_questions or [])
    if not questions:
        raise NoQuestionnaire()
    if not CourseCompletion.objects.filter(enrollment=enrollment).exists():
        raise NotCompleted()
    if len(ratings) != len(questions) or any(
        rating is not None and not RATING_MIN <= rating <= RATING_MAX for rating in ratings
    ):
        raise ValidationError(_("Each rating is a number from 1 to 5."))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(_("Keep the comment under 2,000 characters."))
    if comment == "" and all(rating is None for rating in ratings):
        raise ValidationError(_("Rate at least one statement, or leave a comment."))
    try:
        with transaction.atomic():
            return SatisfactionResponse.objects.create(
                course=course,
                enrollment=enrollment,
                questions=questions,
                ratings=list(ratings),
                comment=comment,
            )
    except IntegrityError:
        raise AlreadyAnswered() from None
