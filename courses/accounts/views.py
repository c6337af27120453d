from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.views import ConfirmEmailView
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView

from courses.certificates import selectors as certificate_selectors

from .forms import ProfileForm
from .services import user_profile_update


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "courses/accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("courses:profile")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            certificates=certificate_selectors.holder_certificates(user=self.request.user),
            **kwargs,
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.request.user
        return kwargs

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        user_profile_update(
            user=self.request.user,
            full_name=form.cleaned_data["full_name"],
            professional_id=form.cleaned_data["professional_id"],
        )
        messages.success(self.request, _("Your profile has been saved."))
        return super().form_valid(form)


class ConfirmEmailAndSignInView(ConfirmEmailView):
    """allauth's e-mail confirmation, which also signs the person in when the link is opened
    in another browser than the one that signed up (a phone's mail app, most often): allauth
    signs in only when the sign-up is still in the session.

    The link can do this once: it confirms an address not yet confirmed, and allauth's keys
    name only unconfirmed addresses (a second use finds nothing), within
    ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS.
    """

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        address = self.get_object().email_address
        was_verified = address.verified
        response = super().post(*args, **kwargs)
        address.refresh_from_db()
        user = address.user
        if (
            not was_verified
            and address.verified
            and not self.request.user.is_authenticated
            and user.is_active
        ):
            login(self.request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            return redirect(get_adapter(self.request).get_login_redirect_url(self.request))
        return response
