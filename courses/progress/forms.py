"""Course staff's settings of a course."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from courses.models.catalog import QUIZ_QUESTIONS_MAX, QUIZ_QUESTIONS_MIN

from .services import (
    CONTACT_HOURS_MIN,
    PASS_MARK_MAX,
    PASS_MARK_MIN,
    satisfaction_questions_parse,
)


class CourseSettingsForm(forms.Form):
    def clean_satisfaction_questions(self) -> list[str]:
        return satisfaction_questions_parse(self.cleaned_data.get("satisfaction_questions", ""))

    """What completing the course takes and what its certificate says (labels: the model's)."""

    completion_rule = forms.ChoiceField(
        label=capfirst(_("completion rule")),
        choices=Course.CompletionRule.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "A lesson without approved questions has no quiz: it counts once read. A completion "
            "already recorded stands when this changes; learners who meet the new rule complete "
            "the course at once."
        ),
    )
    pass_mark = forms.IntegerField(
        label=capfirst(_("pass mark (%)")),
        min_value=PASS_MARK_MIN,
        max_value=PASS_MARK_MAX,
        error_messages={
            "min_value": _("The pass mark is a percentage between 1 and 100."),
            "max_value": _("The pass mark is a percentage between 1 and 100."),
        },
        help_text=_("Share of correct answers needed to pass a lesson's quiz."),
    )
    quiz_questions = forms.IntegerField(
        label=capfirst(_("questions per attempt")),
        min_value=QUIZ_QUESTIONS_MIN,
        max_value=QUIZ_QUESTIONS_MAX,
        required=False,  # left out, the course keeps its setting
        error_messages={
            "min_value": _("An attempt has between 5 and 50 questions."),
            "max_value": _("An attempt has between 5 and 50 questions."),
        },
        help_text=_(
            "Each on another fact. A lesson whose approved questions ask fewer facts offers "
            "them all; its review page says so."
        ),
    )
    # Labels and help texts: the model's own.
    partial_credit = Course._meta.get_field("partial_credit").formfield(required=False)
    multiple_count_shown = Course._meta.get_field("multiple_count_shown").formfield(required=False)
    max_attempts = forms.IntegerField(
        label=capfirst(_("attempts allowed per quiz")),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty for unlimited attempts."),
    )
    review_release = forms.ChoiceField(
        label=capfirst(_("right answers shown")),
        choices=Course.ReviewRelease.choices,
        widget=forms.RadioSelect,
        required=False,  # left out, the course keeps its setting
        help_text=_(
            "Until then, a wrong answer's result shows neither the right option nor the "
            "explanation, only the passage of the lesson to re-read."
        ),
    )
    training_nature = forms.CharField(
        label=capfirst(_("nature of the training")),
        max_length=300,
        required=False,
        help_text=_(
            "As the end-of-training certificate states it. Empty: a training action (article "
            "L6313-1 of the Code du travail), delivered online."
        ),
    )
    satisfaction_questions = forms.CharField(
        label=capfirst(_("satisfaction questionnaire")),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "One statement per line (ten at most), each rated by learners from 1 (strongly "
            "disagree) to 5 (strongly agree), with a comment; offered at the end of the course, "
            "optional. Empty: no questionnaire."
        ),
    )
    contact_hours = forms.DecimalField(
        label=capfirst(_("contact hours")),
        min_value=CONTACT_HOURS_MIN,
        max_value=Decimal("9999.9"),
        max_digits=5,
        decimal_places=1,
        error_messages={"min_value": _("A course lasts at least half an hour.")},
        help_text=_(
            "Printed on the certificate. Certificates already issued keep what they print."
        ),
    )
    certificate_validity_months = forms.IntegerField(
        label=capfirst(_("certificate validity (months)")),
        min_value=1,
        max_value=600,
        required=False,
        help_text=_("Leave empty for certificates that do not expire."),
    )
