"""Reads of the satisfaction questionnaire: a learner's own answers; the results course staff
see, for the course or one cohort, never with a name and only over enough answers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from courses.models import (
    Cohort,
    Course,
    CourseCompletion,
    Enrollment,
    SatisfactionResponse,
)

from .services import RATING_MAX, RATING_MIN

# Under this many answers the results are not shown (nor exported): with a handful of
# learners, a comment or a low rating would say who gave it.
MIN_RESPONSES = 5


def response_for(*, enrollment: Enrollment) -> SatisfactionResponse | None:
    return SatisfactionResponse.objects.filter(enrollment=enrollment).first()


@dataclass
class QuestionResult:
    text: str
    counts: dict[int, int] = field(
        default_factory=lambda: dict.fromkeys(range(RATING_MIN, RATING_MAX + 1), 0)
    )

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        if not self.answers:
            return None
        return sum(rating * count for rating, count in self.counts.items()) / self.answers

    def bars(self) -> Iterator[tuple[int, int, int]]:
        """(rating, count, percent of the answers) from 1 to 5."""
        for rating, count in self.counts.items():
            yield rating, count, round(100 * count / self.answers) if self.answers else 0


@dataclass(frozen=True)
class Comment:
    submitted_at: datetime
    text: str


@dataclass
class SatisfactionSummary:
    responses: int
    completions: int
    questions: list[QuestionResult]
    comments: list[Comment]

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_RESPONSES

    @property
    def rate(self) -> int:
        """Answers per completion, in percent."""
        return round(100 * self.responses / self.completions) if self.completions else 0


def _responses(*, course: Course, cohort: Cohort | None) -> list[SatisfactionResponse]:
    responses = SatisfactionResponse.objects.filter(course=course)
    if cohort is not None:
        responses = responses.filter(enrollment__cohort_memberships__cohort=cohort)
    return list(responses.order_by("submitted_at", "pk"))


def satisfaction_summary(*, course: Course, cohort: Cohort | None = None) -> SatisfactionSummary:
    """Each question's ratings (the course's questions first, then any asked before a change),
    the comments, and the answer rate, for the course or one of its cohorts. Two queries."""
    responses = _responses(course=course, cohort=cohort)
    completions = CourseCompletion.objects.filter(enrollment__course=course)
    if cohort is not None:
        completions = completions.filter(enrollment__cohort_memberships__cohort=cohort)
    results = {text: QuestionResult(text) for text in course.satisfaction_questions or []}
    comments = []
    for response in responses:
        for text, rating in zip(response.questions, response.ratings, strict=False):
            if rating is None:
                continue
            results.setdefault(text, QuestionResult(text)).counts[int(rating)] += 1
        if response.comment:
            comments.append(Comment(submitted_at=response.submitted_at, text=response.comment))
    return SatisfactionSummary(
        responses=len(responses),
        completions=completions.count(),
        questions=list(results.values()),
        comments=comments[::-1],  # the newest first
    )


def satisfaction_export_table(
    *, course: Course, cohort: Cohort | None = None
) -> tuple[list[str], list[list[object]]]:
    """One row per answer, without who gave it: the date, a rating per question, the comment."""
    responses = _responses(course=course, cohort=cohort)
    questions = list(course.satisfaction_questions or [])
    for response in responses:
        for text in response.questions:
            if text not in questions:
                questions.append(text)
    rows = []
    for response in responses:
        given = dict(zip(response.questions, response.ratings, strict=False))
        rows.append(
            [
                response.submitted_at.date(),
                *(given.get(text) for text in questions),
                response.comment,
            ]
        )
    return [_("Date"), *questions, _("Comment")], rows
