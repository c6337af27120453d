from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

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
