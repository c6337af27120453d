"""Writes of the catalogue: a course's settings."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Course
from courses.progress.services import completions_recheck

CONTACT_HOURS_MIN = Decimal("0.5")
PASS_MARK_MIN = 1
PASS_MARK_MAX = 100


def course_settings_update(
    *,
    course: Course,
    contact_hours: Decimal,
    completion_rule: str,
    certificate_validity_months: int | None,
    pass_mark: int,
    max_attempts: int | None,
) -> int:
    """Set what completing the course takes and what its certificates will say.

    Raises ValidationError (by field) for hours under half an hour, a pass mark outside
    1..100, an unknown completion rule, or a validity or a number of attempts under one.
    Certificates already issued keep what they print; completions already recorded stand.
    A change of rule completes, in the same transaction, the learners who now meet it: returns
    how many.
    """
    errors: dict[str, str] = {}
    if contact_hours < CONTACT_HOURS_MIN:
        errors["contact_hours"] = _("A course lasts at least half an hour.")
    elif contact_hours != contact_hours.quantize(Decimal("0.1")) or contact_hours >= 10_000:
        errors["contact_hours"] = _("Give the hours with at most one decimal, under 10,000.")
    if not PASS_MARK_MIN <= pass_mark <= PASS_MARK_MAX:
        errors["pass_mark"] = _("The pass mark is a percentage between 1 and 100.")
    if completion_rule not in Course.CompletionRule.values:
        errors["completion_rule"] = _("Choose one of the completion rules.")
    if certificate_validity_months is not None and certificate_validity_months < 1:
        errors["certificate_validity_months"] = _(
            "Leave the validity empty, or give at least one month."
        )
    if max_attempts is not None and max_attempts < 1:
        errors["max_attempts"] = _("Leave the attempts empty, or allow at least one.")
    if errors:
        raise ValidationError(errors)
    rule_changed = course.completion_rule != completion_rule
    course.contact_hours = contact_hours
    course.completion_rule = completion_rule
    course.certificate_validity_months = certificate_validity_months
    course.pass_mark = pass_mark
    course.max_attempts = max_attempts
    with transaction.atomic():
        course.save(
            update_fields=[
                "contact_hours",
                "completion_rule",
                "certificate_validity_months",
                "pass_mark",
                "max_attempts",
                "updated_at",
            ]
        )
        # Learners who meet the new rule have completed now, not at their next step.
        return completions_recheck(course=course) if rule_changed else 0
