"""allauth, adapted: every link in an e-mail uses the site's public base URL, and an address
proved by a cohort invitation needs no second confirmation."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url

from courses.system import mail
from courses.system.mail import footer_context

from .services import invited_email_is


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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails name the site and end as the site's own: where to read how data
        is used; each is recorded (courses.system.mail)."""
        # allauth names the site by the request's host ("127.0.0.1:8000"): the site's name
        # and its public address instead.
        site = SimpleNamespace(
            name=settings.SITE_NAME, domain=urlsplit(settings.SITE_BASE_URL).netloc
        )
        # Every link it builds from the request (password reset, sign-up) on the public base URL.
        links = {
            name: public_url(value)
            for name, value in context.items()
            if isinstance(value, str) and value.startswith(("http://", "https://"))
        }
        super().send_mail(
            template_prefix,
            email,
            {**footer_context(), **context, **links, "current_site": site},
        )
        mail.record(to=email, subject=self._subject, kind=template_prefix)

    def render_mail(self, template_prefix: str, email: str, context: dict, headers=None):  # type: ignore[no-untyped-def]
        message = super().render_mail(template_prefix, email, context, headers=headers)
        self._subject = str(message.subject)  # recorded once sent (send_mail)
        return message

    def get_login_redirect_url(self, request) -> str:
        """Course staff land on their home ("Mes formations animées"), learners on theirs."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_instructor:
            return resolve_url("courses:teaching")
        return super().get_login_redirect_url(request)

    def is_email_verified(self, request, email: str) -> bool:
        # allauth asks this while setting up a new account's address ("verified beyond allauth's
        # scope, for example by having accepted an invitation").
        if request is not None and invited_email_is(session=request.session, email=email):
            return True
        return super().is_email_verified(request, email)
