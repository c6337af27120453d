"""SQLite, the `make run` default: twenty quiz submissions at once all get an answer (issue 17).

The site as `make run` serves it (runserver, threaded, DEBUG, a SQLite file), twenty requests
released together: the same attempt submitted twenty times (a double-clicking learner, a
flaky phone network), then twenty learners submitting their own. Before: one of twenty got a
500 "database is locked": a transaction that had read began writing while another held the
lock, and SQLite refuses that at once rather than waiting for the busy timeout.
"""

from __future__ import annotations

import json
import secrets
import threading

import pytest
import requests

from tests.servers import free_port, manage, production_env, runserver

pytestmark = pytest.mark.processes

LEARNERS = 20
CSRF = secrets.token_hex(16)  # a 32-character secret: cookie and form field alike

SETUP = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from courses.models import Course, Lesson, Module, QuestionItem, User
from courses.models.catalog import text_hash
from courses.progress.services import enrollment_create
from courses.quizzes.services import attempt_start

sentences = [
    "Le syndrome de libération de cytokines est une réaction inflammatoire grave.",
    "La fièvre est le premier signe du syndrome de libération de cytokines.",
    "Le tocilizumab bloque le récepteur de l'interleukine 6.",
]
text = " ".join(sentences)
course = Course.objects.create(title="Cours", slug="cours")
module = Module.objects.create(
    course=course, title="Module", position=1, source_name="m.txt", content_hash="0" * 64
)
lesson = Lesson.objects.create(
    module=module, title="Leçon", position=1, text=text, text_hash=text_hash(text)
)
for number, sentence in enumerate(sentences):
    start = text.index(sentence)
    QuestionItem.objects.create(
        lesson=lesson, kind=QuestionItem.Kind.CLOZE, status=QuestionItem.Status.APPROVED,
        stem=f"Question {number} … ?", options=["un", "deux", "trois", "quatre"], answer=0,
        explanation="Parce que.", source_sentence=sentence, source_start=start,
        source_end=start + len(sentence), fingerprint=f"item-{number}",
    )
learners = []
for number in range(LEARNERS):
    user = User.objects.create_user(email=f"l{number}@example.org", password=None)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    enrollment, _created = enrollment_create(user=user, course=course)
    attempt, _created = attempt_start(enrollment=enrollment, lesson=lesson)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    learners.append({"session": session.session_key, "attempt": attempt.pk,
                     "questions": len(attempt.items)})
print(json.dumps(learners))
""".replace("LEARNERS", str(LEARNERS))

CHECK = """
import json
from courses.models import AttemptAnswer, QuizAttempt
print(json.dumps([
    {"pk": a.pk, "submitted": a.submitted_at is not None, "score": a.score,
     "answers": AttemptAnswer.objects.filter(attempt=a).count()}
    for a in QuizAttempt.objects.order_by("pk")
]))
"""


@pytest.fixture
def site(tmp_path):
    """`make run`'s server (runserver, threaded) on a SQLite file, twenty learners with a quiz
    started."""
    env = production_env(
        tmp_path,
        DEBUG="1",
        # A broker nobody listens on: what completing owes is left to the sweeper.
        CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0",
    )
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    learners = json.loads(manage(env, "shell", "--no-imports", "-c", SETUP).splitlines()[-1])
    log = tmp_path / "runserver.log"
    with runserver(env, log) as base:
        yield base, learners, env, log


def submit_together(base: str, submissions: list[dict]) -> list[int]:
    """POST every submission at the same instant, each on its own connection."""
    barrier = threading.Barrier(len(submissions))
    statuses: list[int] = [0] * len(submissions)

    def run(index: int, learner: dict) -> None:
        browser = requests.Session()
        browser.cookies.set("sessionid", learner["session"])
        browser.cookies.set("csrftoken", CSRF)
        data = {f"q{position}": "0" for position in range(learner["questions"])}
        data["csrfmiddlewaretoken"] = CSRF
        barrier.wait(timeout=30)
        answer = browser.post(
            f"{base}/courses/cours/quiz/{learner['attempt']}/",
            data,
            allow_redirects=False,
            timeout=60,
        )
        statuses[index] = answer.status_code

    threads = [
        threading.Thread(target=run, args=(index, learner))
        for index, learner in enumerate(submissions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return statuses


def test_twenty_submissions_at_once_all_answer(site):
    base, learners, env, log = site
    # The same attempt, twenty times at once: every request answers with its result page.
    statuses = submit_together(base, [learners[0]] * LEARNERS)
    assert statuses == [302] * LEARNERS, (statuses, log.read_text()[-3000:])
    # Twenty learners at once, each their own attempt.
    statuses = submit_together(base, learners)
    assert statuses == [302] * LEARNERS, (statuses, log.read_text()[-3000:])
    attempts = json.loads(manage(env, "shell", "--no-imports", "-c", CHECK).splitlines()[-1])
    assert len(attempts) == LEARNERS  # nobody got a second attempt
    for attempt, learner in zip(attempts, learners, strict=True):
        # Graded once: one answer per question, whatever the number of submissions.
        assert attempt == {
            "pk": learner["attempt"],
            "submitted": True,
            "score": attempt["score"],
            "answers": learner["questions"],
        }
    assert "database is locked" not in log.read_text()
