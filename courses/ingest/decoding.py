"""Bytes -> text, refusing what is not a text document."""

from __future__ import annotations

import codecs
import unicodedata

from django.utils.translation import gettext as _

from .base import DocumentError

# Characters a text document may contain among the C0/C1 control characters.
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")


def _first_control_character(text: str) -> str | None:
    for char in text:
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc":
            return char
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else Windows-1252; return (text, encoding).

    Newlines are normalised to "\\n" and the text to NFC. Refused, with a reason: empty files,
    binary files, bytes that are neither encoding, and text that decodes to control characters.
    """
    if not data.strip():
        raise DocumentError(_("the file is empty"), code="empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    elif b"\x00" in data:
        raise DocumentError(
            _("this is a binary file (it contains NUL bytes), not a text document"), code="binary"
        )
    else:
        candidates = [("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")]

    text = None
    encoding = ""
    for codec, label in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        encoding = label
        break
    if text is None:
        raise DocumentError(
            _("the file is neither UTF-8 nor Windows-1252 text (binary or unknown encoding)"),
            code="encoding",
        )

    control = _first_control_character(text)
    if control is not None:
        raise DocumentError(
            _(
                "decoded as %(encoding)s, the file contains control characters (U+%(code)04X): "
                "it is not a text document"
            )
            % {"encoding": encoding, "code": ord(control)},
            code="control",
        )
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise DocumentError(_("the file is empty"), code="empty")
    return text, encoding
