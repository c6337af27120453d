"""Work staff ask for that runs in the background (a Celery task), with its state shown on
the page that asked: regenerating a lesson's questions (and, to come, importing documents)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalog import Course, Lesson


class BackgroundJob(models.Model):
    class Kind(models.TextChoices):
        REGENERATE = "regenerate", _("Regenerating a lesson's questions")
        IMPORT = "import", _("Importing documents")

    class Step(models.TextChoices):
        """Where a running job is (an import: reading its files, then drafting questions)."""

        NONE = "", _("—")
        READING = "reading", _("Reading the documents")
        GENERATING = "generating", _("Drafting the questions")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    PENDING = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="jobs"
    )
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("lesson"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    step = models.CharField(_("step"), max_length=16, choices=Step.choices, blank=True)
    # What the job works on (an import: its files' names and where they wait in storage).
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # What the work found (counts, reasons), as its page shows it; the reason it failed.
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            # One regeneration of a lesson at a time: a second click finds the first.
            models.UniqueConstraint(
                fields=["kind", "lesson"],
                condition=Q(state__in=["queued", "running"]),
                name="backgroundjob_one_pending_per_lesson",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="backgroundjob_pending")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_state_display()}"

    @property
    def pending(self) -> bool:
        return self.state in self.PENDING
