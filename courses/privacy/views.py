from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from courses.cohorts.selectors import invitation_by_token
from courses.cohorts.services import inviter_name
from courses.models import AccessRecord, User
from courses.system import accesses

from . import export, selectors, services
from .forms import EraseForm


class PrivacyNoticeView(TemplateView):
    """The privacy notice (RGPD art. 13 and 14), public. A legal text is written in each
    language as a whole rather than sentence by sentence: one template per language."""

    def get_template_names(self) -> list[str]:
        language = "en" if (get_language() or "").startswith("en") else "fr"
        return [f"courses/privacy/notice_{language}.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(notice=selectors.notice(), **kwargs)


@method_decorator(never_cache, name="dispatch")
class InvitationObjectView(View):
    """The link in an invitation e-mail: "I do not want to be invited". GET asks (mail
    scanners follow links); POST deletes the invitation and keeps the objection. No login:
    whoever has the link received the e-mail."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = invitation_by_token(token=kwargs["token"])
        if invitation is None or invitation.accepted_at is not None:
            return render(request, "courses/privacy/objection.html", {"gone": True}, status=404)
        context = {"invitation": invitation, "who": inviter_name(invitation)}
        return render(request, "courses/privacy/objection.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = invitation_by_token(token=kwargs["token"])
        if invitation is not None and invitation.accepted_at is None:
            services.invitation_object(invitation=invitation)
        # Said the same way whether or not there was still an invitation: a second click, or a
        # colleague's list that was since re-imported, changes nothing the page could say.
        return render(request, "courses/privacy/objection.html", {"done": True})


class PersonalDataExportView(LoginRequiredMixin, View):
    """POST (from the profile): everything the site keeps about the signed-in person, as a
    JSON file (RGPD art. 15 and 20)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (LoginRequiredMixin)
        data = export.personal_data(user=request.user)
        accesses.record(
            by=request.user, action=AccessRecord.Action.DATA_EXPORTED, subject=request.user
        )
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        name = f"donnees-{slugify(settings.SITE_NAME)}-{timezone.localdate():%Y%m%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


@method_decorator(never_cache, name="dispatch")
class AccountEraseView(LoginRequiredMixin, View):
    """From the profile: erase my account, after giving my password again (RGPD art. 17)."""

    template_name = "courses/privacy/erase.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(request, EraseForm(user=request.user))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assert isinstance(request.user, User)  # noqa: S101  (LoginRequiredMixin)
        form = EraseForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            services.account_erase(user=request.user, by=request.user, why="own request")
        except services.ErasureRefused as error:
            form.add_error(None, str(error))
            return self._render(request, form, status=409)
        logout(request)
        messages.success(
            request,
            _("Your account is erased. Your address can be used again to create a new account."),
        )
        return redirect("courses:catalog")

    def _render(self, request: HttpRequest, form: EraseForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "notice": selectors.notice()}
        return render(request, self.template_name, context, status=status)
