"""Without DEBUG, gunicorn, the Celery worker and beat refuse the development SECRET_KEY
(issue 17): a one-line message and a non-zero exit, not a site whose signed links
(unsubscribe, e-mail confirmation) anyone could forge.

Before: production started with the published development key when SECRET_KEY was unset;
only `check --deploy` warned.
"""

from __future__ import annotations

import secrets
import sys
import urllib.request
from types import SimpleNamespace

import pytest

from elearn.startup import DEVELOPMENT_SECRET_KEY, secret_key_problem
from tests.servers import free_port, gunicorn, gunicorn_command, production_env, run

REAL_KEY = secrets.token_urlsafe(50)


@pytest.mark.parametrize(
    ("key", "refused"),
    [
        ("", "not set"),
        (DEVELOPMENT_SECRET_KEY, "not set"),
        ("django-insecure-" + "a1b2c3d4e5" * 6, "development key"),
        ("short-but-random-9f8e7d", "too weak"),
        ("a" * 30 + "b" * 30, "too weak"),
    ],
)
def test_which_keys_are_refused(key, refused):
    problem = secret_key_problem(SimpleNamespace(DEBUG=False, SECRET_KEY=key))
    assert refused in problem
    assert "\n" not in problem
    assert secret_key_problem(SimpleNamespace(DEBUG=True, SECRET_KEY=key)) is None


def test_a_real_key_is_accepted():
    assert secret_key_problem(SimpleNamespace(DEBUG=False, SECRET_KEY=REAL_KEY)) is None


@pytest.mark.processes
@pytest.mark.parametrize("key", [None, DEVELOPMENT_SECRET_KEY])
def test_gunicorn_refuses_to_start_with_one_line(tmp_path, key):
    env = production_env(tmp_path, **({"SECRET_KEY": key} if key else {}))
    result = run(gunicorn_command(free_port(), workers=2), env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Refusing to start: SECRET_KEY is not set (the development key, published with the "
        "code, is in use) and DEBUG is off. Set SECRET_KEY to 50 or more random characters "
        "(docs/deployment.md)."
    ]
    assert "Booting worker" not in result.stdout + result.stderr


@pytest.mark.processes
def test_gunicorn_with_another_configuration_still_refuses(tmp_path):
    """Started without gunicorn.conf.py, each worker refuses in elearn.wsgi, and gunicorn
    stops ("Worker failed to boot")."""
    env = production_env(tmp_path)
    command = gunicorn_command(free_port(), extra=("--config", "/dev/null"))
    result = run(command, env)
    assert result.returncode != 0
    assert "Refusing to start: SECRET_KEY is not set" in result.stderr


@pytest.mark.processes
def test_gunicorn_serves_with_a_real_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=REAL_KEY)
    with (
        gunicorn(env, tmp_path / "gunicorn.log") as base,
        urllib.request.urlopen(f"{base}/healthz", timeout=10) as answer,  # noqa: S310
    ):
        assert answer.status == 200


@pytest.mark.processes
@pytest.mark.parametrize("program", ["worker", "beat"])
def test_celery_refuses_to_start(tmp_path, program):
    env = production_env(
        tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:6379/13", SECRET_KEY="django-insecure-x"
    )
    command = [sys.executable, "-m", "celery", "-A", "elearn", program]
    if program == "worker":
        command += ["--pool", "solo"]
    else:
        command += ["--schedule", str(tmp_path / "beat-schedule")]
    result = run(command, env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "Refusing to start: SECRET_KEY is a development key (it starts with 'django-insecure') "
        "and DEBUG is off. Set SECRET_KEY to 50 or more random characters (docs/deployment.md)."
    )
