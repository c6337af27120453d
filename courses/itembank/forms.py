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
from courses.quizgen.nlp import Sentence

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


# A finding about given options, one message per option at fault, naming it and the rule:
# (code, rule) -> message with %(letter)s and %(word)s.
OPTION_FLAW_MESSAGES: dict[tuple[str, str], Promise] = {
    ("grammatical_cue", "elided"): _(
        "Option %(letter)s cannot follow “%(word)s”: after an elision the word must begin with "
        "a vowel sound (grammar: elision). A learner can rule it out without knowing the answer."
    ),
    ("grammatical_cue", "elides"): _(
        "Option %(letter)s begins with a vowel sound: after “%(word)s” French would elide (l’, "
        "d’…), so it stands out (grammar: elision). A learner can rule it out without knowing "
        "the answer."
    ),
    ("grammatical_cue", "feminine"): _(
        "Option %(letter)s is feminine and follows “%(word)s”, which is masculine (grammar: "
        "gender). A learner can rule it out without knowing the answer."
    ),
    ("grammatical_cue", "masculine"): _(
        "Option %(letter)s is masculine and follows “%(word)s”, which is feminine (grammar: "
        "gender). A learner can rule it out without knowing the answer."
    ),
    ("grammatical_cue", "article"): _(
        "Option %(letter)s carries an article and most options do not: write them all alike "
        "(grammar: articles)."
    ),
    ("grammatical_cue", "no_article"): _(
        "Option %(letter)s has no article and most options do: write them all alike (grammar: "
        "articles)."
    ),
    ("duplicate_options", ""): _(
        "Option %(letter)s is the same as an option above once case, accents and a leading "
        "article are ignored."
    ),
    ("all_or_none", ""): _(
        "Option %(letter)s is “all of the above” or “none of the above”: not allowed, it "
        "rewards test-taking skill rather than knowledge."
    ),
    ("key_in_stem", ""): _(
        "The question contains the correct answer (option %(letter)s): it gives it away."
    ),
}


def flaw_message(flaw: Flaw) -> str:
    if flaw.code == "clang" and (words := _CLANG_WORDS.search(flaw.message)):
        return str(CLANG_WITH_WORDS % {"words": words.group(1)})
    return str(FLAW_MESSAGES.get(flaw.code, FLAW_UNKNOWN))


def flaw_findings(flaw: Flaw) -> list[tuple[str | None, str]]:
    """What a check found, as (field, message) pairs: one per option at fault, naming it and
    the rule, where the check says which; else one message beside what it is about."""
    template = OPTION_FLAW_MESSAGES.get((flaw.code, flaw.rule))
    if template is not None and flaw.options:
        field = FLAW_FIELDS.get(flaw.code)
        return [
            (
                field or f"option_{index}",
                str(template % {"letter": LETTERS[index], "word": flaw.word}),
            )
            for index in flaw.options
            if index < len(LETTERS)
        ]
    return [(FLAW_FIELDS.get(flaw.code), flaw_message(flaw))]


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
    # Offered once checks refused the question and staff may overrule them (the view says).
    override_reason = forms.CharField(
        label=_("Why save it anyway?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "If you judge the check wrong here, say why: the reason is recorded with the "
            "question and shown on the review page."
        ),
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
        """The item-writing checks' refusal, as errors beside what they are about (each option
        at fault named, with the rule)."""
        for flaw in flaws:
            for field, message in flaw_findings(flaw):
                self.add_error(field, ValidationError(message, code=flaw.code))


class ItemWriteForm(ItemEditForm):
    """A question staff write themselves: the edit form, and the lesson's sentence it is
    drawn from (``sentences``: itembank.selectors.lesson_sentences)."""

    source = forms.ChoiceField(
        label=_("The sentence of the lesson it is drawn from"),
        widget=forms.RadioSelect,
        help_text=_(
            "Learners who answer wrong are sent back to it; the question goes back to review "
            "if it changes."
        ),
        error_messages={"required": _("Choose the sentence the question is drawn from.")},
    )

    def __init__(self, *args: Any, sentences: Sequence[Sentence] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            (f"{sentence.start}-{sentence.end}", sentence.text) for sentence in sentences
        ]
        self.fields["approve"].help_text = _("Left unticked, the question waits for review.")

    def source_span(self) -> tuple[int, int]:
        start, end = self.cleaned_data["source"].split("-")
        return int(start), int(end)
