"""Course staff's review of an item: a status change, or an edit of its text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from courses.models import QuestionItem
from courses.quizgen import Flaw

from .selectors import STATUS_FILTERS

OPTION_COUNT = 4
MULTIPLE_OPTION_COUNT = 5  # a multiple-response item: five options, two or three right
LETTERS = "ABCDE"

# The item-writing checks' findings, in the reviewer's language (the checks speak English to
# the generator's logs). NBME, "Constructing Written Test Questions", chapter 2.
FLAW_MESSAGES: dict[str, Promise] = {
    "option_count": _("A question has exactly four options (five with several right answers)."),
    "answer_index": _("The correct answer must be one of the options."),
    "key_count": _("Tick two right answers or more, but not every option."),
    "empty_option": _("Every option must be filled in."),
    "duplicate_options": _(
        "Two options are the same once case, accents and a leading article are ignored."
    ),
    "all_or_none": _(
        "“All of the above” and “none of the above” are not allowed as options: they reward "
        "test-taking skill rather than knowledge."
    ),
    "negative_stem": _(
        "The question is negative: word it positively, or write the whole negation in capitals "
        "(N’EST PAS) so that nobody misses it."
    ),
    "not_a_question": _(
        "The question must end with a question mark, or hold a gap written _____ "
        "(five underscores)."
    ),
    "key_in_stem": _("The question contains the correct answer: it gives it away."),
    "clang": _(
        "The question and the correct answer alone share a word: a learner can pick the answer "
        "without knowing it."
    ),
    "grammatical_cue": _(
        "The options do not all fit the question grammatically (article, elision, gender): a "
        "learner can rule some out without knowing the answer."
    ),
}
CLANG_WITH_WORDS = _(
    "The question and the correct answer alone share a word (%(words)s): a learner can pick "
    "the answer without knowing it."
)
FLAW_UNKNOWN = _("The question fails an item-writing check.")
# Flaws about the wording of the question go beside it; the others concern the options.
FLAW_FIELDS = {
    "negative_stem": "stem",
    "not_a_question": "stem",
    "key_in_stem": "stem",
    "clang": "stem",
    "answer_index": "answer",
}
# The words a "clang" flaw names, at the end of its English message: "... (word, word)".
_CLANG_WORDS = re.compile(r"\(([^()]+)\)\s*$")


def flaw_message(flaw: Flaw) -> str:
    if flaw.code == "clang" and (words := _CLANG_WORDS.search(flaw.message)):
        return str(CLANG_WITH_WORDS % {"words": words.group(1)})
    return str(FLAW_MESSAGES.get(flaw.code, FLAW_UNKNOWN))


class ItemReviewForm(forms.Form):
    """Approve, reject or send back to draft (the buttons of the review page)."""

    status = forms.ChoiceField(choices=QuestionItem.Status.choices)
    # The filter the review page was showing, to go back to it.
    shown = forms.ChoiceField(choices=[(value, value) for value in STATUS_FILTERS], required=False)


class ItemEditForm(forms.Form):
    """Stem, four options, the key and the explanation of one item.

    Django (5.2) marks a field with an error aria-invalid and points its aria-describedby at
    ``<id>_error``, the element the template gives that id.
    """

    stem = forms.CharField(
        label=_("Question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A question ending with “?”, or a sentence with a gap written _____."),
    )
    option_0 = forms.CharField(label=_("Option A"), max_length=500)
    option_1 = forms.CharField(label=_("Option B"), max_length=500)
    option_2 = forms.CharField(label=_("Option C"), max_length=500)
    option_3 = forms.CharField(label=_("Option D"), max_length=500)
    answer = forms.TypedChoiceField(
        label=_("Correct answer"),
        choices=[
            (index, label)
            for index, label in enumerate(
                [_("Option A"), _("Option B"), _("Option C"), _("Option D")]
            )
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown to learners after they answer."),
    )
    approve = forms.BooleanField(
        label=_("Approve after saving"),
        required=False,
        initial=True,
        help_text=_("Left unticked, the question keeps its current status."),
    )

    def __init__(self, *args: Any, multiple: bool = False, **kwargs: Any) -> None:
        """``multiple``: a multiple-response item, five options and every right one ticked."""
        super().__init__(*args, **kwargs)
        self.multiple = multiple
        self.option_count = MULTIPLE_OPTION_COUNT if multiple else OPTION_COUNT
        if multiple:
            self.fields["option_4"] = forms.CharField(label=_("Option E"), max_length=500)
            self.fields["answer"] = forms.TypedMultipleChoiceField(
                label=_("Right answers"),
                choices=[(index, _("Option %(letter)s") % {"letter": letter})
                         for index, letter in enumerate(LETTERS)],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
            )  # fmt: skip
            # The fields in the page's order: the fifth option after the fourth.
            order = ["stem", *(f"option_{index}" for index in range(5)), "answer"]
            self.order_fields(order)

    @classmethod
    def initial_for(cls, item: QuestionItem) -> dict[str, Any]:
        options = list(item.options) if isinstance(item.options, list) else []
        initial: dict[str, Any] = {
            "stem": item.stem,
            "answer": item.keys if item.is_multiple else item.answer,
            "explanation": item.explanation,
            "approve": True,
        }
        count = MULTIPLE_OPTION_COUNT if item.is_multiple else OPTION_COUNT
        for index in range(count):
            initial[f"option_{index}"] = options[index] if index < len(options) else ""
        return initial

    @property
    def option_fields(self) -> list[forms.BoundField]:
        return [self[f"option_{index}"] for index in range(self.option_count)]

    def options(self) -> list[str]:
        return [self.cleaned_data[f"option_{index}"] for index in range(self.option_count)]

    def add_flaws(self, flaws: Sequence[Flaw]) -> None:
        """The item-writing checks' refusal, as errors beside what they are about."""
        for flaw in flaws:
            self.add_error(
                FLAW_FIELDS.get(flaw.code),
                ValidationError(flaw_message(flaw), code=flaw.code),
            )
