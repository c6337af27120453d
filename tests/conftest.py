"""Shared fixtures: the real services the suite needs, and factories for the catalogue.

The suite never skips a test because a service is missing: it stops at once and says which
service and how to start it.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import timedelta
from itertools import count
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

# The browser fixtures (one Chromium per session, shared by tests/browser and tests/scorm).
pytest_plugins = ["tests.browser.fixtures", "tests.objectstore"]

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "fixtures" / "documents"
SEED_000 = DOCUMENTS / "000_37b82c9f7e6eaa73.txt"
SEED_001 = DOCUMENTS / "001_6a2320a4508f4a38.txt"

# What the importer must make of the two fixture documents (issue: "Expected: ...").
TITLE_000 = "Qu'est-ce que syndrome de libération de cytokines\u00a0?"
TITLE_001 = (
    "Examiner le rôle de la thérapie par cytokines dans l’immunothérapie du cancer et ses effets "
    "secondaires potentiels chez les patients"
)
LESSONS_000 = [
    "Le syndrome de libération de cytokines",
    "Le traitement du syndrome de libération de cytokines",
]
LESSONS_001 = [
    "Introduction",
    "Comprendre les cytokines et le système immunitaire",
    "Thérapie par cytokines en immunothérapie anticancéreuse",
    "Effets secondaires potentiels de la thérapie par cytokines",
    "Conclusion",
]

RESTART_HINTS = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": (
        "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' "
        "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
    ),
}


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _require(service: str, url: str, default_port: int) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    if not _reachable(host, port):
        pytest.exit(
            f"{service} is not reachable at {host}:{port}; the suite needs it and does not skip. "
            f"Start it with: {RESTART_HINTS[service]}",
            returncode=3,
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        _require(
            "PostgreSQL",
            f"postgres://{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}",
            5432,
        )
    _require("Redis", settings.CELERY_BROKER_URL, 6379)


# After pytest's own -m deselection (trylast), so that `-m "not postgres"` is honoured.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` cannot run on SQLite: refuse rather than pass vacuously."""
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    selected = [item for item in items if item.get_closest_marker("postgres")]
    if selected:
        raise pytest.UsageError(
            f"{len(selected)} test(s) marked 'postgres' were selected on SQLite; "
            "deselect them with -m 'not postgres' (the Makefile does)."
        )


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request to an /en/ page activates English
    in this thread (LocaleMiddleware) and it must not leak into the next test's e-mails and
    URLs."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test into the next."""
    from django.core.cache import cache

    from courses.catalog import selectors

    cache.clear()
    selectors._rendered.entries.clear()
    yield
    cache.clear()


# --- Factories ----------------------------------------------------------------------------------

_sequence = count(1)

LESSON_TEXT = (
    "Le syndrome de libération de cytokines est une réaction inflammatoire grave. "
    "L’infirmière surveille la température, la fréquence cardiaque et la pression artérielle."
)


@pytest.fixture
def password() -> str:
    return "Correct-Horse-Battery-42"


@pytest.fixture
def make_user(db, password: str) -> Callable[..., object]:
    """A user with a verified e-mail address (allauth's mandatory verification is satisfied)."""
    from allauth.account.models import EmailAddress

    from courses.models import User

    def make(*, email: str | None = None, role: str = User.Role.LEARNER, **fields) -> User:
        email = email or f"user{next(_sequence)}@example.org"
        user = User.objects.create_user(email=email, password=password, role=role, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


def _item_source(lesson, number: int) -> dict[str, object]:
    """The lesson's first sentence for its first item; a sentence of its own for each other.

    A quiz never draws two items from one sentence (one's stem would give the other's answer
    away), so a bank of distinct questions needs distinct sentences in the lesson's text.
    """
    from courses.models import Lesson, QuestionItem
    from courses.models.catalog import text_hash

    if not QuestionItem.objects.filter(lesson=lesson).exists():
        start = lesson.text.find(ITEM_SENTENCE)
        if start >= 0:
            return {"source_start": start, "source_end": start + len(ITEM_SENTENCE)}
    sentence = f"La consigne de surveillance numéro {number} s’applique à chaque patient."
    text = f"{lesson.text}\n\n{sentence}"
    Lesson.objects.filter(pk=lesson.pk).update(text=text, text_hash=text_hash(text))
    lesson.text, lesson.text_hash = text, text_hash(text)
    start = len(text) - len(sentence)
    return {"source_sentence": sentence, "source_start": start, "source_end": len(text)}


@pytest.fixture
def learner(make_user):
    return make_user(full_name="Camille Martin")


@pytest.fixture
def instructor(make_user):
    from courses.models import User

    return make_user(role=User.Role.INSTRUCTOR, full_name="Sophie Bernard")


@pytest.fixture
def other_instructor(make_user):
    from courses.models import User

    return make_user(role=User.Role.INSTRUCTOR, full_name="Paul Durand")


@pytest.fixture
def make_course(db) -> Callable[..., object]:
    """A course with ``modules`` modules of ``lessons`` lessons each."""
    from courses.models import Course, Lesson, Module
    from courses.models.catalog import text_hash

    def make(*, modules: int = 2, lessons: int = 3, slug: str | None = None, **fields) -> Course:
        number = next(_sequence)
        course = Course.objects.create(
            title=fields.pop("title", f"Cours {number}"),
            slug=slug or f"cours-{number}",
            **fields,
        )
        for m in range(1, modules + 1):
            module = Module.objects.create(
                course=course,
                title=f"Module {m}",
                position=m,
                source_name=f"module-{m}.txt",
                content_hash=f"{number:032d}{m:032d}",
            )
            Lesson.objects.bulk_create(
                [
                    Lesson(
                        module=module,
                        title=f"Leçon {m}.{n}",
                        position=n,
                        text=f"{LESSON_TEXT}\n\nParagraphe {m}.{n}.",
                        text_hash=text_hash(f"{LESSON_TEXT}\n\nParagraphe {m}.{n}."),
                    )
                    for n in range(1, lessons + 1)
                ]
            )
        return course

    return make


@pytest.fixture
def make_cohort(db, instructor) -> Callable[..., object]:
    """A cohort of ``course`` owned by ``owner`` (the ``instructor`` fixture unless told),
    made course staff so that it may manage the course."""
    from django.utils import timezone

    from courses.cohorts.services import cohort_create

    def make(course, *, owner=None, name: str = "Promotion 2026", **fields):
        owner = owner or instructor
        course.instructors.add(owner)
        today = timezone.localdate()
        values = {
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=60),
            "deadline": today + timedelta(days=30),
        }
        values.update(fields)
        return cohort_create(course=course, owner=owner, name=name, **values)

    return make


@pytest.fixture
def course(make_course):
    return make_course()


@pytest.fixture
def enrolled(learner, course):
    from courses.progress.services import enrollment_create

    enrollment, _created = enrollment_create(user=learner, course=course)
    return enrollment


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def seed_documents() -> list[Path]:
    return [SEED_000, SEED_001]


# --- Quiz items ---------------------------------------------------------------------------------

ITEM_OPTIONS = ["réaction inflammatoire", "infection virale", "allergie alimentaire", "carence"]
# The first sentence of LESSON_TEXT, where every lesson made by make_course starts.
ITEM_SENTENCE = "Le syndrome de libération de cytokines est une réaction inflammatoire grave."


@pytest.fixture
def make_item(db) -> Callable[..., object]:
    """An approved four-option item of a lesson, drawn from the lesson's first sentence.

    The key is ``options[answer]`` (the first option unless told); pass ``status`` for a draft
    or a rejected item, and any other field to override it.
    """
    from courses.models import QuestionItem

    def make(lesson, **fields) -> QuestionItem:
        number = next(_sequence)
        if "source_sentence" not in fields:
            fields.update(_item_source(lesson, number))
        values = {
            "kind": QuestionItem.Kind.CLOZE,
            "status": QuestionItem.Status.APPROVED,
            "stem": f"Q{number}. Le syndrome de libération de cytokines est une … grave.",
            "options": list(ITEM_OPTIONS),
            "answer": 0,
            "explanation": f"Explication {number} : c’est une réaction inflammatoire.",
            "source_sentence": ITEM_SENTENCE,
            "source_start": 0,
            "source_end": len(ITEM_SENTENCE),
            "fingerprint": f"item-{number}",
        }
        values.update(fields)
        return QuestionItem.objects.create(lesson=lesson, **values)

    return make


# --- Completion and certificates ----------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Rendered certificates go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def celery_eager(settings):
    """Tasks run inline, in this process (``_publish`` applies them at once); restored after.

    Both switches: Django's setting for code that reads it, and the Celery app's own copy,
    which it read once at start-up.
    """
    from elearn.celery import app

    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def complete_course(db) -> Callable[..., object]:
    """Mark every active lesson of the enrolment's course read: the completion it records.

    The certificate it owes is published on commit; a ``db`` test never commits, so nothing
    reaches the broker (issue it with ``issue_certificate``).
    """
    from courses.models import CourseCompletion, Lesson
    from courses.progress.services import lesson_mark_complete

    def complete(enrollment) -> CourseCompletion:
        lessons = Lesson.objects.filter(
            module__course_id=enrollment.course_id, archived_at__isnull=True
        ).order_by("module__position", "position")
        for lesson in lessons:
            lesson_mark_complete(enrollment=enrollment, lesson=lesson)
        return CourseCompletion.objects.get(enrollment=enrollment)

    return complete


@pytest.fixture
def issue_certificate(media_root, complete_course) -> Callable[..., object]:
    """Complete the enrolment's course and issue its certificate (PDF rendered, e-mail sent)."""
    from courses.certificates.services import certificate_issue

    def issue(enrollment):
        completion = complete_course(enrollment)
        return certificate_issue(completion_id=completion.pk)

    return issue
