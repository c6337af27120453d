"""A learner's answers to the course's satisfaction questionnaire, given at its end."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalog import Course
from .progress import Enrollment


class SatisfactionResponse(models.Model):
    """Ratings from 1 to 5 for each of the questions asked (kept with them: the course's
    questions may change later) and a comment. Optional, never a condition of anything; one per
    enrolment. Staff see them only together, never with a name."""

    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="satisfaction_responses",
    )
    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="satisfaction",
    )
    questions = models.JSONField(_("questions asked"))
    # One per question, 1 to 5, or None where the learner left a question unanswered.
    ratings = models.JSONField(_("ratings"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction response")
        verbose_name_plural = _("satisfaction responses")
        ordering = ["course", "-submitted_at"]

    def __str__(self) -> str:
        return f"{self.course} — {self.submitted_at:%Y-%m-%d}"
