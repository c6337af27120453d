"""Learner lists as French spreadsheets save them: courses/cohorts/csvimport.py (pure, no database).

Messages are read in English (their msgids), whatever the catalogue holds.
"""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.utils import translation
from openpyxl import Workbook

from courses.cohorts.csvimport import CsvError, LineError, Row, parse

LIMITS = {"max_bytes": 512 * 1024, "max_rows": 2000}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def encode(lines: list[str], *, encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def read(data: bytes, **limits: int):
    return parse(data, **{**LIMITS, **limits})


# --- delimiters and encodings -----------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_each_delimiter_is_recognised_from_the_header_line(delimiter):
    """Semicolons (Excel in French), commas and tabs all split the columns."""
    lines = [
        delimiter.join(["email", "prénom", "nom"]),
        delimiter.join(["camille.martin@example.org", "Camille", "Martin"]),
        delimiter.join(["paul.durand@example.org", "Paul", "Durand"]),
    ]

    parsed = read(encode(lines))

    assert parsed.delimiter == delimiter
    assert parsed.errors == []
    assert parsed.rows == [
        Row(line=2, email="camille.martin@example.org", first_name="Camille", last_name="Martin"),
        Row(line=3, email="paul.durand@example.org", first_name="Paul", last_name="Durand"),
    ]


NAMES = [
    ("helene.lefevre@example.org", "Hélène", "Lefèvre"),
    ("francois.garcon@example.org", "François", "Garçon"),
    ("zoe.coeur@example.org", "Zoé", "Cœur-Œillet"),
    ("noel.ete@example.org", "Noël", "Été à l’Hôpital"),
]


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        pytest.param("utf-8", "UTF-8", id="utf-8"),
        pytest.param("utf-8-sig", "UTF-8", id="utf-8-with-bom"),
        pytest.param("cp1252", "Windows-1252", id="windows-1252"),
        pytest.param("utf-16", "UTF-16", id="utf-16-le-with-bom"),
    ],
)
def test_accented_names_survive_each_encoding(encoding, reported):
    """UTF-8 with or without a BOM, Windows-1252 (Excel's "CSV (séparateur : point-virgule)")
    and UTF-16 with its BOM give back the same accented names, é ç œ Œ ë included; the BOM does
    not hide the first header."""
    lines = ["Courriel;Prénom;Nom", *(";".join(name) for name in NAMES)]

    parsed = read(encode(lines, encoding=encoding))

    assert parsed.encoding == reported
    assert parsed.errors == []
    assert [(row.email, row.first_name, row.last_name) for row in parsed.rows] == NAMES


def test_excel_unicode_text_is_read():
    """Excel's "Texte Unicode (*.txt)": UTF-16 little-endian with its BOM, tab-separated."""
    lines = ["Courriel\tPrénom\tNom", *("\t".join(name) for name in NAMES)]
    data = "\r\n".join(lines).encode("utf-16-le")
    assert not data.startswith(b"\xff\xfe")

    parsed = read(b"\xff\xfe" + data)

    assert (parsed.encoding, parsed.delimiter) == ("UTF-16", "\t")
    assert parsed.errors == []
    assert [(row.email, row.first_name, row.last_name) for row in parsed.rows] == NAMES


def test_big_endian_utf16_with_its_bom_is_read():
    data = b"\xfe\xff" + "email;prénom\nh@example.org;Hélène\n".encode("utf-16-be")

    parsed = read(data)

    assert parsed.rows == [Row(line=2, email="h@example.org", first_name="Hélène", last_name="")]


def test_utf16_without_its_bom_is_refused_as_binary():
    """Without a BOM nothing tells UTF-16 from binary data: refused, not guessed."""
    with pytest.raises(CsvError, match=r"contains binary data"):
        read("email;nom\nh@example.org;Roux\n".encode("utf-16-le"))


def test_a_utf16_bom_before_bytes_that_are_not_utf16_is_refused():
    with pytest.raises(CsvError, match="announces UTF-16 text but is not"):
        read(b"\xff\xfe" + "email;nom\n".encode("utf-16-le") + b"\x41")


def test_utf16_text_that_holds_nul_characters_is_refused():
    with pytest.raises(CsvError, match=r"contains binary data"):
        read(b"\xff\xfe" + "email;nom\n\x00\x00;x\n".encode("utf-16-le"))


def test_decomposed_accents_from_a_mac_are_composed():
    """A name typed on macOS (e + combining accent) is stored as the single character é."""
    decomposed = unicodedata.normalize("NFD", "Hélène")
    assert decomposed != "Hélène"

    parsed = read(encode(["email;prénom;nom", f"h@example.org;{decomposed};Roux"]))

    assert parsed.rows[0].first_name == "Hélène"


def test_old_mac_line_endings_are_read():
    """Excel for Mac's "CSV (Macintosh)" ends lines with a lone carriage return."""
    lines = ["email;nom", "a@example.org;Roux", "b@example.org;Blanc"]

    parsed = read(encode(lines, encoding="cp1252", newline="\r"))

    assert [(row.line, row.email) for row in parsed.rows] == [
        (2, "a@example.org"),
        (3, "b@example.org"),
    ]


def test_unix_line_endings_are_read():
    parsed = read(encode(["email;nom", "a@example.org;Roux"], newline="\n"))

    assert [row.email for row in parsed.rows] == ["a@example.org"]


# --- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["Adresse e-mail", "Prénom", "Nom"],
        ["E-mail", "First name", "Last name"],
        ["courriel", "PRÉNOM", "NOM DE FAMILLE"],
        ["  Email address ", "first_name", "last_name"],
        ["Adresse électronique", "Prenom", "Nom d’usage"],
        ["E\u2011Mail", "Given name", "Surname"],
        ["EMAIL", "FIRSTNAME", "LASTNAME"],
        ['"Adresse mail"', "prénoms", "Family name"],
    ],
    ids=lambda header: "|".join(header),
)
def test_french_and_english_headers_whatever_their_case_accents_and_spaces(header):
    """Each spelling names its column: accents, case, surrounding spaces and underscores do
    not matter."""
    parsed = read(encode([";".join(header), "ines.moreau@example.org;Inès;Moreau"]))

    assert parsed.rows == [
        Row(line=2, email="ines.moreau@example.org", first_name="Inès", last_name="Moreau")
    ]


def test_columns_in_any_order_and_other_columns_ignored():
    """The headers say which column is which; a service or telephone column is left alone."""
    lines = [
        "Nom;Service;Prénom;Téléphone;Courriel",
        "Moreau;Hématologie;Inès;06 12 34 56 78;ines.moreau@example.org",
    ]

    parsed = read(encode(lines))

    assert parsed.rows == [
        Row(line=2, email="ines.moreau@example.org", first_name="Inès", last_name="Moreau")
    ]


def test_an_e_mail_column_alone_is_enough():
    parsed = read(encode(["E-mail", "ines.moreau@example.org"]))

    assert parsed.rows == [
        Row(line=2, email="ines.moreau@example.org", first_name="", last_name="")
    ]
    assert parsed.rows[0].full_name == ""


def test_no_e_mail_column_is_refused_with_an_example_of_headers():
    """A list without an e-mail column (or without a header line at all) says what the first
    line must hold."""
    with pytest.raises(CsvError) as refused:
        read(encode(["Prénom;Nom", "Inès;Moreau"]))
    assert "No e-mail column" in str(refused.value)
    assert "email;prénom;nom" in str(refused.value)

    with pytest.raises(CsvError, match="No e-mail column"):
        read(encode(["ines.moreau@example.org;Inès;Moreau"]))


# --- lines that cannot be read ----------------------------------------------------------------


def test_bad_lines_are_reported_by_line_number_and_the_good_ones_kept():
    """An invalid address, a line without one and a repeated address (whatever its case) are
    each reported at their line in the file; blank lines count in the numbering but are not
    errors; every good line is kept."""
    lines = [
        "email;prénom;nom",  # 1
        "camille.martin@example.org;Camille;Martin",  # 2
        "pas-une-adresse;Jean;Petit",  # 3
        "",  # 4
        ";Lucie;Sans-Adresse",  # 5
        ";;",  # 6: an empty row Excel writes below the data
        "CAMILLE.Martin@Example.org;Camille;Martin",  # 7
        "paul.durand@example.org;Paul;Durand",  # 8
    ]

    parsed = read(encode(lines))

    assert [(row.line, row.email) for row in parsed.rows] == [
        (2, "camille.martin@example.org"),
        (8, "paul.durand@example.org"),
    ]
    assert parsed.errors == [
        LineError(3, "“pas-une-adresse” is not an e-mail address"),
        LineError(5, "no e-mail address"),
        LineError(7, "camille.martin@example.org already appears on line 2"),
    ]


def test_addresses_are_lower_cased_and_cells_trimmed():
    parsed = read(encode(["email;prénom;nom", "  Ines.MOREAU@Example.ORG ;  Inès ; Moreau  "]))

    row = parsed.rows[0]
    assert (row.email, row.first_name, row.last_name) == (
        "ines.moreau@example.org",
        "Inès",
        "Moreau",
    )
    assert row.full_name == "Inès Moreau"


def test_quoted_cells_keep_delimiters_and_line_breaks_and_the_row_is_numbered_where_it_starts():
    """A quoted cell may hold the delimiter or a line break; the next rows keep their true
    line numbers, and an error in a multi-line row points at its first line."""
    data = (
        "email;prénom;nom\r\n"
        '"a@example.org";"Marie; dite Mimi";Roux\r\n'
        'pas-une-adresse;"Jean\r\nLouis";Petit\r\n'
        "b@example.org;Paul;Blanc\r\n"
    ).encode()

    parsed = read(data)

    assert [(row.line, row.email, row.first_name) for row in parsed.rows] == [
        (2, "a@example.org", "Marie; dite Mimi"),
        (5, "b@example.org", "Paul"),
    ]
    assert [error.line for error in parsed.errors] == [3]


# --- the file as a whole ------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_saying_both_sizes():
    data = encode(["email", *(f"learner{n}@example.org" for n in range(200))])
    assert len(data) > 2048

    with pytest.raises(CsvError) as refused:
        read(data, max_bytes=2048)
    assert str(refused.value) == (
        f"The file is too large ({len(data) // 1024 + 1} KB; the limit is 2 KB)."
    )
    assert read(data, max_bytes=len(data)).rows  # exactly at the limit: read


def test_more_learners_than_the_row_limit_is_refused_with_the_limit():
    """The limit counts learners' lines (good or bad), not the header or blank lines."""
    rows = [f"learner{n}@example.org" for n in range(5)]

    assert len(read(encode(["email", *rows, "", ""]), max_rows=5).rows) == 5
    with pytest.raises(CsvError) as refused:
        read(encode(["email", *rows, "pas-une-adresse"]), max_rows=5)
    assert str(refused.value) == "The file has more than 5 learners; split it into several files."


def test_an_empty_file_is_refused():
    for data in (b"", b"  \r\n\r\n"):
        with pytest.raises(CsvError, match="The file is empty"):
            read(data)
    for data in (b"\xef\xbb\xbf\r\n", b";;;\r\n;;\r\n"):
        with pytest.raises(CsvError, match="The file has no header line"):
            read(data)


def test_a_header_without_learners_gives_an_empty_list():
    parsed = read(encode(["email;prénom;nom"]))

    assert (parsed.rows, parsed.errors) == ([], [])


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["email", "prénom", "nom"])
    sheet.append(["ines.moreau@example.org", "Inès", "Moreau"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_excel_workbook_is_refused_with_how_to_save_it_as_csv():
    """The commonest mistake, uploading the .xlsx itself, says to save it as CSV."""
    with pytest.raises(CsvError) as refused:
        read(xlsx_bytes())
    assert "not a CSV file" in str(refused.value)
    assert "save it as CSV" in str(refused.value)


def test_binary_data_is_refused():
    """Any file holding NUL bytes (an image, a PDF) is not read as text."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
    with pytest.raises(CsvError, match=r"not a CSV file \(it contains binary data\)"):
        read(png)


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused():
    """0x81 and 0x8D have no character in Windows-1252 (nor are they UTF-8)."""
    with pytest.raises(CsvError, match="neither UTF-8 nor Windows-1252"):
        read(b"email;nom\r\n\x81\x8d@example.org;X\r\n")


def test_a_cell_far_too_long_is_refused_with_its_line_not_a_crash():
    """The csv module stops at 128 KiB a cell: that is a clear error, not a server error."""
    data = b"email;nom\r\na@example.org;Roux\r\nb@example.org;" + b"x" * 200_000 + b"\r\n"

    with pytest.raises(CsvError) as refused:
        read(data)
    assert str(refused.value).startswith("Line 3 cannot be read")
