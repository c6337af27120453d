"""Text normalisation for matching, never for display.

French documents mix typographic and straight apostrophes (’ and '), regular, non-breaking and
narrow non-breaking spaces before ":" "?" "!". The stored text keeps them as written; comparisons
go through these functions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'"})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-"})


def normalize_typography(text: str) -> str:
    """Straight apostrophes, plain single spaces, ASCII hyphens; case and accents kept."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).translate(_DASHES)
    return _SPACES.sub(" ", text).strip()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    )


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """The form two strings share when a reader would call them the same words."""
    return strip_accents(normalize_typography(text)).casefold()
