"""Settings for the test suite.

The suite runs twice (Makefile): on PostgreSQL (DATABASE_URL points at the machine's server) and
on SQLite, the `make run` default. Everything else is the production code path.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/elearn")

from .base import *  # noqa: F403
from .base import STORAGES, env

DEBUG = False
# A key of the suite's own (published, like the development key, but not refused): the worker
# processes that tests start run without DEBUG, and refuse the development key (elearn.startup).
SECRET_KEY = env.str("SECRET_KEY", default="test-suite-only:5c0b7e1d9a2f4863b7e0c1d2a9f8e7b6d4c3")
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# Fast hashing: the suite creates many users; the hasher is not what is under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The worker processes that tests start (tests/certificates) cannot share locmem's outbox with
# the test: given a directory, they write their e-mails there as files instead.
if env.str("EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Kept as in production (base.py), whatever DEBUG says: tests/system/test_fragments.py.
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
STORAGES = {
    # The local disk unless the environment says otherwise (the worker processes of
    # tests/certificates/test_object_storage.py are given a bucket).
    "default": STORAGES["default"],
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SITE_BASE_URL = env.str("SITE_BASE_URL", default="https://formation.example.org")
# A broker database of the suite's own on the machine's Redis: what transactional tests
# publish never lands in the queue `make run`'s worker reads. Worker tests start their own.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/14")
