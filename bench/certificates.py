"""Certificates issued per second by one Celery worker over the raw PDF rendering rate (the floor).

    .venv/bin/python bench/certificates.py [--profile]      (part of make bench)

The floor is what issuing cannot avoid: pdf.render of the same certificate page, in one process,
over and over. Then, from one run: a fresh PostgreSQL database, one course, 1,000 learners each
enrolled with a CourseCompletion (made in bulk: this measures issuing, not completing), a
redis-server of the bench's own as the broker, and ONE Celery worker (prefork, concurrency 1,
--loglevel INFO as docker-compose runs it) with production settings (elearn.settings.base,
DEBUG unset). The bench publishes the 1,000 issue tasks (certificate_issue_task.apply_async
over one producer connection: certificate_publish opens one per publish, ~5 ms, which would
take a CPU from the worker) and times from the first publish to the last original rendered
and e-mailed (the database is polled every 0.2 s; the end is the last email_sent_at).

E-mail goes to Django's file-based backend (EMAIL_URL=filemail://...): each message is built
as for SMTP and written to a file of the bench's temporary directory, which costs little and
lets the bench count what was sent. Nothing leaves the machine.

Afterwards the run fails unless the database, the media directory and the outbox show exactly
one original per completion, rendered and e-mailed, one PDF and one message each, and the
worker's log shows every task succeeding once, with no retry. Last, certificate_issue (the
task's body) runs in this process on 50 more completions, its wall-clock time split by what it
does (PDF, QR code, storage, e-mail, SQL, COMMIT); --profile adds a cProfile of 50 more.

Environment: BENCH_CERTIFICATES (1000), BENCH_FLOOR_RENDERS (200), BENCH_BREAKDOWN (50),
BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_CERT_DB_NAME
(elearn_bench_certs), BENCH_REDIS_URL (only without a redis-server binary;
redis://127.0.0.1:6379/9), BENCH_PROFILE=1 (--profile).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from email import message_from_string
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402
from bench.harness import BenchError  # noqa: E402

COURSE_SLUG = "bench-certificats"
COURSE_TITLE = "Cytokines et immunothérapie anticancéreuse : rôle infirmier"
POLL_SECONDS = 0.2
# No certificate done for this long while some are owed: the worker is stuck or failing.
STALL_SECONDS = 30
WORKER_READY_SECONDS = 60


@dataclass(frozen=True)
class Config:
    certificates: int
    floor_renders: int
    breakdown: int
    postgres_url: str
    db_name: str
    redis_url: str
    profile: bool

    @classmethod
    def from_env(cls, *, profile: bool) -> Config:
        env = os.environ
        config = cls(
            certificates=harness.env_number("BENCH_CERTIFICATES", "1000"),
            floor_renders=harness.env_number("BENCH_FLOOR_RENDERS", "200"),
            breakdown=harness.env_number("BENCH_BREAKDOWN", "50"),
            postgres_url=harness.postgres_admin_url(),
            db_name=env.get("BENCH_CERT_DB_NAME", "elearn_bench_certs"),
            redis_url=harness.redis_fallback_url(),
            profile=profile or env.get("BENCH_PROFILE", "") not in {"", "0"},
        )
        if config.certificates < 1 or config.floor_renders < 1 or config.breakdown < 1:
            raise BenchError("BENCH_CERTIFICATES, BENCH_FLOOR_RENDERS, BENCH_BREAKDOWN >= 1.")
        return config


# --- the worker ------------------------------------------------------------------------------

_SUCCEEDED = re.compile(r"Task courses\.certificate_issue\[[^\]]+\] succeeded in ([0-9.]+)s")


@dataclass
class Worker:
    """One Celery worker, prefork with a single child, in a process group of its own."""

    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "celery", "-A", "elearn", "worker",
            "--concurrency=1", "--pool=prefork", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", "celery",
            "--hostname", f"bench-certs-{os.getpid()}@%h",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + WORKER_READY_SECONDS
        while " ready." not in self.log():
            self.check_alive()
            if time.monotonic() > deadline:
                raise BenchError(
                    f"The worker was not ready after {WORKER_READY_SECONDS} s:\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise BenchError(f"The worker exited ({self.process.returncode}):\n{self.log_tail()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log().splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> None:
        """Warm shutdown of the whole group (the main process and its pool child), then KILL."""
        if self.process is None:
            return
        pgid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        # The group outlives its leader while a pool child is left: kill whatever remains.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.process = None


# --- data ------------------------------------------------------------------------------------


def _person(number: int) -> Any:
    """Learner ``number``: a name with accents and an RPPS number (the fullest certificate)."""
    import random

    from demo import bulk

    rng = random.Random(f"bench-certificates:{number}")
    return bulk.person(rng, index=number, tag="bench")


def course_create() -> Any:
    from courses.models import Course

    # A validity period prints the "Valid until" line: the fullest page.
    return Course.objects.create(
        title=COURSE_TITLE,
        slug=COURSE_SLUG,
        contact_hours=Decimal("3.5"),
        certificate_validity_months=36,
    )


def completions_create(*, course: Any, start: int, count: int) -> list[int]:
    """``count`` learners, each enrolled in ``course`` and having completed it; their
    completions' ids. In bulk (demo/bulk.py), certificates left owed: what is measured is the
    issuing."""
    from django.utils import timezone

    from demo import bulk

    now = timezone.now()
    written = bulk.learners_write(
        course=course,
        learners=[
            bulk.Learner(who=_person(i), joined=now, completed=now)
            for i in range(start, start + count)
        ],
        certificates=False,
    )
    return [completion.pk for completion in written.completions]


# --- the floor -------------------------------------------------------------------------------


def sample_document(*, course: Any) -> Any:
    """The page the worker renders for a learner of ``course``, built as certificate_pdf
    builds it (an unsaved certificate with a fresh code, today's dates)."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from courses.certificates import codes, pdf, services
    from courses.models import Certificate

    issued_at = timezone.now()
    certificate = Certificate(
        code=codes.new_code(),
        full_name=_person(0).full_name,
        professional_id=_person(0).professional_id,
        course_title=course.title,
        contact_hours=course.contact_hours,
        completion_date=timezone.localdate(issued_at),
        issuer=settings.CERTIFICATE_ISSUER,
        signer_name=settings.CERTIFICATE_SIGNER_NAME,
        signer_title=settings.CERTIFICATE_SIGNER_TITLE,
        issued_at=issued_at,
        expires_at=issued_at + timedelta(days=round(30.44 * course.certificate_validity_months)),
    )
    return pdf.CertificateDocument(
        code=certificate.code,
        verify_url=services.verify_url(certificate.code),
        full_name=certificate.full_name,
        professional_id=certificate.professional_id,
        course_title=certificate.course_title,
        hours=certificate.hours_display,
        completion_date=certificate.completion_date,
        issued_date=timezone.localdate(certificate.issued_at),
        expires_date=timezone.localdate(certificate.expires_at),
        issuer=certificate.issuer,
        signer_name=certificate.signer_name,
        signer_title=certificate.signer_title,
    )


FLOOR_BLOCKS = 4


def floor_ms(document: Any, *, n: int) -> tuple[float, int]:
    """Milliseconds per pdf.render of ``document`` (after one warm-up): the median of
    FLOOR_BLOCKS blocks, so that a moment of contention on a shared machine weighs less;
    and the PDF's size."""
    from django.conf import settings
    from django.utils import translation

    from courses.certificates import pdf

    per_block = max(1, n // FLOOR_BLOCKS)
    blocks = []
    with translation.override(settings.LANGUAGE_CODE):  # as certificate_pdf renders it
        content = pdf.render(document)
        if not content.startswith(b"%PDF-"):
            raise BenchError("pdf.render did not return a PDF.")
        for _block in range(FLOOR_BLOCKS):
            started = time.perf_counter()
            for _ in range(per_block):
                pdf.render(document)
            blocks.append(1000 * (time.perf_counter() - started) / per_block)
    return statistics.median(blocks), len(content)


# --- the run ---------------------------------------------------------------------------------


@dataclass
class Run:
    published_seconds: float
    total_seconds: float
    detected_seconds: float
    task_ms: list[float]


def originals_done() -> int:
    from courses.models import Certificate

    return Certificate.objects.filter(
        duplicate_of__isnull=True, rendered_at__isnull=False, email_sent_at__isnull=False
    ).count()


def issue_through_worker(*, completion_ids: list[int], worker: Worker) -> Run:
    """Publish every issue task, then wait until the database shows them all done."""
    from django.db.models import Max

    from courses.certificates.tasks import certificate_issue_task
    from courses.models import Certificate

    n = len(completion_ids)
    started_wall = time.time()
    started = time.perf_counter()
    # One producer for all: certificate_publish opens a connection per publish (a learner's
    # request publishes one), ~5 ms each here, which would take a CPU from the worker.
    with certificate_issue_task.app.producer_or_acquire() as producer:
        for pk in completion_ids:
            certificate_issue_task.apply_async(args=[pk], producer=producer)
    published = time.perf_counter() - started
    done, last_progress = 0, time.perf_counter()
    while True:
        now_done = originals_done()
        now = time.perf_counter()
        if now_done >= n:
            detected = now - started
            break
        if now_done > done:
            done, last_progress = now_done, now
        worker.check_alive()
        if now - last_progress > STALL_SECONDS:
            raise BenchError(
                f"No certificate done for {STALL_SECONDS} s ({done} of {n}):\n{worker.log_tail()}"
            )
        time.sleep(POLL_SECONDS)
    last = Certificate.objects.aggregate(last=Max("email_sent_at"))["last"]
    task_ms = [1000 * float(seconds) for seconds in _SUCCEEDED.findall(worker.log())]
    return Run(
        published_seconds=published,
        total_seconds=last.timestamp() - started_wall,
        detected_seconds=detected,
        task_ms=task_ms,
    )


def verify(*, completion_ids: list[int], media: Path, mail: Path, worker_log: str) -> str:
    """Fail unless exactly one original per completion was rendered and e-mailed, each with
    one PDF on disk and one message in the outbox, every task succeeding once."""
    from django.db.models import Count, Q

    from courses.models import Certificate, CourseCompletion

    n = len(completion_ids)
    problems = []
    certificates = list(
        Certificate.objects.values_list(
            "completion_id", "duplicate_of_id", "file", "rendered_at", "email_sent_at"
        )
    )
    if len(certificates) != n:
        problems.append(f"{len(certificates)} certificate rows, expected {n}")
    if any(row[1] is not None for row in certificates):
        problems.append("re-issues among the certificates")
    if any(row[3] is None or row[4] is None for row in certificates):
        problems.append("certificates not rendered or not e-mailed")
    per_completion = CourseCompletion.objects.annotate(
        originals=Count("certificates", filter=Q(certificates__duplicate_of__isnull=True))
    )
    wrong = per_completion.exclude(originals=1).count()
    if wrong:
        problems.append(f"{wrong} completions without exactly one original")
    if {row[0] for row in certificates} != set(completion_ids):
        problems.append("the certificates' completions are not the completions published")

    files = sorted((media / "certificates").glob("*.pdf"))
    if len(files) != n:
        problems.append(f"{len(files)} PDF files, expected {n}")
    if {f"certificates/{path.name}" for path in files} != {row[2] for row in certificates}:
        problems.append("the PDF files are not the files the certificates name")
    bad = [path.name for path in files if not path.read_bytes().startswith(b"%PDF-")]
    if bad:
        problems.append(f"{len(bad)} files are not PDFs ({bad[0]}, ...)")

    recipients = [message["To"] for message in _messages(mail)]
    if len(recipients) != n or len(set(recipients)) != n:
        problems.append(
            f"{len(recipients)} e-mails to {len(set(recipients))} addresses, expected {n}"
        )

    succeeded = len(_SUCCEEDED.findall(worker_log))
    if succeeded != n:
        problems.append(f"the worker's log shows {succeeded} issue tasks succeeding, expected {n}")
    for marker in ("Retry in", "Traceback", "ERROR/"):
        if marker in worker_log:
            problems.append(f"the worker's log holds {marker!r}")
    if problems:
        tail = "\n".join(worker_log.splitlines()[-20:])
        raise BenchError("The run is wrong: " + "; ".join(problems) + f".\nWorker log:\n{tail}")
    return (
        f"verified: {n} certificates, one original per completion, rendered and e-mailed; "
        f"{len(files)} PDFs; {len(recipients)} e-mails to {len(set(recipients))} addresses; "
        f"{succeeded} tasks succeeded once each, no retry."
    )


def _messages(mail: Path) -> list[Any]:
    """What the file-based backend wrote: a file per connection, messages separated by a
    line of 79 dashes."""
    messages = []
    for path in sorted(mail.iterdir()):
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if chunk.strip():
                messages.append(message_from_string(chunk.strip()))
    return messages


# --- where a certificate's time goes ---------------------------------------------------------


@dataclass
class Exclusive:
    """Wall-clock time by category, exclusive: a category's time stops while a nested one runs
    (the QR code inside the PDF, the template inside the e-mail)."""

    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    stack: list[list[Any]] = field(default_factory=list)
    statements: dict[str, list[float]] = field(default_factory=dict)  # SQL: [seconds, calls]

    @contextlib.contextmanager
    def timed(self, category: str) -> Iterator[None]:
        now = time.perf_counter()
        if self.stack:
            parent = self.stack[-1]
            self.seconds[parent[0]] = self.seconds.get(parent[0], 0.0) + now - parent[1]
        self.stack.append([category, now])
        self.calls[category] = self.calls.get(category, 0) + 1
        try:
            yield
        finally:
            now = time.perf_counter()
            name, since = self.stack.pop()
            self.seconds[name] = self.seconds.get(name, 0.0) + now - since
            if self.stack:
                self.stack[-1][1] = now


# (category, module, attribute): wrapped in this process only while the breakdown runs.
CATEGORIES: list[tuple[str, str, str]] = [
    ("PDF: layout and drawing (reportlab)", "courses.certificates.pdf", "render"),
    ("QR: drawing the modules (reportlab rects)", "courses.certificates.pdf", "_qr"),
    ("QR: encoding (segno.make)", "segno", "make"),
    ("storage: exists/delete/save (FileSystemStorage)", "django.core.files.storage",
     "FileSystemStorage.exists"),
    ("storage: exists/delete/save (FileSystemStorage)", "django.core.files.storage",
     "FileSystemStorage.delete"),
    ("storage: exists/delete/save (FileSystemStorage)", "django.core.files.storage",
     "FileSystemStorage.save"),
    ("e-mail: template (render_to_string)", "courses.certificates.services", "render_to_string"),
    ("e-mail: send and record (MIME, file backend)", "courses.system.mail", "send"),
    ("e-mail: context, reverse(), gettext", "courses.certificates.services", "_send_email"),
    ("verification code (secrets)", "courses.certificates.codes", "new_code"),
]  # fmt: skip


@contextlib.contextmanager
def _categorised(clock: Exclusive) -> Iterator[None]:
    import importlib

    from django.db import connections

    restore: list[tuple[Any, str, Any, bool]] = []

    def wrapper_for(category: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            with clock.timed(category):
                return original(*args, **kwargs)

        return timed_call

    def sql(execute: Callable[..., Any], statement: str, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            with clock.timed("PostgreSQL: statements (execute)"):
                return execute(statement, *args)
        finally:
            entry = clock.statements.setdefault(_sql_summary(statement), [0.0, 0])
            entry[0] += time.perf_counter() - started
            entry[1] += 1

    connection = connections["default"]
    connection.ensure_connection()
    commit = connection._commit

    def timed_commit() -> Any:
        with clock.timed("PostgreSQL: COMMIT"):
            return commit()

    try:
        for category, module_name, attribute in CATEGORIES:
            owner: Any = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part)
            own = name in vars(owner)
            original = getattr(owner, name)
            restore.append((owner, name, vars(owner)[name] if own else None, own))
            setattr(owner, name, wrapper_for(category, original))
        connection._commit = timed_commit  # type: ignore[method-assign]
        with connection.execute_wrapper(sql):
            yield
    finally:
        with contextlib.suppress(AttributeError):
            del connection._commit
        for owner, name, original, own in reversed(restore):
            if own:
                setattr(owner, name, original)
            else:
                delattr(owner, name)


def _sql_summary(statement: str) -> str:
    """The statement's kind, table, lock and condition: enough to tell them apart (savepoints'
    generated names dropped)."""
    text = statement.replace('"', "")
    words = text.split()
    kind = words[0].upper() if words else "?"
    if kind in {"SAVEPOINT", "RELEASE", "ROLLBACK"}:
        return f"{kind} (savepoint)"
    if kind == "INSERT":
        return f"INSERT INTO {words[2]}"
    table = (
        words[1]
        if kind == "UPDATE"
        else (words[words.index("FROM") + 1] if "FROM" in words else "?")
    )
    where = text.split(" WHERE ", 1)[1] if " WHERE " in text else ""
    where = where.split(" ORDER BY ")[0].split(" LIMIT ")[0].split(" FOR UPDATE")[0]
    lock = (
        " FOR UPDATE" + (" OF" if "FOR UPDATE OF" in text else "") if "FOR UPDATE" in text else ""
    )
    return f"{kind} {table}{lock} WHERE {where[:60]}"


def breakdown(*, completion_ids: list[int]) -> tuple[float, str]:
    """certificate_issue in this process over fresh completions: ms each, and its time split
    by category (exclusive wall-clock, measured by wrapping functions: no profiler)."""
    from courses.certificates import services

    services.certificate_issue(completion_id=completion_ids[0])  # warm: template, connection
    ids = completion_ids[1:]
    clock = Exclusive()
    with _categorised(clock):
        started = time.perf_counter()
        for pk in ids:
            with clock.timed("other: ORM, transactions, Python"):
                services.certificate_issue(completion_id=pk)
        whole = time.perf_counter() - started
    n = len(ids)
    lines = [
        f"Where one certificate's time goes: certificate_issue in this process (no Celery), "
        f"{n} certificates, {1000 * whole / n:.2f} ms each; exclusive wall-clock:"
    ]
    for category, seconds in sorted(clock.seconds.items(), key=lambda item: -item[1]):
        lines.append(
            f"  {category:<48} {1000 * seconds / n:7.2f} ms {100 * seconds / whole:4.0f}%"
            f"  x{clock.calls[category] / n:g}"
        )
    lines.append("  its SQL statements, in order of first use:")
    for summary, (seconds, calls) in clock.statements.items():
        lines.append(f"    {1000 * seconds / n:5.2f} ms  x{calls / n:g}  {summary}")
    return 1000 * whole / n, "\n".join(lines)


def profile(*, completion_ids: list[int]) -> str:
    from bench import inprocess
    from courses.certificates import services

    pending = iter(completion_ids)
    return inprocess.profile(
        lambda: services.certificate_issue(completion_id=next(pending)),
        label="certificate_issue (a call a certificate)",
        n=len(completion_ids) - 1,
    )


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile certificate_issue in-process"
    )
    args = parser.parse_args(argv)
    harness.stop_cleanly_on_signals()

    tmp = Path(tempfile.mkdtemp(prefix="elearn-bench-certs-"))
    media, mail = tmp / "media", tmp / "mail"
    for directory in (media, mail):
        directory.mkdir()
    teardown = harness.teardown(tmp)
    try:
        config = Config.from_env(profile=args.profile)
        harness.database_recreated(teardown, admin_url=config.postgres_url, name=config.db_name)
        redis_server = harness.RedisServer(fallback_url=config.redis_url)
        teardown.callback(redis_server.stop)
        redis_base = redis_server.start()
        broker_url = f"{redis_base}/0" if redis_server.process is not None else redis_base
        env = {
            "DJANGO_SETTINGS_MODULE": "elearn.settings.base",
            # The worker refuses the development key without DEBUG (elearn.startup).
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": harness.database_url(
                admin_url=config.postgres_url, name=config.db_name
            ),
            "REDIS_URL": broker_url,
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(media),
            "VAR_DIR": str(tmp),
            # Four slashes: django-environ drops the path's first character.
            "EMAIL_URL": f"filemail:///{mail}",
            # A production-like address: the QR code's size depends on the URL's length.
            "SITE_BASE_URL": "https://formation.example.org",
        }
        os.environ.update(env)
        for name in ("DEBUG", "CELERY_TASK_ALWAYS_EAGER"):
            os.environ.pop(name, None)

        import django

        django.setup()
        harness.django_connections_closed(teardown)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        if Path(settings.EMAIL_FILE_PATH) != mail or "filebased" not in settings.EMAIL_BACKEND:
            raise BenchError(
                f"E-mail would go to {settings.EMAIL_BACKEND} {settings.EMAIL_FILE_PATH!r}, "
                f"not to files in {mail}."
            )
        if settings.CELERY_TASK_ALWAYS_EAGER or settings.DEBUG:
            raise BenchError("DEBUG and CELERY_TASK_ALWAYS_EAGER must be off.")

        n = config.certificates
        print(f"Preparing: migrate, {n} learners with a completion ...", flush=True)
        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
        course = course_create()
        completion_ids = completions_create(course=course, start=0, count=n)

        print(f"Floor: {config.floor_renders} renders of one certificate ...", flush=True)
        render_ms, pdf_bytes = floor_ms(sample_document(course=course), n=config.floor_renders)
        connections.close_all()

        worker = Worker(env={**os.environ}, log_path=tmp / "worker.log")
        teardown.callback(worker.stop)
        worker.start()
        print(f"Issuing {n} certificates through one worker ...", flush=True)
        load_before = os.getloadavg()[0]
        run = issue_through_worker(completion_ids=completion_ids, worker=worker)
        worker_log = worker.log()
        worker.stop()
        check = verify(completion_ids=completion_ids, media=media, mail=mail, worker_log=worker_log)

        extra = config.breakdown + 1
        more = completions_create(
            course=course, start=n, count=extra + (extra if config.profile else 0)
        )
        print(f"Breakdown: {config.breakdown} certificates in this process ...", flush=True)
        inprocess_ms, split = breakdown(completion_ids=more[:extra])
        profiled = profile(completion_ids=more[extra:]) if config.profile else ""
        if originals_done() != n + len(more):
            raise BenchError("The in-process certificates were not all rendered and e-mailed.")

        _report(
            config=config,
            run=run,
            render_ms=render_ms,
            pdf_bytes=pdf_bytes,
            inprocess_ms=inprocess_ms,
            load_before=load_before,
        )
        print(f"  {check}")
        print()
        print(split)
        if profiled:
            print()
            print(profiled)
        return 0
    except (BenchError, KeyboardInterrupt) as error:
        return harness.failed(error)
    finally:
        teardown.close()


def _report(
    *,
    config: Config,
    run: Run,
    render_ms: float,
    pdf_bytes: int,
    inprocess_ms: float,
    load_before: float,
) -> None:
    n = config.certificates
    rate = n / run.total_seconds
    tasks = sorted(run.task_ms)
    p95 = tasks[min(len(tasks) - 1, int(0.95 * len(tasks)))]
    rows = [
        ("pdf.render of the same page, one process (floor)", render_ms),
        ("certificate_issue in one process, no Celery", inprocess_ms),
        ("issued by one worker, end to end", 1000 / rate),
    ]
    print()
    print(
        f"Certificates: one Celery worker (prefork, concurrency 1), {n:,} completions, "
        f"PostgreSQL, Redis broker, file e-mail; {os.cpu_count()} CPUs shared by all "
        f"(load average {load_before:.1f} before issuing)"
    )
    for label, ms in rows:
        print(f"  {label:<50} {ms:6.2f} ms = {1000 / ms:6.1f} /s = {render_ms / ms:.2f} x floor")
    print(
        f"  time to issue {n:,}: {run.total_seconds:.1f} s, first publish to last e-mail "
        f"(seen by polling at {run.detected_seconds:.1f} s; publishing took "
        f"{run.published_seconds:.2f} s)"
    )
    print(
        f"  task runtime in the worker (its log): median {statistics.median(tasks):.1f} ms, "
        f"p95 {p95:.1f} ms; the rest of the {1000 / rate:.1f} ms is the broker, the ack and "
        f"the pool"
    )
    print(
        f"  floor: median of {FLOOR_BLOCKS} blocks, {config.floor_renders} renders, "
        f"{pdf_bytes:,}-byte PDF"
    )


if __name__ == "__main__":
    sys.exit(main())
