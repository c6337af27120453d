"""Spreadsheet exports (CSV and XLSX): plain rows in, bytes out.

A cell that begins with = + - @ (or a tab or a line break) is prefixed with an apostrophe:
a learner named "=HYPERLINK(…)" must not run a formula in the instructor's spreadsheet
(OWASP, "CSV injection").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses these in a sheet's name, and names longer than 31 characters (openpyxl raises).
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
SHEET_TITLE_MAX = 31

Cell = str | int | float | date | datetime | None


# Control characters XML 1.0 (hence XLSX) cannot hold, tab, line feed and carriage return
# excepted: openpyxl refuses them, and a name pasted from a word processor can carry one.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralize(value: Cell) -> Cell:
    """The value as a spreadsheet may show it: control characters dropped, then a formula's
    leading character defused by an apostrophe. Numbers and dates are left as they are."""
    if isinstance(value, str):
        # One line ending, LF: XML (hence XLSX) reads a bare CR back as LF, and the two
        # formats must show the same cell.
        value = CONTROL_CHARACTERS.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
        if value.startswith(DANGEROUS_START):
            return "'" + value
    return value


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """ ";"-separated UTF-8 with a BOM: what Excel in French opens without a wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralize(cell) for cell in header])
    for row in rows:
        writer.writerow([_text(neutralize(cell)) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: forbidden characters replaced, at most 31 long."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub("-", title).strip().strip("'")
    return cleaned[:SHEET_TITLE_MAX] or "Sheet"


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = sheet_title(title)
    sheet.append([neutralize(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for value in row:
            value = neutralize(value)
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)  # Excel has no time zones
            values.append(value)
        sheet.append(values)
        # openpyxl reads a string beginning with "=" as a formula: the cells are strings.
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
