"""The CSV form of an inventory load: one component per line, a downloadable template.

Columns: ``external_id,code,name,kind,service_code,member_codes,in_service_on,
end_of_support_on,retired_on,serial,manufacturer,model,location``; ``member_codes`` separated by
``|``; dates ``YYYY-MM-DD``; an empty cell means "not given". The delimiter is ``,`` or ``;``
(as French spreadsheets write it), read from the header line. UTF-8, with or without BOM.
"""

from __future__ import annotations

import csv
import io

from kit.errors import ValidationFailed
from services.catalogue.bulk import MAX_ITEMS
from services.catalogue.inventory.service import RawItem

COLUMNS = (
    "external_id",
    "code",
    "name",
    "kind",
    "service_code",
    "member_codes",
    "in_service_on",
    "end_of_support_on",
    "retired_on",
    "serial",
    "manufacturer",
    "model",
    "location",
)
REQUIRED = ("external_id", "name", "kind")
EXAMPLE = (
    "SRV-0042",
    "",
    "Serveur de messagerie 1",
    "server",
    "messagerie",
    "nancy|laxou",
    "2021-03-01",
    "2027-12-31",
    "",
    "CZ20190042",
    "Dell Inc.",
    "PowerEdge R740",
    "Hôtel de ville > Salle serveurs",
)


def template() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE)
    return out.getvalue()


def _fail(message: str, field: str = "file") -> ValidationFailed:
    return ValidationFailed(message, errors=[{"field": field, "message": message, "type": "csv"}])


def parse(content: bytes) -> list[RawItem]:
    """The file's lines as raw items (``row`` = line number, the header being line 1)."""
    try:
        return _parse(content)
    except csv.Error as exc:  # e.g. a bare carriage return inside a field
        raise _fail(f"The file is not readable as CSV: {exc}.") from exc


def _parse(content: bytes) -> list[RawItem]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail("The file is not UTF-8 text: export it as 'CSV UTF-8'.") from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [h for h in REQUIRED if h not in header]
    if not header or unknown or missing:
        raise _fail(
            f"Header columns must be among {', '.join(COLUMNS)}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (f"; missing: {', '.join(missing)}" if missing else ""),
            field="header",
        )
    reader.fieldnames = header
    items: list[RawItem] = []
    for index, line in enumerate(reader):
        if index >= MAX_ITEMS:
            raise _fail(f"At most {MAX_ITEMS} lines per file: split it.")
        raw: dict[str, object] = {}
        for column, value in line.items():
            if column is None:
                raw["__extra__"] = value  # more cells than columns: rejected by validation
                continue
            value = (value or "").strip()
            if not value:
                continue
            raw[column] = (
                [m.strip() for m in value.split("|") if m.strip()]
                if (column == "member_codes")
                else value
            )
        items.append(RawItem(index=index, raw=raw, row=reader.line_num))
    return items
