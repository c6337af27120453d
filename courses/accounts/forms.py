from __future__ import annotations

from allauth.core import context as allauth_context
from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import User
from courses.validators import normalize_rpps


class SignupExtraForm(forms.Form):
    """What allauth's sign-up form asks beyond e-mail and password: the name on certificates."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["full_name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # From a list invitation, the name the list gave (`?full_name=`, the invitation page's
        # link): shown to be kept or corrected, never taken without the person's submit.
        request = allauth_context.request
        given = request.GET.get("full_name", "") if request is not None else ""
        if given and not self.is_bound:
            self.initial.setdefault("full_name", given[:150])

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class ProfileForm(forms.ModelForm):
    # Wider than the model's 11 characters: people type "123 456 789 01"; clean_ removes spaces
    # and the model's validator checks the digits.
    professional_id = forms.CharField(
        label=_("RPPS number"),
        required=False,
        max_length=20,
        help_text=_("Optional. Your 11-digit RPPS identifier, printed on your certificates."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = User
        fields = ["full_name", "professional_id"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True

    def clean_professional_id(self) -> str:
        return normalize_rpps(self.cleaned_data.get("professional_id") or "")
