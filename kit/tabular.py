"""Reading the tables people upload (CSV or XLSX) the way French software writes them.

The reading side of ``kit/spreadsheet.py``: a file becomes a header and rows of text cells, and
each cell is read by a helper that accepts the French forms — decimal comma and grouped
thousands (``1 234,56``, ``1.234,56``, ``1234.56``), dates ``25/09/2023`` as well as ISO, and
headers with or without accents. Money never goes through a float: an XLSX number cell is read
back as the shortest decimal that prints it (what the person typed), then as a ``Decimal``.

Errors are plain ``ValueError`` with a French message, so an import can list every error of a
row next to its column instead of stopping at the first one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from kit.errors import ValidationFailed

XLSX_MAGIC = b"PK\x03\x04"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPACES = (" ", "\u00a0", "\u202f", "\t")
FRENCH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (not CSV, not XLSX, no header)."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, cells)


def header_key(text: str) -> str:
    """``"Date de mandat"``, ``"date_de_mandat"``, ``"DATE DE MANDAT"`` → ``date_de_mandat``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def read_table(content: bytes, *, max_rows: int) -> Table:
    """The first sheet of an XLSX file or a CSV file (``;``, ``,`` or tab; UTF-8 or Windows-1252,
    as financial software exports), header keys normalised with :func:`header_key`."""
    if content.startswith(XLSX_MAGIC):
        grid = _xlsx_rows(content)
    else:
        grid = _csv_rows(content)
    lines = [(n, cells) for n, cells in grid if any(c.strip() for c in cells)]
    if not lines:
        raise UnreadableFile("Le fichier est vide : il faut une ligne d'en-tête puis les lignes.")
    _, first = lines[0]
    header = [header_key(c) for c in first]
    table = Table(header=header)
    for number, cells in lines[1:]:
        if len(table.rows) >= max_rows:
            raise UnreadableFile(f"Au plus {max_rows} lignes par fichier : découpez-le.")
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            row["__extra__"] = "oui"
        table.rows.append((number, row))
    return table


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", "replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise UnreadableFile(f"Le fichier n'est pas un CSV lisible : {exc}.") from exc


def _xlsx_rows(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is not a workbook: openpyxl raises many kinds
        raise UnreadableFile("Le fichier n'est pas un classeur XLSX lisible.") from exc
    sheet = book.worksheets[0]
    rows = [
        (number, [xlsx_cell(v) for v in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    book.close()
    return rows


def xlsx_cell(value: Any) -> str:
    """A cell of a workbook as the text a person typed (dates ISO, numbers exact)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        # repr gives the shortest decimal that reads back as this float: 1234.56, not
        # 1234.5599999999999; an integral float is written without its ".0"
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def parse_decimal(text: str) -> Decimal:
    """``"1 234,56"``, ``"1.234,56"``, ``"1234.56"``, ``"1234,5 €"`` → ``Decimal("1234.56")``."""
    raw = text
    for space in SPACES:
        text = text.replace(space, "")
    text = text.removesuffix("€").removesuffix("EUR")
    if "," in text and "." in text:
        text = text.replace(".", "") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(f"« {raw} » n'est pas un nombre (ex. : 1 234,56).")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refused it
        raise ValueError(f"« {raw} » n'est pas un nombre (ex. : 1 234,56).") from exc


def parse_date(text: str) -> dt.date:
    """``"25/09/2023"``, ``"25.09.23"``, ``"2023-09-25"`` (a time after it is ignored)."""
    value = text.strip().split(" ")[0].split("T")[0]
    found = FRENCH_DATE.match(value)
    try:
        if found:
            day, month, year = (int(g) for g in found.groups())
            return dt.date(year + 2000 if year < 100 else year, month, day)
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"« {text} » n'est pas une date (ex. : 25/09/2023).") from exc


def parse_int(text: str) -> int:
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise ValueError(f"« {text} » n'est pas un nombre entier.")
    return int(number)


def csv_bytes(rows: list[list[str]]) -> bytes:
    """A CSV the French way (``;``, UTF-8 with BOM so that Excel reads the accents)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[str]], *, title: str) -> bytes:
    from openpyxl import Workbook

    from kit.spreadsheet import append_row

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bad_file(message: str) -> ValidationFailed:
    """The 422 of an import file that cannot be read as a table of the expected columns. Its
    message is French for the API and the pages alike: an import file is a French document."""
    return ValidationFailed(
        message,
        detail_fr=message,
        errors=[{"field": "file", "message": message, "message_fr": message, "type": "file"}],
        slug="bad-file",
    )
