"""Quiz items (data, with their source) and learners' attempts at a lesson's quiz."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .catalog import Course, Lesson, course_stamps_renew
from .progress import Enrollment


class QuestionItem(models.Model):
    """A multiple-choice item drawn from a lesson, or written or edited by course staff.

    The item keeps the sentence it was drawn from (text and character offsets in the lesson's
    text) so that a reviewer sees it beside its source and a learner can be sent back to it.
    """

    class Kind(models.TextChoices):
        CLOZE = "cloze", _("Gap-fill")
        CITED = "cited", _("Cited in the text")
        CLASSIFICATION = "classification", _("Classification")
        DEFINITION = "definition", _("Definition or synonym")
        ABBREVIATION = "abbreviation", _("Abbreviation")
        QUESTION = "question", _("Question on the sentence")
        ASSOCIATION = "association", _("Association")
        THRESHOLD = "threshold", _("Threshold or value")
        ACTION = "action", _("What to do")
        SCALE = "scale", _("Grading scale")
        STAFF = "staff", _("Written by staff")

    class Status(models.TextChoices):
        DRAFT = "draft", _("To review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"), help_text=_("The answer options, in order."))
    answer = models.PositiveSmallIntegerField(_("correct option"), help_text=_("Counted from 0."))
    # A multiple-response item: every right option (two or more, counted from 0), to be
    # selected together; ``answer`` is then its first. Empty for an item with one key.
    multiple_answers = models.JSONField(_("correct options"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    source_sentence = models.TextField(_("source sentence"))
    source_start = models.PositiveIntegerField(_("source start"))
    source_end = models.PositiveIntegerField(_("source end"))
    # Stable identity of a generated item (kind, key and source sentence): re-generation finds
    # the reviewed item again instead of creating a new draft.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, editable=False)
    # Items that ask the same fact or share a stem (quizgen.pipeline.families): an attempt
    # and a SCORM quiz draw at most one of a family. Empty: the item is a family of its own.
    family = models.CharField(_("family"), max_length=32, blank=True, default="", editable=False)
    generation = models.JSONField(
        _("generation data"),
        default=dict,
        blank=True,
        help_text=_("What the generator used: key term, classes, distractor terms, checks."),
    )
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    edited = models.BooleanField(_("edited by staff"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Staff saved the item although item-writing checks refused it: which checks (their code,
    # rule, options and word, as quizgen.Flaw), why, who and when. Empty once a save passes.
    checks_overridden = models.JSONField(_("checks overridden"), default=list, blank=True)
    override_reason = models.TextField(_("reason for overriding the checks"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checks overridden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    overridden_at = models.DateTimeField(_("checks overridden on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["lesson", "source_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "fingerprint"], name="questionitem_unique_fingerprint"
            ),
        ]
        indexes = [models.Index(fields=["lesson", "status"], name="questionitem_lesson_status")]

    def __str__(self) -> str:
        return self.stem[:80]

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self._course_stamp_renew()

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = super().delete(*args, **kwargs)
        self._course_stamp_renew()
        return result

    def _course_stamp_renew(self) -> None:
        """A cached lesson page holds how many questions its quiz asks: renewed with its course."""
        course_stamps_renew(
            Course.objects.filter(modules__lessons__id=self.lesson_id).values_list(
                "slug", flat=True
            )
        )

    @property
    def keys(self) -> list[int]:
        """The right options: a multiple-response item's keys, else its one key."""
        return sorted(self.multiple_answers) if self.multiple_answers else [self.answer]

    @property
    def is_multiple(self) -> bool:
        return bool(self.multiple_answers)


class QuizAttempt(models.Model):
    """One try at a lesson's quiz. Its items, as they were shown, are kept with it.

    ``items`` holds, for each question in the order shown: the item's id, a snapshot of the
    item (stem, options, answer, explanation, source) and the order its options were shown in.
    Grading reads the snapshot, so a later edit of the item changes no past attempt.
    """

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attempts"
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    items = models.JSONField(_("questions shown"))
    started_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("correct answers"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("questions"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    # Multiple-response questions earn partial credit (the course's setting when it began).
    partial_credit = models.BooleanField(_("partial credit"), default=False)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # The points earned: the correct answers, plus partial credit where it counts.
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["enrollment", "lesson", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lesson", "number"], name="quizattempt_unique_number"
            ),
        ]
        indexes = [
            # Starting a quiz looks for the learner's attempt in progress at that lesson.
            models.Index(
                fields=["enrollment", "lesson"],
                condition=models.Q(submitted_at__isnull=True),
                name="quizattempt_open",
            ),
            # Quizzes passed per learner (dashboards, the cohort's table): read from the index
            # alone, without visiting the attempts' rows and their JSON.
            models.Index(
                fields=["enrollment", "lesson"],
                condition=models.Q(passed=True),
                name="quizattempt_passed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} — {self.lesson} #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.total:
            return None
        earned = self.points if self.points is not None else self.score
        return round(100 * earned / self.total)


class AttemptAnswer(models.Model):
    """A learner's answer to one question of an attempt, saved as it is given."""

    attempt = models.ForeignKey(
        QuizAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="answers"
    )
    position = models.PositiveSmallIntegerField(_("question number"))
    item = models.ForeignKey(
        QuestionItem,
        verbose_name=_("question"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="answers",
    )
    # The option chosen, as an index into the item's own options (not the order shown); for a
    # multiple-response item, the first of ``options``, which holds them all.
    option = models.PositiveSmallIntegerField(_("option chosen"))
    options = models.JSONField(_("options chosen"), null=True, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attemptanswer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} Q{self.position + 1}"
