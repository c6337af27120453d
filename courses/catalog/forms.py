"""Course staff's presentation of a course (labels and help texts: the model's)."""

from __future__ import annotations

from django import forms

from courses.models import Course

from .services import AUDIENCE_MAX, DESCRIPTION_MAX, OBJECTIVES_MAX


def _text(name: str, *, rows: int, max_length: int) -> forms.Field:
    field = Course._meta.get_field(name).formfield(
        required=False, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )
    assert field is not None  # noqa: S101  (a model field that has a form field)
    return field


class CoursePresentationForm(forms.Form):
    description = _text("description", rows=4, max_length=DESCRIPTION_MAX)
    audience = _text("audience", rows=3, max_length=AUDIENCE_MAX)
    objectives = _text("objectives", rows=5, max_length=OBJECTIVES_MAX)
