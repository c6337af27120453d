"""Validation of the professional identifier printed on certificates."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_rpps(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside an identifier."""
    return "".join(ch for ch in value if ch not in " .-\u00a0\u202f")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_rpps(value: str) -> None:
    """An RPPS number is 11 digits, the last one a Luhn check digit (Annuaire Santé, ANS).

    The check digit catches a mistyped or swapped digit before it is printed on a certificate.
    """
    if len(value) != 11 or not value.isascii() or not value.isdigit():
        raise ValidationError(_("An RPPS number has exactly 11 digits."), code="rpps_format")
    if not luhn_is_valid(value):
        raise ValidationError(
            _("This RPPS number is not valid: please check each digit."), code="rpps_checksum"
        )
