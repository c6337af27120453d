"""The site's logs never hold a secret a URL carries: invitation and cohort links, reminder
unsubscribe links, e-mail confirmation and password-reset keys. Django's log records (a 404 on
such a link, runserver's request lines) go through `RedactTokens`; gunicorn's access log through
`redact` (gunicorn.conf.py)."""

from __future__ import annotations

import logging
import re

# The path segment after each prefix is a secret; under /en/ too, wherever it appears in a
# line (a request line, a Referer, a message).
TOKEN_PATH = re.compile(
    r"(/(?:invitations|cohorts/join|reminders/unsubscribe|accounts/confirm-email"
    r"|accounts/password/reset/key)/)([^/?#\s\"']+)"
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return TOKEN_PATH.sub(rf"\1{REDACTED}", text)


class RedactTokens(logging.Filter):
    """Rewrites a record's message with its secrets replaced; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
