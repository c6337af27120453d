from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .forms import ProfileForm
from .services import user_profile_update


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "courses/accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("courses:profile")

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
