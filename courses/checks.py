"""System checks for the settings this app reads (run by `manage.py check`)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError, connection

from courses.models import User


@register(Tags.compatibility)
def check_settings(app_configs, **kwargs) -> list[Error]:
    errors: list[Error] = []
    base = urlsplit(getattr(settings, "SITE_BASE_URL", ""))
    if base.scheme not in {"http", "https"} or not base.netloc or base.path not in {"", "/"}:
        errors.append(
            Error(
                "SITE_BASE_URL must be an absolute http(s) URL without a path, "
                "e.g. https://formation.example.org",
                id="courses.E001",
            )
        )
    max_bytes = getattr(settings, "COURSES_IMPORT_MAX_BYTES", None)
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        errors.append(
            Error("COURSES_IMPORT_MAX_BYTES must be a positive integer.", id="courses.E002")
        )
    if not getattr(settings, "COURSES_DEFAULT_COURSE_SLUG", ""):
        errors.append(Error("COURSES_DEFAULT_COURSE_SLUG must not be empty.", id="courses.E003"))
    broker = urlsplit(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if broker.scheme not in {"redis", "rediss"}:
        errors.append(
            Error(
                "CELERY_BROKER_URL must be a redis:// or rediss:// URL (Redis is the broker).",
                id="courses.E004",
            )
        )
    minimum = getattr(settings, "ITEM_ANALYSIS_MIN_LEARNERS", None)
    if not isinstance(minimum, int) or minimum < 1:
        errors.append(
            Error(
                "ITEM_ANALYSIS_MIN_LEARNERS must be a whole number of learners, at least 1.",
                id="courses.E005",
            )
        )
    errors.extend(_media_storage_errors())
    return errors


def _media_storage_errors() -> list[Error]:
    kind = getattr(settings, "MEDIA_STORAGE", "filesystem")
    if kind not in {"filesystem", "s3"}:
        return [
            Error(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {kind!r}.", id="courses.E007")
        ]
    options = settings.STORAGES["default"].get("OPTIONS", {})
    if kind == "s3" and not options.get("bucket_name"):
        return [
            Error(
                "MEDIA_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a store other "
                "than AWS).",
                id="courses.E008",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_privacy_contact(app_configs, **kwargs) -> list[CheckMessage]:
    """A deployed site names whom people write to about their data (the privacy notice, every
    e-mail's footer): without it they have only the controller's name."""
    if getattr(settings, "PRIVACY_DPO_EMAIL", ""):
        return []
    return [
        Warning(
            "PRIVACY_DPO_EMAIL is not set: the privacy notice gives no address to write to about "
            "personal data.",
            hint="Set PRIVACY_DPO_EMAIL to the data protection officer's address "
            "(docs/privacy.md).",
            id="courses.W002",
        )
    ]


@register(Tags.security, deploy=True)
def check_demo_passwords(app_configs, **kwargs) -> list[CheckMessage]:
    """No account of the demo (DEMO_ACCOUNTS_FILE) may keep its published password on a
    deployed site: anyone who read the README could sign in as its administrator."""
    path = Path(getattr(settings, "DEMO_ACCOUNTS_FILE", "") or "")
    if not path.is_file():
        return []  # a deployment without the demo package: no published password to look for
    published = {
        account["email"].lower(): account["password"]
        for account in json.loads(path.read_text(encoding="utf-8"))
    }
    try:
        if User._meta.db_table not in connection.introspection.table_names():
            return []  # a database not migrated yet holds no account
        users = list(
            User.objects.filter(email__in=published, is_active=True).only("email", "password")
        )
    except DatabaseError as error:
        return [
            Warning(
                f"The demo accounts' passwords could not be checked: the database did not "
                f"answer ({error}).",
                id="courses.W001",
            )
        ]
    # hashers.check_password, not User.check_password: a check must never rehash and save.
    return [
        Error(
            f"The demo account {user.email} still has its published password (README).",
            hint=f"Change it (manage.py changepassword {user.email}) or deactivate the account.",
            id="courses.E006",
        )
        for user in users
        if check_password(published[user.email.lower()], user.password)
    ]
