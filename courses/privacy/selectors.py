from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Notice:
    """What the privacy notice names, from the deployment's settings."""

    site_name: str
    controller: str
    controller_address: str
    dpo_email: str
    hosting: str
    mail_provider: str
    training_record_years: int
    inactive_account_years: int
    log_days: int
    invitation_days: int


def notice() -> Notice:
    return Notice(
        site_name=settings.SITE_NAME,
        controller=settings.PRIVACY_CONTROLLER,
        controller_address=settings.PRIVACY_CONTROLLER_ADDRESS,
        dpo_email=settings.PRIVACY_DPO_EMAIL,
        hosting=settings.PRIVACY_HOSTING,
        mail_provider=settings.PRIVACY_MAIL_PROVIDER,
        training_record_years=settings.RETENTION_TRAINING_RECORD_YEARS,
        inactive_account_years=settings.RETENTION_INACTIVE_ACCOUNT_YEARS,
        log_days=settings.RETENTION_LOG_DAYS,
        invitation_days=settings.INVITATION_EXPIRY_DAYS,
    )
