"""A list of learners from a spreadsheet: what French spreadsheets produce, read without loss.

Pure: bytes in, rows and errors out. Accepted: ";" or "," (or tab) as the delimiter, UTF-8
with or without BOM, Windows-1252 (Excel's "CSV (séparateur : point-virgule)"), or UTF-16 with
its BOM (Excel's "Texte Unicode", tab-separated; LibreOffice's "Unicode (UTF-16)"); headers in
French or English, in any order and case ("Courriel", "E-mail", "Prénom", "First name", "Nom").
Every line that cannot be read is reported with its line number; the good lines are kept.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from courses.textnorm import match_key

if TYPE_CHECKING:
    from _csv import Reader

# The headers each column accepts, compared after match_key (no accents, lower case).
HEADERS = {
    "email": {"email", "e-mail", "courriel", "mail", "adresse e-mail", "adresse email",
              "adresse mail", "adresse electronique", "email address", "e-mail address"},
    "first_name": {"prenom", "first name", "firstname", "given name", "prenoms"},
    "last_name": {"nom", "last name", "lastname", "surname", "family name", "nom de famille",
                  "nom d'usage"},
}  # fmt: skip


class CsvError(ValueError):
    """The file as a whole cannot be read (the message says why)."""


@dataclass(frozen=True)
class Row:
    line: int
    email: str
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


@dataclass
class ParsedList:
    rows: list[Row] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise CsvError(_("The file announces UTF-16 text but is not.")) from error
        if "\x00" in text:
            raise CsvError(_("This is not a CSV file (it contains binary data)."))
        return text, "UTF-16"
    if b"\x00" in data:
        raise CsvError(_("This is not a CSV file (it contains binary data)."))
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise CsvError(_("The file is neither UTF-8 nor Windows-1252 text.")) from error


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def check_size(size: int, *, max_bytes: int) -> None:
    """Refuse a list over ``max_bytes`` (an upload is checked by its size, before reading)."""
    if size > max_bytes:
        raise CsvError(
            _("The file is too large (%(size)d KB; the limit is %(limit)d KB).")
            % {"size": size // 1024 + 1, "limit": max_bytes // 1024}
        )


def parse(data: bytes, *, max_bytes: int, max_rows: int) -> ParsedList:
    """Rows of (email, first name, last name), each with its line number in the file."""
    check_size(len(data), max_bytes=max_bytes)
    if not data.strip():
        raise CsvError(_("The file is empty."))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        # .xlsx and .ods files are zip archives, .xls files OLE2 documents: the workbook
        # itself was uploaded rather than a CSV saved from it (the commonest mistake).
        raise CsvError(
            _(
                "This is a spreadsheet workbook (Excel, LibreOffice), not a CSV file: save it "
                "as CSV (semicolon-separated) and upload that file."
            )
        )
    text, encoding = _decode(data)
    text = unicodedata.normalize("NFC", text)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = _delimiter(first)
    # newline="": the csv module then sees every line ending as written, the old Mac "\r"
    # (Excel for Mac's "CSV (Macintosh)") included, and quoted cells may hold line breaks.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    result = ParsedList(encoding=encoding, delimiter=delimiter)
    try:
        columns = _read(reader, result, max_rows=max_rows)
    except csv.Error as error:
        raise CsvError(
            _(
                "Line %(line)d cannot be read: a quotation mark is not closed, or a cell is "
                "far too long."
            )
            % {"line": reader.line_num}
        ) from error
    if columns is None:
        raise CsvError(_("The file has no header line."))
    return result


def _read(reader: Reader, result: ParsedList, *, max_rows: int) -> dict[str, int] | None:
    """Fill ``result`` from the rows; return the columns found on the header line."""
    columns: dict[str, int] | None = None
    seen: dict[str, int] = {}
    end = 0
    for row in reader:
        # A quoted cell may span several lines: a row is reported at the line where it starts.
        line, end = end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns = _columns(row)
            continue
        if len(result.rows) + len(result.errors) >= max_rows:
            raise CsvError(
                _("The file has more than %(limit)d learners; split it into several files.")
                % {"limit": max_rows}
            )
        cells = {name: row[index].strip() if index < len(row) else "" for name, index in
                 columns.items()}  # fmt: skip
        email = cells["email"].lower()
        if not email:
            result.errors.append(LineError(line, _("no e-mail address")))
            continue
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(
                LineError(line, _("“%(email)s” is not an e-mail address") % {"email": email})
            )
            continue
        if email in seen:
            result.errors.append(
                LineError(
                    line,
                    _("%(email)s already appears on line %(line)d")
                    % {"email": email, "line": seen[email]},
                )
            )
            continue
        seen[email] = line
        result.rows.append(
            Row(
                line=line,
                email=email,
                first_name=cells.get("first_name", "")[:75],
                last_name=cells.get("last_name", "")[:75],
            )
        )
    return columns


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        # "first_name", "E_mail": database exports join words with underscores.
        key = match_key(cell.strip().strip('"').lstrip("\ufeff").replace("_", " "))
        for name, accepted in HEADERS.items():
            if key in accepted and name not in columns:
                columns[name] = index
    if "email" not in columns:
        raise CsvError(
            _(
                "No e-mail column: the first line must name the columns, for instance "
                "“email;prénom;nom” (or “courriel”, “first name”, “last name”)."
            )
        )
    return columns
