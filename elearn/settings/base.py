"""Settings for every environment.

Production differs only by environment variables (README, "Déploiement"). The defaults are
safe for a developer's machine: SQLite, a console e-mail backend, Redis on localhost.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from elearn import storage
from elearn.startup import DEVELOPMENT_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# --- Core -----------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# Unset, the development key: gunicorn and the Celery processes then refuse to start unless
# DEBUG is on (elearn.startup).
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used in every absolute link that leaves a request's context:
# e-mails, QR codes on certificates, SCORM packages.
SITE_BASE_URL = env.str("SITE_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="OncoForma")

INSTALLED_APPS = [
    "courses.apps.AdminConfig",  # django.contrib.admin, signed into through the site's login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "allauth",
    "allauth.account",
    "csp",
    "courses.apps.CoursesConfig",
]

# Widgets are rendered with the project's templates first, so that elearn/templates can mend
# one of Django's (admin/widgets/split_datetime.html: its two inputs labelled).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but security's: downloads private and uncached, Permissions-Policy on every
    # response, error pages included (courses.system.middleware).
    "courses.system.middleware.ResponseHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before any view, and before CommonMiddleware's slash redirects: a 404 for an address
    # with control characters in it (courses.system.middleware).
    "courses.system.middleware.ControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "elearn.urls"
WSGI_APPLICATION = "elearn.wsgi.application"
ASGI_APPLICATION = "elearn.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "elearn" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "courses.context_processors.site",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT: the cohort dashboard's per-learner subqueries push the planner's estimates past
    # jit_above_cost, and compiling costs more than the query (bench/cohorts.py: 105 -> 83 ms
    # at 10,000 learners). Short OLTP queries gain nothing from it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    # SQLite (`make run`, a small single-machine site): requests wait for each other rather
    # than fail. A transaction takes the write lock when it begins (IMMEDIATE): a deferred one
    # that read first and then wrote while another held the lock would get "database is
    # locked" at once, with no waiting; `timeout` is how long a request waits for the lock.
    # WAL lets pages read while a submission writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds rate-limit counters, cached sessions and rendered lessons. In production it
# is a Redis of its own (CACHE_URL), never the broker's. Without one, files in VAR_DIR: shared
# by every process on the machine (gunicorn's workers, the Celery worker), so that a session,
# a list's preview or a rate limit holds whichever worker answers, and never written to the
# database (a page view that only reads writes nothing to SQLite).
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    # Django's default (300) would cull sessions and rate limits as soon as a few hundred
    # learners are signed in; culling drops a third of the entries at random.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 20_000)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same, keeping its Redis client between calls (courses/system/cache.py).
    CACHES["default"]["BACKEND"] = "courses.system.cache.RedisCache"
# Template fragments the same for everyone of a role in a language (base.html's header): kept
# in each process, never shared (they hold nothing of a learner's, and go with the code). Not
# kept with DEBUG (`make run`): an edited template shows at once.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends."
    + ("dummy.DummyCache" if DEBUG else "locmem.LocMemCache")
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The broker: Redis. The test suite and `make run` point it elsewhere through the environment.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "courses.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Where the admin lives, under each language prefix: a path of the deployment's choosing keeps
# it out of the scanners' lists. Its login is the site's (courses.system.admin_site).
ADMIN_URL = (env.str("ADMIN_URL", default="admin").strip("/") or "admin") + "/"
LOGIN_REDIRECT_URL = "courses:dashboard"

ACCOUNT_ADAPTER = "courses.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_LOGOUT_REDIRECT_URL = "courses:catalog"
ACCOUNT_SIGNUP_FORM_CLASS = "courses.accounts.forms.SignupExtraForm"
# allauth's own limits, stated so that they are visible and reviewed: failed logins per IP and
# per account, sign-ups and password-reset e-mails per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

# --- E-mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
# A mail server that accepts the connection and then says nothing must not hold a worker (or a
# sign-up request) for ever: smtplib's default is to wait without limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <no-reply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "courses" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "media/"
# Certificates' PDFs, lesson pictures, covers, documents waiting for the import: on the local
# disk (MEDIA_ROOT; `make run`, one host), or with MEDIA_STORAGE=s3 in an S3-compatible bucket
# that every web and worker host reaches (S3_* variables; docs/deployment.md, "Several hosts").
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default=storage.FILESYSTEM)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": storage.media_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security -------------------------------------------------------------------------------
# Every page's policy: no inline script, no inline style, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Browser features no page uses, refused to every page (and to anything injected into one).
# Clipboard writing stays allowed: "Copier le lien" uses it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a proxy every request comes from the proxy's address: allauth's per-IP rate limits
# must read the client's address from X-Forwarded-For, trusting as many hops as there are proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
# Probes call /healthz over plain HTTP inside the network; it must not be redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# A message a worker took but did not acknowledge (acks_late) goes back to the queue after
# this many seconds: longer than any task may run (time_limit 90 s) plus queueing, and than
# the longest retry countdown (courses/certificates/tasks.py, 300 s), which a worker also
# holds unacknowledged; short enough that a crashed worker's tasks come back the same day
# (Celery's default is an hour).
# The certificate sweeper republishes owed work sooner, every CERTIFICATE_SWEEP_SECONDS.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
}
# Publishing from a request must never hold it: at most this many seconds to connect or to get
# an answer from the broker, and no retry (the sweeper publishes what failed).
CELERY_PUBLISH_TIMEOUT = env.float("CELERY_PUBLISH_TIMEOUT", default=0.5)
CELERY_TASK_PUBLISH_RETRY = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # acks_late: a worker holds one unacknowledged task
CERTIFICATE_SWEEP_SECONDS = env.int("CERTIFICATE_SWEEP_SECONDS", default=60)
# An owed certificate younger than this is left to its own task before the sweeper steps in.
CERTIFICATE_SWEEP_GRACE_SECONDS = env.int("CERTIFICATE_SWEEP_GRACE_SECONDS", default=60)
# Invitation e-mails of imported lists still owed are published again this often.
INVITATION_SWEEP_SECONDS = env.int("INVITATION_SWEEP_SECONDS", default=300)
# A background job (a lesson's questions regenerated) running longer than this lost its worker:
# it may be claimed again. Longer than the tasks' time limit and the broker's visibility timeout.
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=900)
JOB_SWEEP_SECONDS = env.int("JOB_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "certificates-sweep": {
        "task": "courses.certificates_sweep",
        "schedule": float(CERTIFICATE_SWEEP_SECONDS),
    },
    # Hourly: a reminder goes the first hour its day has come; the unique (member, deadline)
    # row keeps it to one.
    "cohort-reminders": {"task": "courses.cohort_reminders", "schedule": 3600.0},
    "cohort-invitations-sweep": {
        "task": "courses.cohort_invitations_sweep",
        "schedule": float(INVITATION_SWEEP_SECONDS),
    },
    # Background jobs whose publish was lost, or whose worker died.
    "imports-sweep": {"task": "courses.imports_sweep", "schedule": float(JOB_SWEEP_SECONDS)},
    "regenerations-sweep": {
        "task": "courses.regenerations_sweep",
        "schedule": float(JOB_SWEEP_SECONDS),
    },
    # Daily: unused accounts warned then erased, expired invitations and old records deleted
    # (courses/privacy; docs/privacy.md).
    "privacy-retention": {"task": "courses.privacy_retention", "schedule": 86400.0},
    # Reminders instructors asked for, still owed (the same pace as invitations).
    "cohort-late-reminders-sweep": {
        "task": "courses.cohort_late_reminders_sweep",
        "schedule": float(INVITATION_SWEEP_SECONDS),
    },
}
# Imported learner lists: at most this size and this many lines. Their invitation e-mails are
# sent by a task; a sweeper retries what is owed, each address at most this many times.
INVITATION_MAX_SEND_ATTEMPTS = env.int("INVITATION_MAX_SEND_ATTEMPTS", default=5)
# A sender's claim on an invitation it is e-mailing; past this age the sender is taken for dead
# and the invitation is owed again. Longer than the sending task's time limit (660 s), so a live
# sender never loses its claim.
INVITATION_CLAIM_SECONDS = env.int("INVITATION_CLAIM_SECONDS", default=900)
# A personal invitation nobody accepted expires this many days after it was (re-)sent; staff
# may re-send it, at most this many times.
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=30)
INVITATION_MAX_RESENDS = env.int("INVITATION_MAX_RESENDS", default=3)
COHORT_IMPORT_MAX_BYTES = env.int("COHORT_IMPORT_MAX_BYTES", default=512 * 1024)
COHORT_IMPORT_MAX_ROWS = env.int("COHORT_IMPORT_MAX_ROWS", default=2000)

# --- The product ----------------------------------------------------------------------------
# Where `import_document` puts documents when no --course is given, and that course's title.
COURSES_DEFAULT_COURSE_SLUG = env.str(
    "COURSES_DEFAULT_COURSE_SLUG", default="cytokines-immunotherapie"
)
COURSES_DEFAULT_COURSE_TITLE = env.str(
    "COURSES_DEFAULT_COURSE_TITLE",
    default="Cytokines et immunothérapie anticancéreuse : rôle infirmier",
)
# Documents larger than this are refused by the importer.
COURSES_IMPORT_MAX_BYTES = env.int("COURSES_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
# Word, LibreOffice and PDF files: their images and fonts weigh more than their text.
COURSES_IMPORT_MAX_PACKAGE_BYTES = env.int(
    "COURSES_IMPORT_MAX_PACKAGE_BYTES", default=20 * 1024 * 1024
)
# Demo data (`manage.py setup_demo`, `seed_cohort`: accounts whose passwords are published,
# made-up learners) is made only with DEBUG or on a site that says it is a demonstration.
DEMO = env.bool("DEMO", default=False)
# The demo accounts (demo/accounts.json): `check --deploy` refuses a site where one of them still
# has its published password. Absent from a deployment that does not ship demo/: nothing to check.
DEMO_ACCOUNTS_FILE = Path(
    env.str("DEMO_ACCOUNTS_FILE", default=str(BASE_DIR / "demo" / "accounts.json"))
)
# Seconds a rendered lesson body stays in the cache (keyed by its content hash, so never stale).
COURSES_LESSON_CACHE_SECONDS = env.int("COURSES_LESSON_CACHE_SECONDS", default=24 * 3600)

# Certificates: who issues and signs them.
CERTIFICATE_ISSUER = env.str("CERTIFICATE_ISSUER", default="Institut de formation OncoForma")
CERTIFICATE_SIGNER_NAME = env.str("CERTIFICATE_SIGNER_NAME", default="Dr Claire Lambert")
CERTIFICATE_SIGNER_TITLE = env.str("CERTIFICATE_SIGNER_TITLE", default="Responsable pédagogique")
# Requests per minute and per address on the public verification page (allauth's limiter,
# which knows the client's address behind the proxy).
CERTIFICATE_VERIFY_RATE = env.int("CERTIFICATE_VERIFY_RATE", default=30)
ACCOUNT_RATE_LIMITS["certificate_verify"] = f"{CERTIFICATE_VERIFY_RATE}/m/ip"

# Quizzes. Generated items are drafts until course staff approve them, unless this is on (the
# `make run` demo turns it on): then items that pass every check are approved at import.
QUIZ_AUTO_APPROVE = env.bool("QUIZ_AUTO_APPROVE", default=False)
# A course's cover image, as uploaded: at most this many bytes (JPEG, PNG or WebP); it is then
# decoded, cut down to COURSE_COVER_SIZE and re-encoded as JPEG (no metadata kept).
COURSE_COVER_MAX_BYTES = env.int("COURSE_COVER_MAX_BYTES", default=3 * 1024 * 1024)
COURSE_COVER_SIZE = (1600, 900)
# Item analysis flags a question (a distractor nobody chose, a negative discrimination) only
# once this many learners answered it in their first attempt: an index over five is noise.
ITEM_ANALYSIS_MIN_LEARNERS = env.int("ITEM_ANALYSIS_MIN_LEARNERS", default=20)
# Seconds after a timed quiz's deadline during which a submission is still accepted (network
# latency, a slow phone); answers saved after the deadline never count.
QUIZ_GRACE_SECONDS = env.int("QUIZ_GRACE_SECONDS", default=30)
# The glossary of semantic classes that distractors come from.
QUIZ_GLOSSARY = env.str(
    "QUIZ_GLOSSARY", default=str(BASE_DIR / "fixtures" / "glossary" / "oncologie.yaml")
)
# The terminology tables (ATC drugs, CIM-10, types.yaml) that type the terms of a document the
# glossary has never seen (fixtures/terminology/derive.py; docs/terminologies.md).
QUIZ_TERMINOLOGY = env.str("QUIZ_TERMINOLOGY", default=str(BASE_DIR / "fixtures" / "terminology"))

# Data protection (courses/privacy; docs/privacy.md). Who is responsible for the processing
# and whom people write to about their data, named on the privacy notice and in e-mails.
PRIVACY_CONTROLLER = env.str("PRIVACY_CONTROLLER", default=CERTIFICATE_ISSUER)
PRIVACY_CONTROLLER_ADDRESS = env.str("PRIVACY_CONTROLLER_ADDRESS", default="")
# The data protection officer's address (check --deploy warns while it is unset).
PRIVACY_DPO_EMAIL = env.str("PRIVACY_DPO_EMAIL", default="")
# The deployment's sub-processors, as the notice names them (hosting, the mail server).
PRIVACY_HOSTING = env.str("PRIVACY_HOSTING", default="")
PRIVACY_MAIL_PROVIDER = env.str("PRIVACY_MAIL_PROVIDER", default="")
# How long things are kept. Training records (progress, answers, certificates) after the
# learner's last activity; an account without any login this long is warned, then anonymised
# a month later; the records of staff accesses to learners' data.
RETENTION_TRAINING_RECORD_YEARS = env.int("RETENTION_TRAINING_RECORD_YEARS", default=6)
RETENTION_INACTIVE_ACCOUNT_YEARS = env.int("RETENTION_INACTIVE_ACCOUNT_YEARS", default=3)
RETENTION_LOG_DAYS = env.int("RETENTION_LOG_DAYS", default=365)

# Every record the site logs goes through one handler whose filter takes the secrets out of
# URLs (invitation, unsubscribe and confirmation links: courses.system.logging); runserver's
# request lines (django.server) too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "courses.system.logging.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
