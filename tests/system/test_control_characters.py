"""Control characters in an address or a form get a 404 or a form error, never a 500 (issue 17).

Every URL pattern of the site (the admin's included, in both languages) is requested with NUL
and other control characters in each of its parameters and in its query string, by a visitor,
a learner and course staff; then every page that takes a POST is sent every form field the
site knows, filled with NUL. Before: `/cohorts/join/%00/`, `/invitations/%00/` and the
learners' table's `?q=%00` answered 500 on PostgreSQL.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

import courses
from courses.models import Invitation, QuestionItem

pytestmark = pytest.mark.django_db

BAD = ["%00", "a%00b", "%01", "%0A", "%1F", "%7F"]
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    template: str  # "courses/<slug:slug>/lessons/<int:pk>/", allauth's regexes as they are
    name: str

    @property
    def parameters(self) -> list[str]:
        return [m.group("name") or m.group("group") for m in CONVERTER.finditer(self.template)]

    def url(self, values: dict[str, str] | str) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group("name") or match.group("group")
            return values if isinstance(values, str) else values[name]

        path = CONVERTER.sub(value, self.template).replace("^", "").replace("$", "")
        return "/" + path


def routes() -> Iterator[Route]:
    """Every URL pattern, under each language prefix for those that have one."""

    def walk(patterns, prefixes: list[str]) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if isinstance(pattern.pattern, LocalePrefixPattern):
                    inner = ["", "en/"]
                else:
                    inner = [str(pattern.pattern)]
                yield from walk(pattern.url_patterns, [p + i for p in prefixes for i in inner])
            elif isinstance(pattern, URLPattern):
                for prefix in prefixes:
                    yield Route(prefix + str(pattern.pattern), pattern.name or "")

    yield from walk(get_resolver().url_patterns, [""])


ROUTES = list(routes())


@pytest.fixture
def world(make_course, make_user, make_item, make_cohort, instructor, issue_certificate):
    """One of everything an address can name, and a visitor, a learner and course staff."""
    from courses.cohorts.services import cohort_join
    from courses.quizzes.services import attempt_start

    course = make_course(modules=1, lessons=2)
    lesson = course.modules.get().lessons.order_by("position").first()
    cohort = make_cohort(course)
    learner = make_user(full_name="Léa Dubois")
    member = cohort_join(cohort=cohort, user=learner)
    certificate = issue_certificate(member.enrollment)  # before the lesson has questions
    items = [make_item(lesson) for _ in range(3)]
    attempt, _created = attempt_start(enrollment=member.enrollment, lesson=lesson)
    invitation = Invitation.objects.create(
        cohort=cohort, email="invitee@example.org", invited_by=instructor
    )
    admin = make_user(email="admin@example.org", is_staff=True, is_superuser=True)
    clients = {"visitor": Client()}
    for role, user in [("learner", learner), ("staff", instructor), ("admin", admin)]:
        clients[role] = Client()
        clients[role].force_login(user)

    def values(route: Route) -> dict[str, str]:
        """Real values for the route's parameters, so that its view is reached."""
        t = route.template
        pk = (
            cohort.pk
            if "cohorts/<int:pk>" in t
            else attempt.pk
            if "/quiz/<int:pk>" in t
            else items[0].pk
            if "/items/<int:pk>" in t
            else lesson.pk
        )
        token = (
            cohort.invite_token
            if "join" in t
            else invitation.token
            if "invitations" in t
            else "x" * 20
        )
        known = {
            "slug": course.slug,
            "pk": str(pk),
            "invitation": str(invitation.pk),
            "member": str(member.pk),
            "lesson": str(lesson.pk),
            "enrollment": str(member.enrollment.pk),
            "code": certificate.code,
            "standard": "2004",
            "fmt": "csv",
            "token": token,
            "key": "0" * 64,
            "uidb36": "1",
        }
        return {name: known.get(name, "1") for name in route.parameters}

    assert QuestionItem.objects.filter(lesson=lesson).count() == 3
    return clients, values


def status(client: Client, method: str, url: str, data: dict | None = None) -> int:
    call = client.get if method == "GET" else client.post
    return call(url, data or {}).status_code


def test_every_route_is_tried():
    assert len(ROUTES) > 250  # both languages, the admin's too
    assert sum(bool(route.parameters) for route in ROUTES) > 100


def test_a_control_character_in_any_parameter_is_a_404(world):
    clients, _values = world
    failures = []
    for route in ROUTES:
        if not route.parameters:
            continue
        for bad in BAD:
            url = route.url(bad)
            for role, client in clients.items():
                for method in ("GET", "POST"):
                    answer = status(client, method, url)
                    if answer != 404:
                        failures.append((role, method, url, answer))
    assert failures == []


def test_a_control_character_in_any_query_is_a_404(world):
    clients, values = world
    failures = []
    for route in ROUTES:
        url = route.url(values(route))
        for bad in BAD:
            query = f"q={bad}&page={bad}&next=/&status={bad}&passage=1-{bad}&cohort={bad}"
            for role, client in clients.items():
                answer = status(client, "GET", f"{url}?{query}")
                if answer != 404:
                    failures.append((role, url, bad, answer))
            # In a parameter's name too.
            answer = status(clients["staff"], "GET", f"{url}?x{bad}y=1")
            if answer != 404:
                failures.append(("staff", url, f"name {bad}", answer))
    assert failures == []


def form_fields() -> set[str]:
    """The name of every field of every form the site has, and of what views read directly."""
    for module in pkgutil.walk_packages(courses.__path__, "courses."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found: set[str] = set()
    pending: list[type] = [forms.BaseForm]
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        if form.__module__.startswith("courses."):
            found.update(
                name
                for name, field in getattr(form, "base_fields", {}).items()
                if not isinstance(field, forms.FileField)
            )
    read_directly = {"remove", "action", "confirm", "read", "insert", "text", "target"}
    read_directly |= {"restore", "base_version", "language", "preview", "next", "resends"}
    return found | read_directly


def test_nul_in_every_form_field_is_a_form_error_not_a_500(world):
    """Every page that takes a POST, sent every field name the site knows, filled with NUL (a
    second time with NUL among valid characters), by a learner and by course staff."""
    clients, values = world
    fields = form_fields()
    assert {"text", "reason", "stem", "full_name", "email", "message"} <= fields
    failures = []
    reached = 0
    for route in ROUTES:
        if "admin/" in route.template:
            continue  # Django's own, its forms Django's; the address tests above cover it
        url = route.url(values(route))
        for filler in ("\x00", "ok\x00ok"):
            data = dict.fromkeys(fields, filler)
            for role in ("learner", "staff"):
                answer = status(clients[role], "POST", url, data)
                reached += answer not in {404, 405}
                if answer >= 500:
                    failures.append((role, url, repr(filler), answer))
    assert failures == []
    assert reached > 400  # the views were reached (of ~680 posts), not refused at their door
