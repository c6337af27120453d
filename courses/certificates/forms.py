"""Course staff's actions on a certificate: revoke it, re-issue it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Certificate

# Certificate.revocation_reason and Certificate.reissue_reason hold this many characters.
REASON_MAX = 300


class RevokeForm(forms.Form):
    """A reason is required; the first submission asks for confirmation, the second revokes."""

    category = forms.ChoiceField(
        label=_("What the verification page will say"),
        choices=Certificate.RevocationCategory.choices,
        widget=forms.RadioSelect,
        help_text=_("Shown publicly with the date, to whoever checks the certificate."),
    )
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the course's staff and the holder only: never shown publicly."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the re-issue"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For instance: name corrected at the learner's request."),
    )
