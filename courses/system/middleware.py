"""What every request and response goes through: addresses with control characters refused,
downloads kept out of shared caches, browser features the site never uses switched off.

Requests whose address carries control characters are refused before any view sees them.

A NUL in a URL's path or query string reached PostgreSQL as a lookup value (`/cohorts/join/%00/`,
`?q=%00`) and failed there with a 500. No page of the site has a control character in its
address, and no link it makes puts one in a query: such a request is a 404, whatever view it
would have reached. Text posted through forms is checked by the forms themselves (Django's
CharField refuses NUL with a form error).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

# C0 controls and DEL. Tabs and line breaks are refused too: none belongs in an address.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(request: HttpRequest) -> bool:
    if CONTROL.search(request.path):
        return True
    return any(
        CONTROL.search(key) or any(CONTROL.search(value) for value in values)
        for key, values in request.GET.lists()
    )


class ControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request):
            raise Http404(_("This address contains characters no page has."))
        return self.get_response(request)


class ResponseHeadersMiddleware:
    """Every file the site hands out as a download or a document (a certificate's PDF, a
    cohort's results, a satisfaction export, a SCORM package: whatever has a
    Content-Disposition and no caching of its view's choosing) is `private, no-store`: never
    kept by a proxy, a shared computer's browser cache or the back button. Every response
    says which browser features no page uses (PERMISSIONS_POLICY: camera, microphone,
    location…), so that injected markup could not ask for them either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A view that chose its caching keeps it (a published course's cover, cached a year;
        # FileResponse names every file it serves, inline or not).
        if response.has_header("Content-Disposition") and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
