"""The admin site, signed into through the site's own login.

Django's admin has a login form of its own, outside allauth's rate limits: a password could be
tried there without end. Here the admin's login view never checks a password: it sends the
visitor to the site's login (allauth: failed attempts limited per address and per account,
ACCOUNT_RATE_LIMITS) with the admin page as `next`, and back into the admin once signed in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class SiteAdmin(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(target)
            # Signed in, but not staff: the site's login would send them straight back here.
            raise PermissionDenied
        return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': target})}")

    # The courses app's models that are about people, not courses: shown with allauth's
    # e-mail addresses under "Comptes", not under "Formations".
    PEOPLE = ("User", "AccessRecord")

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        apps = super().get_app_list(request, app_label)
        courses = next((app for app in apps if app["app_label"] == "courses"), None)
        if courses is None or app_label is not None:
            return apps
        people = [model for model in courses["models"] if model["object_name"] in self.PEOPLE]
        courses["models"] = [m for m in courses["models"] if m["object_name"] not in self.PEOPLE]
        accounts = next((app for app in apps if app["app_label"] == "account"), None)
        if accounts is None:
            accounts = {**courses, "name": _("Accounts"), "models": []}
            apps.append(accounts)
        accounts["models"] = sorted(accounts["models"] + people, key=lambda m: str(m["name"]))
        return sorted(apps, key=lambda app: str(app["name"]).lower())
