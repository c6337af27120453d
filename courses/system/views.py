from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from . import selectors


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and orchestrators: 200 while the database answers, else 503.

    The broker's state is reported but does not fail the probe: the site keeps serving (and
    owes its tasks to the sweeper) while Redis is away.
    """
    database = selectors.database_ok()
    broker = selectors.broker_ok()
    return JsonResponse(
        {"database": "ok" if database else "error", "broker": "ok" if broker else "error"},
        status=200 if database else 503,
    )


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, landing on the same page in the chosen language.

    Django's own view cannot find the French page from an English one when the default language
    has no prefix (it keeps /en/), so the target is rebuilt here: drop the prefix, then add the
    chosen language's unless it is the default. What comes out is checked again: dropping
    "/en" from `/en//evil.example/` (a path Django accepts) would make a link to another site,
    so a target that is not a plain path of this site becomes the chosen language's home page.
    """
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if response.status_code != 302 or not check_for_language(language):
        return response
    target = urlsplit(response["Location"])
    path = target.path
    for code, _name in settings.LANGUAGES:
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            path = path[len(code) + 1 :] or "/"
            break
    if not _plain_local_path(path):
        path, target = "/", urlsplit("/")
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    response["Location"] = urlunsplit(("", "", path, target.query, target.fragment))
    return response


def _plain_local_path(path: str) -> bool:
    """A path a browser reads as one of this site's: browsers drop tabs and newlines, skip
    leading spaces and control characters, and read "\\" as "/"; "//host" is another site."""
    seen = re.sub(r"[\x00-\x20]", "", path).replace("\\", "/")
    return (
        seen.startswith("/")
        and not seen.startswith("//")
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    )
