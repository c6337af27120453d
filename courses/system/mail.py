"""E-mails the site sends: what each ends with (the site's name and where to read how personal
data is used, RGPD art. 13/14: the templates include courses/email_footer.txt), and the
record of each one sent (courses.models.SentEmail), which a person downloads with their data."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation

from courses.models import SentEmail


def footer_context() -> dict[str, str]:
    # The site's language: an e-mail's links are the site's, whatever language is active.
    with translation.override(settings.LANGUAGE_CODE):
        privacy = reverse("courses:privacy")
    return {"site_name": settings.SITE_NAME, "privacy_url": settings.SITE_BASE_URL + privacy}


def send(
    *, subject: str, body: str, to: str, kind: str, headers: dict[str, str] | None = None
) -> None:
    """Send one e-mail of the site's (raises what the mail server raises), then record it."""
    EmailMessage(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    ).send()
    record(to=to, subject=subject, kind=kind)


def record(*, to: str, subject: str, kind: str) -> None:
    SentEmail.objects.create(email=to.strip().lower(), subject=subject[:255], kind=kind[:80])
