"""Verification codes: unguessable, readable aloud, printed on paper."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O or U, so that a code read from paper is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 20 symbols of 5 bits: 100 random bits (the issue asks for at least 80).
LENGTH = 20
GROUP = 5


def new_code() -> str:
    """ "7KQ2M-9XD4T-…": four groups of five."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(symbols[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize(code: str) -> str:
    """A code as typed: case, spaces and the letters people confuse (O/0, I/L/1) forgiven."""
    cleaned = code.upper().replace(" ", "").replace("-", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return "-".join(cleaned[i : i + GROUP] for i in range(0, LENGTH, GROUP))
