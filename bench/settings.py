"""Settings for the benchmark server: production's, plus a bare view to compare pages against.

bench/run.py sets the environment (DATABASE_URL, CACHE_URL, REDIS_URL, STATIC_ROOT, DEBUG=0)
before anything imports this module. Only what plain http on 127.0.0.1 needs differs from
production: no TLS redirect, cookies not marked Secure (a client would not send them back).
"""

from elearn.settings.base import *  # noqa: F403

DEBUG = False
# The benches measure the demo course (setup_demo): a demonstration site, as far as it goes.
DEMO = True
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
