"""GET /healthz: the database decides the status; the broker is reported."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.db import DatabaseError

from courses.system import selectors

pytestmark = pytest.mark.django_db


def test_healthy_with_database_and_redis(client):
    """Against the machine's real PostgreSQL/SQLite and Redis."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_broker_down_is_reported_but_the_site_is_healthy(client, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "error"}


def test_frozen_broker_does_not_hang_the_probe(client, settings):
    """A Redis that accepts connections but never answers: the probe returns within its bound."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held = []
    stop = threading.Event()

    def accept_and_hold():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_and_hold, daemon=True)
    thread.start()
    try:
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()
    assert response.json()["broker"] == "error"
    assert elapsed < 3, f"the probe waited {elapsed:.1f}s on a frozen broker"


def test_database_down_is_503(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(selectors, "connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_healthz_lives_outside_the_language_prefix(client):
    assert client.get("/en/healthz").status_code == 404


def test_healthz_is_not_redirected_to_https(client, settings):
    """Probes inside the network speak plain HTTP; pages are redirected, /healthz is not."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200
