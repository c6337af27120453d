"""What every e-mail the site sends ends with: the site's name and where to read how personal
data is used (RGPD art. 13/14). The templates include courses/email_footer.txt."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def footer_context() -> dict[str, str]:
    # The site's language: an e-mail's links are the site's, whatever language is active.
    with translation.override(settings.LANGUAGE_CODE):
        privacy = reverse("courses:privacy")
    return {"site_name": settings.SITE_NAME, "privacy_url": settings.SITE_BASE_URL + privacy}
