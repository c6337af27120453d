"""allauth, adapted: every link in an e-mail uses the site's public base URL."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


def public_url(url_or_path: str) -> str:
    """The same address on SITE_BASE_URL, whatever host the request came in on."""
    bits = urlsplit(url_or_path)
    base = urlsplit(settings.SITE_BASE_URL)
    return urlunsplit((base.scheme, base.netloc, bits.path, bits.query, bits.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return public_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return public_url(super().get_reset_password_from_key_url(key))
