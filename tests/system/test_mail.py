"""A mail server that accepts the connection and then says nothing must not hold the sender."""

from __future__ import annotations

import socket
import time

import pytest
from django.conf import settings
from django.core.mail import get_connection, send_mail


def test_the_mail_timeout_is_set_by_default():
    # smtplib waits without limit unless told; the project's default is a bound.
    assert 0 < settings.EMAIL_TIMEOUT <= 60


def test_a_silent_mail_server_fails_the_send_within_the_timeout():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections (the kernel does), never sends the greeting
        host, port = silent.getsockname()
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend", host=host, port=port, timeout=1
        )
        started = time.monotonic()
        with pytest.raises((TimeoutError, OSError)):
            send_mail(
                "Objet", "Texte", "site@example.org", ["a@example.org"], connection=connection
            )
        assert time.monotonic() - started < 10  # a generous bound over the 1 s timeout


def test_the_smtp_backend_uses_the_setting(settings):
    settings.EMAIL_TIMEOUT = 7
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 7
