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
