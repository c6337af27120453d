"""Course staff's presentation of a course (labels and help texts: the model's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Module

from .services import AUDIENCE_MAX, DESCRIPTION_MAX, MODULE_TITLE_MAX, OBJECTIVES_MAX


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
    cover = forms.FileField(
        label=_("Choose an image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, 3 MB at most; shown cut down to 1,600 × 900 pixels."),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    def __init__(self, *args: Any, modules: Sequence[Module] = (), **kwargs: Any) -> None:
        """A title field per module (``module_<pk>``), its imported title said beside it."""
        super().__init__(*args, **kwargs)
        self.modules = list(modules)
        for number, module in enumerate(self.modules, start=1):
            self.fields[f"module_{module.pk}"] = forms.CharField(
                label=_("Module %(number)d") % {"number": number},
                max_length=MODULE_TITLE_MAX,
                required=False,
                help_text=(
                    _("Imported title: “%(title)s”. Left empty, the module takes it again.")
                    % {"title": module.imported_title}
                    if module.imported_title
                    else ""
                ),
            )
            self.initial.setdefault(f"module_{module.pk}", module.title)

    def module_fields(self) -> list[forms.BoundField]:
        return [self[f"module_{module.pk}"] for module in self.modules]

    def presentation(self) -> dict[str, str]:  # what course_presentation_update takes
        return {name: self.cleaned_data[name] for name in ("description", "audience", "objectives")}

    def module_titles(self) -> dict[Module, str]:
        return {module: self.cleaned_data[f"module_{module.pk}"] for module in self.modules}
