"""The satisfaction questionnaire as a learner answers it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import COMMENT_MAX, RATING_MAX, RATING_MIN

RATINGS = [(str(n), str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]


class SatisfactionForm(forms.Form):
    """A 1-to-5 rating per question (each optional) and a comment; at least one of them."""

    comment = forms.CharField(
        label=_("Your comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX,
        required=False,
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        rated = {
            f"q{index}": forms.ChoiceField(
                label=question,
                choices=RATINGS,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": _("Choose a rating from 1 to 5.")},
            )
            for index, question in enumerate(questions)
        }
        self.fields = {**rated, **self.fields}

    def rating_fields(self) -> list[forms.BoundField]:
        return [self[f"q{index}"] for index in range(len(self.questions))]

    def ratings(self) -> list[int | None]:
        values = [self.cleaned_data.get(f"q{index}") for index in range(len(self.questions))]
        return [int(value) if value else None for value in values]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("comment", "").strip() and not any(self.ratings()):
            raise forms.ValidationError(_("Rate at least one statement, or leave a comment."))
        return cleaned
