"""The project's URLs plus two reference views the pages are compared with.

Both go through the whole middleware stack (sessions, locale, CSRF, auth, CSP...), so a page's
rate over theirs is the cost of the page itself:

- /bench/bare/: the cheapest response the server can give;
- /bench/user/: the cheapest logged-in response (session read, user loaded), the floor of any
  page that knows who is reading; 403 when the session is not logged in, so that a broken
  session shows as errors instead of fast answers.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import path

from elearn.urls import urlpatterns as project_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def user(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseForbidden("not logged in")
    return HttpResponse(str(request.user.pk))


urlpatterns = [path("bench/bare/", bare), path("bench/user/", user), *project_urlpatterns]
