"""Spreadsheet exports (CSV and XLSX): plain rows in, bytes out.

A cell that begins with = + - @ (or a tab or carriage return) is prefixed with an apostrophe:
a learner named "=HYPERLINK(…)" must not run a formula in the instructor's spreadsheet
(OWASP, "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | date | datetime | None


def neutralize(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
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


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = title[:31]
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
