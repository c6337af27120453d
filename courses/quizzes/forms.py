from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .selectors import QuestionShown
from .services import EXTRA_TIME_MAX

# Every field named like a question ("q0", "q1"…), to refuse those the attempt does not have.
_QUESTION_FIELD = re.compile(r"q.*")
# Errors that the page itself cannot produce: a value or a question it never offered.
_TAMPERING = {"invalid_choice", "invalid", "unknown_question"}


class AttemptForm(forms.Form):
    """One radio group per question; values are the options' positions on the page.

    The server maps them back through the attempt's stored order: nothing in the form says
    which option is which item's key.
    """

    # No "required" attribute: the server says which questions are unanswered, and a timed
    # quiz must be submittable when the time runs out.
    use_required_attribute = False

    def __init__(
        self, *args: Any, questions: list[QuestionShown], time_is_up: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.position}"
            choices = [(str(display), text) for display, text in question.choices]
            messages = {
                "required": _("Choose an answer."),
                "invalid_choice": _("This answer is not one of the choices offered."),
                "invalid_list": _("This answer is not one of the choices offered."),
            }
            # Once the time is up, what was answered is graded and the rest counts as wrong.
            field_class, widget, initial = (
                (
                    forms.TypedMultipleChoiceField,
                    forms.CheckboxSelectMultiple,
                    [str(shown) for shown in question.selected_many] or None,
                )
                if question.multiple
                else (
                    forms.TypedChoiceField,
                    forms.RadioSelect,
                    str(question.selected) if question.selected is not None else None,
                )
            )
            if question.multiple:
                messages["required"] = _("Select at least one answer.")
            self.fields[name] = field_class(
                label=question.stem,
                choices=choices,
                coerce=int,
                required=not time_is_up,
                widget=widget,
                error_messages=messages,
            )
            if initial is not None:
                self.initial[name] = initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unknown = [
            key for key in self.data if _QUESTION_FIELD.fullmatch(key) and key not in self.fields
        ]
        if unknown:
            raise ValidationError(
                _("This answer is not for a question of this attempt."), code="unknown_question"
            )
        return cleaned

    @property
    def rows(self) -> list[tuple[QuestionShown, forms.BoundField]]:
        return [(question, self[f"q{question.position}"]) for question in self.questions]

    @property
    def unanswered(self) -> list[QuestionShown]:
        return [q for q in self.questions if f"q{q.position}" in self.errors]

    @property
    def tampered(self) -> bool:
        """Whether the post holds what the page never offered (an attack, not a slip)."""
        return any(
            error.code in _TAMPERING
            for errors in self.errors.as_data().values()
            for error in errors
        )

    def answers(self) -> dict[int, int | list[int]]:
        """Question position -> option position on the page (the positions ticked, for a
        multiple-response question), for the questions answered."""
        return {
            question.position: self.cleaned_data[f"q{question.position}"]
            for question in self.questions
            if self.cleaned_data.get(f"q{question.position}") not in (None, "", [])
        }


class AnswerForm(forms.Form):
    """One answer, saved as it is given (the quiz page's script posts it): a ``choice``, or
    for a multiple-response question (``multiple``) every option ticked (none clears it)."""

    position = forms.IntegerField(min_value=0)
    choice = forms.TypedMultipleChoiceField(coerce=int, required=False)
    multiple = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any number is accepted here; the attempt says which positions exist.
        field = self.fields["choice"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101
        field.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("choice") or []
        if not cleaned.get("multiple") and len(chosen) != 1:
            raise ValidationError(_("This answer is not one of the choices offered."))
        return cleaned

    def chosen(self) -> int | list[int]:
        chosen = list(self.cleaned_data.get("choice") or [])
        return chosen if self.cleaned_data.get("multiple") else chosen[0]


class ExtraTimeForm(forms.Form):
    extra_time_percent = forms.IntegerField(
        label=_("Extra time (%)"),
        min_value=0,
        max_value=EXTRA_TIME_MAX,
        help_text=_(
            "Added to every timed quiz this learner starts from now on: 33 for a third more "
            "time (tiers-temps), 0 for none."
        ),
    )
