"""Reading an import file (CSV or XLSX) into rows of text cells, and writing its template.

CSV: UTF-8 with or without BOM, ``;`` or ``,`` (read from the header line). XLSX: the first
sheet. Headers are matched without case or accents' worries by ``normalise``; dates are read
the French way (``25/09/2023``) or ISO (``2023-09-25``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from kit.errors import ValidationFailed
from kit.french import fr_number
from kit.spreadsheet import append_row, safe_row

MAX_ROWS = 10_000
XLSX_MAGIC = b"PK\x03\x04"
FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
Rows = list[tuple[int, dict[str, str]]]


def fail(message: str, french: str, field: str = "file") -> ValidationFailed:
    """The file refused as a whole (422), said in English and in French."""
    return ValidationFailed(
        message,
        detail_fr=french,
        errors=[{"field": field, "message": message, "type": "file", "message_fr": french}],
    )


def normalise(header: str) -> str:
    """``"Date de référence"`` → ``"date_de_reference"``."""
    text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def parse_date(text: str) -> dt.date:
    """``25/09/2023`` or ``2023-09-25`` (ValueError otherwise)."""
    found = FRENCH_DATE.match(text.strip())
    if found:
        day, month, year = (int(g) for g in found.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text.strip())


def read_rows(content: bytes) -> tuple[list[str], Rows]:
    """The header (as written) and each non-empty line as ``(line number, {header: text})``."""
    if not content.strip():
        raise fail("The file is empty.", "Le fichier est vide.")
    table = _xlsx(content) if content.startswith(XLSX_MAGIC) else _csv(content)
    if not table or not any(table[0]):
        raise fail(
            "The file has no header line.",
            "Le fichier n'a pas de ligne d'en-tête : partez du modèle.",
        )
    header = [h.strip() for h in table[0]]
    rows: Rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise fail(
                f"At most {MAX_ROWS} lines per file: split it.",
                f"Au plus {fr_number(MAX_ROWS)} lignes par fichier : découpez-le.",
            )
        line = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            line["__extra__"] = "yes"
        rows.append((number, line))
    return header, rows


def _csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            "The file is not UTF-8 text: export it as 'CSV UTF-8'.",
            "Le fichier n'est pas du texte UTF-8 : enregistrez-le en « CSV UTF-8 » ou en XLSX.",
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise fail(
            f"The file is not readable as CSV: {exc}.",
            "Le fichier n'est lisible ni en CSV ni en XLSX.",
        ) from exc


def _xlsx(content: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise fail(
            "The file is not a readable XLSX workbook.",
            "Le fichier n'est pas un classeur XLSX lisible.",
        ) from exc
    sheet = book.worksheets[0]
    return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def template_csv(headers: Sequence[str], examples: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for example in examples:
        writer.writerow(safe_row(example))
    return ("\ufeff" + out.getvalue()).encode()


def template_xlsx(title: str, headers: Sequence[str], examples: Sequence[Sequence[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    append_row(sheet, list(headers))
    for example in examples:
        append_row(sheet, list(example))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
