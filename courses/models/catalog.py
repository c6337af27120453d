import hashlib
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def hours_display(hours: Decimal) -> str:
    """ "2" or "1,5": hours as a French reader writes them."""
    return f"{hours:.1f}".removesuffix(".0").replace(".", ",")


def hours_label(hours: Decimal) -> str:
    """ "2 heures", "1,5 heure": French takes the plural from two."""
    return ngettext("%(hours)s hour", "%(hours)s hours", int(hours)) % {
        "hours": hours_display(hours)
    }


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def course_touch(**lookup: object) -> None:
    """Move the ``updated_at`` of the course(s) matching ``lookup`` (cached outlines key on it)
    and renew their stamps (cached lesson pages do).

    Lesson and module writes call this; bulk writes (the importer's) call it themselves.
    """
    courses = Course.objects.filter(**lookup)
    course_stamps_renew(courses.values_list("slug", flat=True))
    courses.update(updated_at=timezone.now())


def course_stamp_key(slug: str) -> str:
    return f"course-stamp:{slug}"


def course_stamps_renew(slugs: Iterable[str]) -> None:
    """New stamps for these courses: what was cached under an older one (a course, a lesson
    page: learning.selectors) is not read again.

    Renewed now, for the reads that follow in this transaction, and again once it commits, for
    a page cached meanwhile by another request from the data as it was before the commit.
    Keyed by slug, which a lesson's URL carries: a reader gets the stamp and the page in one
    round trip, before it reads the database.
    """
    keys = [course_stamp_key(slug) for slug in slugs]
    if not keys:
        return

    def renew() -> None:
        cache.set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)

    renew()
    transaction.on_commit(renew)


# Questions per quiz attempt: at least five (a pass mark means something on five answers),
# at most what a learner answers in one sitting (a SCORM 1.2 package keeps the answers in
# cmi.suspend_data, 4,096 characters, 2 a question: far from full).
QUIZ_QUESTIONS_MIN = 5
QUIZ_QUESTIONS_MAX = 50


# The satisfaction questionnaire a new course asks at its end (course staff change it).
SATISFACTION_DEFAULT_QUESTIONS = (
    _("The course met its objectives."),
    _("Its content is useful in my practice."),
    _("The lessons were clear."),
    _("The quizzes helped me check what I learnt."),
    _("I would recommend this course to a colleague."),
)
SATISFACTION_QUESTIONS_MAX = 10
SATISFACTION_QUESTION_LENGTH = 200


def satisfaction_default_questions() -> list[str]:
    """The default questions in the site's language (the course's own words once stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        return [str(question) for question in SATISFACTION_DEFAULT_QUESTIONS]


class Course(models.Model):
    """A course: modules (one per source document) of lessons, taught by its instructors."""

    class ReviewRelease(models.TextChoices):
        AFTER_PASS = "after_pass", _("After the learner has passed the quiz")
        AFTER_LAST_ATTEMPT = "after_last_attempt", _("After the last allowed attempt")
        NEVER = "never", _("Never")

    class CompletionRule(models.TextChoices):
        LESSONS_AND_QUIZZES = "lessons_and_quizzes", _("Every lesson read and every quiz passed")
        QUIZZES_ONLY = "quizzes_only", _("Every quiz passed (lessons without a quiz read)")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        related_name="taught_courses",
        blank=True,
        help_text=_("Course staff: they and administrators manage the course."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of correct answers needed to pass a lesson's quiz."),
    )
    quiz_questions = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        default=10,
        validators=[MinValueValidator(QUIZ_QUESTIONS_MIN), MaxValueValidator(QUIZ_QUESTIONS_MAX)],
        help_text=_(
            "Each attempt draws this many questions, each on another fact, when the lesson's "
            "approved questions allow it."
        ),
    )
    partial_credit = models.BooleanField(
        _("partial credit on multiple-response questions"),
        default=False,
        help_text=_(
            "Off: such a question counts only when exactly its right answers are selected. On: "
            "each right answer selected earns its share, each wrong one costs as much."
        ),
    )
    multiple_count_shown = models.BooleanField(
        _("say how many answers are right"),
        default=True,
        help_text=_(
            "On a multiple-response question: “Select the 2 right answers” rather than "
            "“Select every right answer”."
        ),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed per quiz"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    review_release = models.CharField(
        _("right answers shown"),
        max_length=24,
        choices=ReviewRelease.choices,
        default=ReviewRelease.AFTER_PASS,
        help_text=_(
            "Until then, a wrong answer's result shows neither the right option nor the "
            "explanation, only the passage of the lesson to re-read."
        ),
    )
    satisfaction_questions = models.JSONField(
        _("satisfaction questionnaire"),
        default=satisfaction_default_questions,
        blank=True,
        help_text=_(
            "Asked at the end of the course, each rated from 1 to 5, with a comment. Optional for "
            "learners. No question: no questionnaire."
        ),
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=32,
        choices=CompletionRule.choices,
        default=CompletionRule.LESSONS_AND_QUIZZES,
    )
    cover = models.ImageField(
        _("cover image"),
        upload_to="covers/",
        blank=True,
        help_text=_("Shown on the catalogue card and the course page."),
    )
    audience = models.TextField(
        _("audience"),
        blank=True,
        help_text=_("Who the course is for, and what they should know before it."),
    )
    objectives = models.TextField(
        _("objectives"),
        blank=True,
        help_text=_(
            "What a learner is able to do at the end, one objective per line. The end-of-training "
            "certificate states them (Code du travail, article L6353-1)."
        ),
    )
    training_nature = models.CharField(
        _("nature of the training"),
        max_length=300,
        blank=True,
        help_text=_(
            "As the end-of-training certificate states it. Empty: a training action (article "
            "L6313-1 of the Code du travail), delivered online."
        ),
    )
    contact_hours = models.DecimalField(
        _("contact hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Printed on the certificate."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for certificates that do not expire."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # A new slug leaves lesson pages cached under the old one: both stamps renewed.
        slugs = {self.slug}
        if self.pk is not None:
            slugs.update(Course.objects.filter(pk=self.pk).values_list("slug", flat=True))
        super().save(*args, **kwargs)
        course_stamps_renew(slugs)

    def get_absolute_url(self) -> str:
        return reverse("courses:course", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        slug = self.slug
        result = super().delete(*args, **kwargs)
        course_stamps_renew([slug])
        return result

    @property
    def hours_label(self) -> str:
        return hours_label(self.contact_hours)

    @property
    def cover_url(self) -> str:
        """Where the cover is served (a view: public like the course, whatever the storage),
        its file's name in the query so that a new cover is a new address."""
        if not self.cover:
            return ""
        version = (self.cover.name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return reverse("courses:course_cover", kwargs={"slug": self.slug}) + f"?v={version}"


class Module(models.Model):
    """The lessons that came from one source document."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules"
    )
    title = models.CharField(_("title"), max_length=300)
    # The title the last import gave it (its document's): the title, unless staff renamed the
    # module; then imports keep the staff's title and update only this one.
    imported_title = models.CharField(
        _("imported title"), max_length=300, blank=True, editable=False
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    source_name = models.CharField(
        _("source file"), max_length=255, help_text=_("The name of the imported file.")
    )
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True, editable=False)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "source_name"], name="module_unique_source_per_course"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        course_touch(pk=self.course_id)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = super().delete(*args, **kwargs)
        course_touch(pk=self.course_id)
        return result

    @property
    def renamed(self) -> bool:
        """Staff gave it a title of their own (re-imports keep it)."""
        return bool(self.imported_title) and self.title != self.imported_title


class Lesson(models.Model):
    """A lesson's text is clean Markdown (sanitised at import, rendered and sanitised again).

    ``version`` goes up whenever the text changes, so that a learner's earlier reading of an
    older text is not taken for a reading of the new one.
    """

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="lessons"
    )
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    text_hash = models.CharField(_("text hash"), max_length=64, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    quiz_time_limit = models.PositiveSmallIntegerField(
        _("quiz time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_("Set when a re-imported document no longer has this lesson."),
    )
    # Edited in the browser since its import: a re-import keeps it (unless told to replace it).
    edited_at = models.DateTimeField(_("edited in the browser"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module", "position", "id"]
        indexes = [models.Index(fields=["module", "position"], name="lesson_module_position")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        new_hash = text_hash(self.text)
        if self.text_hash and new_hash != self.text_hash:
            self.version += 1
        self.text_hash = new_hash
        super().save(*args, **kwargs)
        course_touch(modules__id=self.module_id)

    def get_absolute_url(self) -> str:
        return reverse("courses:lesson", kwargs={"slug": self.module.course.slug, "pk": self.pk})

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        module_id = self.module_id
        result = super().delete(*args, **kwargs)
        course_touch(modules__id=module_id)
        return result


def course_image_path(image: "CourseImage", filename: str) -> str:
    return f"lesson-images/{image.course_id}/{filename}"


class CourseImage(models.Model):
    """A picture an imported document carried, stored once per course (by its content's
    sha256) and shown in lessons, which refer to it as ``image:<key>``."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="images"
    )
    key = models.CharField(_("content hash"), max_length=64)
    file = models.FileField(_("file"), upload_to=course_image_path)
    content_type = models.CharField(_("content type"), max_length=32)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    alt = models.CharField(_("description (alt text)"), max_length=500, blank=True)
    source_name = models.CharField(_("document"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson image")
        verbose_name_plural = _("lesson images")
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="courseimage_unique_key")
        ]

    def __str__(self) -> str:
        return self.alt or self.key[:12]


class LessonVersion(models.Model):
    """A lesson's title and text as one save left them: an import, an edit in the browser, a
    restore. The lesson's history, and what a restore brings back."""

    class Origin(models.TextChoices):
        IMPORT = "import", _("Imported from its document")
        EDIT = "edit", _("Edited in the browser")
        RESTORE = "restore", _("An earlier version restored")

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson version")
        verbose_name_plural = _("lesson versions")
        ordering = ["lesson", "-version", "-saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "version"], name="lessonversion_once")
        ]

    def __str__(self) -> str:
        return f"{self.lesson} v{self.version}"
