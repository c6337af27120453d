from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.validators import validate_rpps


class EmailUserManager(UserManager["User"]):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user_object(self, email, password, **extra_fields):  # type: ignore[override]
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self._create_user_object(email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: a learner (the default) or an instructor.

    Administrators are users with ``is_superuser``. The full name is what certificates print;
    the professional identifier (RPPS) is printed beside it when given.
    """

    class Role(models.TextChoices):
        LEARNER = "learner", _("Learner")
        INSTRUCTOR = "instructor", _("Instructor")

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(
        _("full name"),
        max_length=150,
        blank=True,
        help_text=_("As it should appear on your certificates."),
    )
    professional_id = models.CharField(
        _("RPPS number"),
        max_length=11,
        blank=True,
        validators=[validate_rpps],
        help_text=_("Optional. Your 11-digit RPPS identifier, printed on your certificates."),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.LEARNER)
    # Erased (RGPD art. 17, courses/privacy): name, address and RPPS number are gone; what
    # training records the retention keeps stay attached to this row, pseudonymous.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    # Warned by e-mail that the account, unused for RETENTION_INACTIVE_ACCOUNT_YEARS, is to be
    # anonymised a month later unless its holder signs in (courses/privacy, retention_apply).
    inactivity_warned_at = models.DateTimeField(
        _("warned of inactivity"), null=True, blank=True, editable=False
    )

    objects: ClassVar[EmailUserManager] = EmailUserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_instructor(self) -> bool:
        return self.role == self.Role.INSTRUCTOR or self.is_superuser
