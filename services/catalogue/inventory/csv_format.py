"""The CSV form of an inventory load: one component per line, a downloadable template.

Columns (``COLUMNS``), each named by its key or its French header (``HEADERS``, without regard
to accents or case): ``external_id`` (Identifiant), ``code``, ``name`` (Nom), ``kind`` (Type:
the code or its French label, "Serveur"), ``service_code`` (Service), ``member_codes``
(Adhérents, separated by ``|``), ``in_service_on`` (Mise en service), ``end_of_support_on``
(Fin de support), ``retired_on`` (Retrait) — dates ``25/09/2023`` or ISO —, ``serial``,
``manufacturer``, ``model``, ``location``. An empty cell means "not given". The delimiter is
``,`` or ``;`` (as French spreadsheets write it), read from the header line. UTF-8, with or
without BOM. The template is the French form: French headers, ``;``, French labels and dates.
"""

from __future__ import annotations

import csv
import io

from kit.errors import ValidationFailed
from kit.tabular import csv_bytes, header_key, parse_date
from services.catalogue.bulk import MAX_ITEMS
from services.catalogue.inventory.service import RawItem
from services.catalogue.labels import COMPONENT_KINDS, code_of

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
HEADERS = {
    "external_id": "Identifiant",
    "code": "Code",
    "name": "Nom",
    "kind": "Type",
    "service_code": "Service",
    "member_codes": "Adhérents",
    "in_service_on": "Mise en service",
    "end_of_support_on": "Fin de support",
    "retired_on": "Retrait",
    "serial": "Numéro de série",
    "manufacturer": "Fabricant",
    "model": "Modèle",
    "location": "Emplacement",
}
DATES = ("in_service_on", "end_of_support_on", "retired_on")
REQUIRED = ("external_id", "name", "kind")
NAMES = {header_key(n): key for key in COLUMNS for n in (key, HEADERS[key])}
EXAMPLE = (
    "SRV-0042",
    "",
    "Serveur de messagerie 1",
    "Serveur",
    "messagerie",
    "nancy|laxou",
    "01/03/2021",
    "31/12/2027",
    "",
    "CZ20190042",
    "Dell Inc.",
    "PowerEdge R740",
    "Hôtel de ville > Salle serveurs",
)


def template() -> bytes:
    """The French template: its headers and one example line."""
    return csv_bytes([[HEADERS[c] for c in COLUMNS], list(EXAMPLE)])


def _fail(english: str, french: str, field: str = "file") -> ValidationFailed:
    return ValidationFailed(
        english,
        detail_fr=french,
        errors=[{"field": field, "message": english, "message_fr": french, "type": "csv"}],
    )


def parse(content: bytes) -> list[RawItem]:
    """The file's lines as raw items (``row`` = line number, the header being line 1)."""
    try:
        return _parse(content)
    except csv.Error as exc:  # e.g. a bare carriage return inside a field
        raise _fail(
            f"The file is not readable as CSV: {exc}.",
            f"Le fichier n'est pas un CSV lisible : {exc}.",
        ) from exc


def _cell(column: str, value: str) -> object:
    """A cell as the load reads it: member codes as a list, French labels and dates as codes
    and ISO dates (what cannot be read is left as written, for validation to name it)."""
    if column == "member_codes":
        return [m.strip() for m in value.split("|") if m.strip()]
    if column == "kind":
        return code_of(COMPONENT_KINDS, value) or value
    if column in DATES:
        try:
            return parse_date(value).isoformat()
        except ValueError:
            return value
    return value


def _parse(content: bytes) -> list[RawItem]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
            "The file is not UTF-8 text: export it as 'CSV UTF-8'.",
            "Le fichier n'est pas un texte UTF-8 : enregistrez-le en « CSV UTF-8 ».",
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    written = [h.strip() for h in (reader.fieldnames or [])]
    header = [NAMES.get(header_key(h), h) for h in written]
    unknown = [w for w, h in zip(written, header, strict=True) if h not in COLUMNS]
    missing = [h for h in REQUIRED if h not in header]
    if not header or unknown or missing:
        raise _fail(
            f"Header columns must be among {', '.join(COLUMNS)}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (f"; missing: {', '.join(missing)}" if missing else ""),
            "Les colonnes de l'en-tête sont : "
            + ", ".join(HEADERS[c] for c in COLUMNS)
            + (f" ; inconnues : {', '.join(unknown)}" if unknown else "")
            + (f" ; manquantes : {', '.join(HEADERS[m] for m in missing)}" if missing else "")
            + ". Partez du modèle.",
            field="header",
        )
    reader.fieldnames = header
    items: list[RawItem] = []
    for index, line in enumerate(reader):
        if index >= MAX_ITEMS:
            raise _fail(
                f"At most {MAX_ITEMS} lines per file: split it.",
                f"Au plus {MAX_ITEMS} lignes par fichier : découpez-le.",
            )
        raw: dict[str, object] = {}
        for column, value in line.items():
            if column is None:
                raw["__extra__"] = value  # more cells than columns: rejected by validation
                continue
            value = (value or "").strip()
            if not value:
                continue
            raw[column] = _cell(column, value)
        items.append(RawItem(index=index, raw=raw, row=reader.line_num))
    return items
