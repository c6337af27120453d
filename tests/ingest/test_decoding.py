"""Bytes -> text: what is accepted as a text document, and how it is read."""

from __future__ import annotations

import codecs

import pytest
from django.utils.translation import override

from courses.ingest.base import DocumentError
from courses.ingest.decoding import decode_text


def test_utf8_is_decoded_and_reported():
    """UTF-8 bytes give their text and the label "UTF-8"."""
    data = "L’infirmière évalue la douleur\u00a0: échelle EVA.\n".encode()

    assert decode_text(data) == ("L’infirmière évalue la douleur\u00a0: échelle EVA.\n", "UTF-8")


def test_utf8_byte_order_mark_is_dropped():
    """A UTF-8 byte order mark is not part of the text; the encoding is still "UTF-8"."""
    data = codecs.BOM_UTF8 + "Évaluation de la douleur\n".encode()

    text, encoding = decode_text(data)

    assert text == "Évaluation de la douleur\n"
    assert encoding == "UTF-8"


def test_windows_1252_is_decoded_and_reported():
    """Bytes that are not UTF-8 are read as Windows-1252: 0xE9 is "é", 0x92 is "’"."""
    data = b"L\x92infirmi\xe8re \xe9value la douleur \x96 \x80 \x93EVA\x94 \x9cil.\n"

    text, encoding = decode_text(data)

    assert text == "L’infirmière évalue la douleur – € “EVA” œil.\n"
    assert encoding == "Windows-1252"


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n\r\n", b" \t\n\x0c\x0b "])
def test_empty_or_whitespace_only_file_is_refused(data):
    """A file with no characters, or only white space, is refused as empty."""
    with pytest.raises(DocumentError) as caught:
        decode_text(data)

    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n \n", "\u00a0\u202f\n".encode()],
    ids=["bom-only", "bom-and-blank-lines", "non-breaking-spaces-only"],
)
def test_file_that_decodes_to_white_space_is_refused(data):
    """A byte order mark or non-breaking spaces alone are no text either."""
    with pytest.raises(DocumentError) as caught:
        decode_text(data)

    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    "data",
    [b"Texte\x00avec un octet nul", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"PK\x03\x04\x14\x00"],
    ids=["nul-in-text", "png", "zip"],
)
def test_nul_bytes_mean_a_binary_file(data):
    """A NUL byte never occurs in a text document: the file is refused as binary."""
    with pytest.raises(DocumentError) as caught:
        decode_text(data)

    assert caught.value.code == "binary"


def test_bytes_undefined_in_windows_1252_are_refused():
    """0x81 0x8D 0x8F 0x90 0x9D are neither UTF-8 nor Windows-1252: refused as an encoding."""
    with pytest.raises(DocumentError) as caught:
        decode_text(b"Texte \x81\x8d\x8f\x90\x9d fin")

    assert caught.value.code == "encoding"


def test_control_characters_in_utf8_are_refused_naming_the_encoding():
    """An escape sequence in valid UTF-8 is refused; the message says it was read as UTF-8."""
    with override("en"), pytest.raises(DocumentError) as caught:
        decode_text("Température \x1b[31m38,5\u00a0°C".encode())

    assert caught.value.code == "control"
    assert "UTF-8" in str(caught.value)
    assert "U+001B" in str(caught.value)


def test_control_characters_in_windows_1252_are_refused_naming_the_encoding():
    """Windows-1252 text with a BEL byte is refused; the message names Windows-1252."""
    with override("en"), pytest.raises(DocumentError) as caught:
        decode_text(b"Temp\xe9rature\x07 38,5")

    assert caught.value.code == "control"
    assert "Windows-1252" in str(caught.value)
    assert "U+0007" in str(caught.value)


def test_c1_control_character_is_refused():
    """U+0085 (a C1 control encoded in UTF-8) is a control character too."""
    with pytest.raises(DocumentError) as caught:
        decode_text("Ligne\u0085suite".encode())

    assert caught.value.code == "control"


def test_tabs_and_form_feeds_are_allowed():
    """Tabs and form feeds occur in real text files and are kept."""
    text, _encoding = decode_text(b"Colonne\tvaleur\n\x0cPage 2\n")

    assert text == "Colonne\tvaleur\n\x0cPage 2\n"


def test_crlf_and_cr_newlines_are_normalised():
    """Windows (CRLF) and old Mac (CR) line ends all become "\\n"."""
    text, _encoding = decode_text(b"Titre\r\n\r\nPremier paragraphe.\rSecond.\r\n")

    assert text == "Titre\n\nPremier paragraphe.\nSecond.\n"


def test_crlf_is_normalised_in_windows_1252_too():
    """A Windows-1252 file with CRLF line ends gives "\\n" line ends."""
    text, encoding = decode_text(b"Pr\xe9vention\r\n\r\nL\x92hygi\xe8ne des mains.\r\n")

    assert (text, encoding) == ("Prévention\n\nL’hygiène des mains.\n", "Windows-1252")


def test_text_is_normalised_to_nfc():
    """A decomposed "é" (e + combining acute accent) is stored composed."""
    text, _encoding = decode_text("Pre\u0301vention".encode())

    assert text == "Prévention"
