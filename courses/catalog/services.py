"""Writes of the catalogue: a course's presentation, as its staff write it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from courses.models import Course, Module

DESCRIPTION_MAX = 2000
AUDIENCE_MAX = 1000
OBJECTIVES_MAX = 2000


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def course_presentation_update(
    *, course: Course, description: str, audience: str, objectives: str
) -> Course:
    """What the catalogue card, the course page and the end-of-training certificate say of the
    course: its description, its audience, its objectives (one a line). ValidationError by
    field for a text over its limit; nothing saved then."""
    errors = {}
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Keep the description under 2,000 characters.")
    if len(audience) > AUDIENCE_MAX:
        errors["audience"] = _("Keep the audience under 1,000 characters.")
    if len(objectives) > OBJECTIVES_MAX:
        errors["objectives"] = _("Keep the objectives under 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    course.description = description.strip()
    course.audience = audience.strip()
    course.objectives = _lines(objectives)
    course.save(update_fields=["description", "audience", "objectives", "updated_at"])
    return course


MODULE_TITLE_MAX = 300


def module_rename(*, module: Module, title: str) -> Module:
    """Give a module a title of its own, which re-imports keep; an empty title goes back to
    the imported one (its document's)."""
    title = " ".join(title.split())
    if len(title) > MODULE_TITLE_MAX:
        raise ValidationError(_("Keep a module's title under 300 characters."))
    module.title = title or module.imported_title or module.title
    module.save(update_fields=["title"])
    return module
