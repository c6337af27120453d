from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalog import Course, Lesson


class Enrollment(models.Model):
    """A learner's place in a course: progress, attempts and certificates hang on it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now, editable=False)
    last_lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("last lesson opened"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    extra_time_percent = models.PositiveSmallIntegerField(
        _("extra time on timed quizzes (%)"),
        default=0,
        validators=[MaxValueValidator(200)],
        help_text=_("Granted by course staff, e.g. 33 for a third more time (tiers-temps)."),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="enrollment_unique_user_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course}"


class LessonProgress(models.Model):
    """A learner marked a lesson as read; it counts while ``lesson_version`` is current."""

    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="progress"
    )
    lesson_version = models.PositiveIntegerField(_("lesson version read"))
    completed_at = models.DateTimeField(_("completed"))

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson"], name="lessonprogress_unique_per_enrollment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} — {self.lesson}"


class CourseCompletion(models.Model):
    """The moment a learner met the course's completion rule. It stands once recorded.

    Its row is also the record that a certificate is owed: a completion without an issued
    original certificate is what the sweeper publishes again (the outbox).
    """

    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="completion",
    )
    completed_at = models.DateTimeField(_("completed"))
    rule = models.CharField(_("rule applied"), max_length=32)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        indexes = [models.Index(fields=["completed_at"], name="completion_completed_at")]

    def __str__(self) -> str:
        return f"{self.enrollment} ✓"
