"""Course staff's actions on a certificate: revoke it, re-issue it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# Certificate.revocation_reason and Certificate.reissue_reason hold this many characters.
REASON_MAX = 300


class RevokeForm(forms.Form):
    """A reason is required; the first submission asks for confirmation, the second revokes."""

    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public verification page, with the date."),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the re-issue"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For instance: name corrected at the learner's request."),
    )
