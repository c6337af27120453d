"""No state a later request needs lives in one process's memory (issue 17).

Two gunicorn workers, the production settings without CACHE_URL (the `make run` and
single-machine default): a list's preview, kept in the session, must be found whichever worker
answers the confirmation. Before: sessions went through each worker's own memory cache, and
with two workers 2 confirmations in 12 were refused ("aperçu expiré").
"""

from __future__ import annotations

import re
import secrets
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.servers import free_port, gunicorn, manage, production_env

# Its own processes on a SQLite database of its own: once is enough (PostgreSQL pass).
pytestmark = pytest.mark.processes

IMPORTS = 12

SETUP = """
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.utils import timezone
from courses.cohorts.services import cohort_create
from courses.models import Course, User

user = User.objects.create_user(
    email="formatrice@example.org", password="Cadre-Onco-2026", role=User.Role.INSTRUCTOR
)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
course = Course.objects.create(title="Cours", slug="cours")
course.instructors.add(user)
today = timezone.localdate()
cohort = cohort_create(
    course=course, owner=user, name="Promotion", starts_on=today - timedelta(days=1),
    ends_on=today + timedelta(days=60), deadline=today + timedelta(days=30),
)
print(cohort.pk)
"""


class Alternating:
    """Each request after `next()` is answered by the other of two sync workers than the one
    before: a connection that sends nothing holds a worker. One held, a request goes to the
    other; that one held in turn and the first let go, the next request goes to the first."""

    def __init__(self, base: str) -> None:
        self.address = (urlsplit(base).hostname, urlsplit(base).port)
        self.held: socket.socket | None = None

    def __enter__(self) -> Alternating:
        return self

    def next(self) -> None:
        holding = socket.create_connection(self.address)
        time.sleep(0.1)  # accepted by whichever worker is free
        if self.held is not None:
            self.held.close()
            time.sleep(0.1)
        self.held = holding

    def __exit__(self, *exc_info: object) -> None:
        if self.held is not None:
            self.held.close()


def sign_in(base: str, password: str) -> tuple[requests.Session, requests.Response]:
    browser = requests.Session()
    browser.headers["Referer"] = base + "/"
    browser.get(f"{base}/accounts/login/")
    answer = browser.post(
        f"{base}/accounts/login/",
        {
            "login": "formatrice@example.org",
            "password": password,
            "csrfmiddlewaretoken": csrf(browser),
        },
        allow_redirects=False,
    )
    return browser, answer


def csrf(session: requests.Session) -> str:
    return session.cookies["csrftoken"]


@pytest.fixture
def site(tmp_path: Path):
    """The production settings, no CACHE_URL, two workers; an instructor and her cohort."""
    env = production_env(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        # A broker nobody listens on: the invitations are owed to the sweeper; the import
        # itself must not depend on it.
        CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0",
        EMAIL_URL="consolemail://",
    )
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # the manifest WhiteNoise reads
    cohort = int(manage(env, "shell", "--no-imports", "-c", SETUP).split()[-1])
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, log, workers=2, access_log=True) as base:
        yield base, cohort, log, tmp_path / "db.sqlite3"


def test_a_preview_is_confirmed_whichever_worker_answers(site):
    base, cohort, log, _database = site
    browser, answer = sign_in(base, "Cadre-Onco-2026")
    assert answer.status_code == 302, answer.text
    outcomes = []
    with Alternating(base) as alternately:
        for number in range(IMPORTS):
            alternately.next()
            preview = browser.post(
                f"{base}/cohorts/{cohort}/enrol/import/",
                {"csrfmiddlewaretoken": csrf(browser)},
                files={"file": ("liste.csv", f"email\nl{number}@example.org\n".encode())},
            )
            assert preview.status_code == 200, preview.text
            key = re.search(r'name="preview" value="([^"]+)"', preview.text).group(1)
            alternately.next()
            confirmed = browser.post(
                f"{base}/cohorts/{cohort}/enrol/import/confirm/",
                {"csrfmiddlewaretoken": csrf(browser), "preview": key},
                allow_redirects=False,
            )
            assert confirmed.status_code == 302
            # Imported: to the cohort's page; refused ("aperçu expiré"): back to its
            # enrolment page.
            outcomes.append(confirmed.headers["Location"])
    assert outcomes == [f"/cohorts/{cohort}/"] * IMPORTS, outcomes

    # Each confirmation was answered by the other worker than its preview (gunicorn's access
    # log names each request's worker).
    def served() -> list[str]:
        lines = log.read_text().splitlines()
        return [line.split()[0] for line in lines if "/enrol/import/" in line]

    deadline = time.monotonic() + 10  # a worker logs a request after answering it
    while len(served()) < 2 * IMPORTS and time.monotonic() < deadline:
        time.sleep(0.1)
    answered = served()
    previews, confirmations = answered[0::2], answered[1::2]
    assert len(confirmations) == IMPORTS
    assert all(p != c for p, c in zip(previews, confirmations, strict=True)), answered


def test_a_rate_limit_holds_whichever_worker_answers(site):
    """Five wrong passwords for the account, each worker answering in turn: the right one is
    then refused, as with one worker (each process counting its own would let it through)."""
    base, _cohort, _log, _database = site
    with Alternating(base) as alternately:
        for _ in range(5):
            alternately.next()
            _browser, answer = sign_in(base, "wrong")
            assert answer.status_code == 200
        alternately.next()
        _browser, answer = sign_in(base, "Cadre-Onco-2026")
    assert answer.status_code in {200, 429}
    assert "trop" in answer.text.lower()


def test_reading_pages_writes_nothing_to_the_database(site):
    """The cache is not the database: signed in, pages that only read leave SQLite as it was
    (a database cache would write sessions and counters there)."""
    base, cohort, _log, database = site
    browser, answer = sign_in(base, "Cadre-Onco-2026")
    assert answer.status_code == 302
    pages = ["/teaching/", f"/cohorts/{cohort}/", f"/cohorts/{cohort}/enrol/", "/"]
    for page in pages:  # the first views may write (the session's first save)
        assert browser.get(base + page).status_code == 200
    before = database.stat().st_mtime_ns, database.read_bytes()
    with Alternating(base) as alternately:
        for page in pages * 3:
            alternately.next()
            assert browser.get(base + page).status_code == 200
    assert (database.stat().st_mtime_ns, database.read_bytes()) == before
