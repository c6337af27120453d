"""The RPPS number: 11 digits with a Luhn check digit (pure)."""

import pytest
from django.core.exceptions import ValidationError

from courses.validators import luhn_is_valid, normalize_rpps, validate_rpps

VALID_RPPS = "10012345673"  # 1001234567 followed by its Luhn check digit, 3


def test_luhn_check_digit():
    assert luhn_is_valid(VALID_RPPS)
    assert not luhn_is_valid("10012345674")
    assert luhn_is_valid("79927398713")  # the textbook example


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1001234567", "rpps_format"),  # 10 digits
        ("100123456730", "rpps_format"),  # 12 digits
        ("1001234567A", "rpps_format"),
        ("１００１２３４５６７３", "rpps_format"),  # full-width digits are not ASCII digits
        ("10012345674", "rpps_checksum"),  # one digit off
    ],
)
def test_invalid_rpps_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_rpps(value)
    assert error.value.code == code


def test_valid_rpps_passes():
    validate_rpps(VALID_RPPS)


def test_spaces_and_dots_typed_in_the_number_are_removed():
    assert normalize_rpps("100 123 456 73") == VALID_RPPS
    assert normalize_rpps("100.123.456-73") == VALID_RPPS
    assert normalize_rpps("100\u00a0123\u00a0456\u00a073") == VALID_RPPS
