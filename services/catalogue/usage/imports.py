"""Import of usage per driver and year from a table (CSV or XLSX): one measurement per line.

Columns ``exercice``, ``inducteur``, ``adherent``, ``quantite`` (decimal comma accepted) and an
optional ``date`` of the reading (``31/12/2026``). Each (year, driver) of the file is added and
updated like ``POST /usage/{year}/{driver_code}``: members absent from the file keep their
measurement. Every error of a row is reported on its column, in French.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kit.identity import Principal
from kit.tabular import (
    XLSX_TYPE,
    UnreadableFile,
    bad_file,
    csv_bytes,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
    xlsx_bytes,
)
from services.catalogue.bulk import (
    MAX_ITEMS,
    BulkOptions,
    BulkResult,
    ItemError,
    ItemResult,
    finish,
)
from services.catalogue.drivers import repository as drivers
from services.catalogue.usage.schemas import MeasurementsLoad
from services.catalogue.usage.service import ingest_usage

COLUMNS: dict[str, tuple[str, ...]] = {
    "exercice": ("fiscal_year", "annee"),
    "inducteur": ("driver", "driver_code"),
    "adherent": ("member", "member_code", "code_adherent"),
    "quantite": ("quantity", "valeur", "mesure"),
    "date": ("date_releve", "date_de_releve", "reference_date"),
}
REQUIRED = ("exercice", "inducteur", "adherent", "quantite")
CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
TEMPLATE = [
    ["exercice", "inducteur", "adherent", "quantite", "date"],
    ["2026", "storage_gb", "nancy", "1 250,5", "31/12/2025"],
    ["2026", "storage_gb", "ludres", "310", "31/12/2025"],
    ["2026", "mail_accounts", "nancy", "1 840", ""],
]


def template(file_format: str) -> tuple[bytes, str]:
    if file_format == "xlsx":
        return xlsx_bytes(TEMPLATE, title="Usages"), XLSX_TYPE
    return csv_bytes(TEMPLATE), "text/csv; charset=utf-8"


def read_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        table = read_table(content, max_rows=MAX_ITEMS)
    except UnreadableFile as exc:
        raise bad_file(str(exc)) from exc
    names = {alias: column for column, aliases in COLUMNS.items() for alias in (column, *aliases)}
    mapping = {h: names[h] for h in table.header if h in names}
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        raise bad_file(
            "Colonnes manquantes : " + ", ".join(missing) + ". Partez du modèle (première ligne : "
            "exercice, inducteur, adherent, quantite, date)."
        )
    return [
        (line, {mapping[h]: v for h, v in cells.items() if h in mapping} | extra(cells))
        for line, cells in table.rows
    ]


def extra(cells: dict[str, str]) -> dict[str, str]:
    return {"__extra__": cells["__extra__"]} if "__extra__" in cells else {}


def parse_row(cells: dict[str, str], *, known: set[str]) -> tuple[dict[str, Any], list[ItemError]]:
    """A row's values, and every error of it on its column."""
    errors: list[ItemError] = []
    values: dict[str, Any] = {}

    def err(column: str, message: str) -> None:
        errors.append(ItemError(field=column, message=message))

    if cells.get("__extra__"):
        err("ligne", "Plus de cellules que de colonnes dans l'en-tête.")
    for column in REQUIRED:
        if not cells.get(column):
            err(column, "Obligatoire.")
    if cells.get("exercice"):
        try:
            values["year"] = parse_int(cells["exercice"])
            if not 2000 <= values["year"] <= 2100:
                err("exercice", f"L'exercice {values['year']} est hors de 2000 à 2100.")
        except ValueError as exc:
            err("exercice", str(exc))
    driver = cells.get("inducteur", "").strip()
    if driver and driver not in known:
        err("inducteur", f"Inducteur « {driver} » inconnu (voir la liste des inducteurs).")
    values["driver"] = driver
    member = cells.get("adherent", "").strip().lower()
    if member and not CODE.match(member):
        err("adherent", f"« {member} » n'est pas un code d'adhérent (ex. : nancy, ludres).")
    values["member"] = member
    if cells.get("quantite"):
        try:
            quantity: Decimal = parse_decimal(cells["quantite"])
            if quantity < 0:
                err("quantite", "Une quantité est positive ou nulle.")
            elif quantity != quantity.quantize(Decimal("0.000001")):
                err("quantite", "Six décimales au plus.")
            values["quantity"] = quantity
        except ValueError as exc:
            err("quantite", str(exc))
    if cells.get("date"):
        try:
            values["date"] = parse_date(cells["date"])
        except ValueError as exc:
            err("date", str(exc))
    return values, errors


def import_usage(
    session: Session,
    *,
    principal: Principal,
    content: bytes,
    source: str,
    options: BulkOptions,
) -> BulkResult:
    rows = read_rows(content)
    known = {d.code: d for d in drivers.list_drivers(session, limit=10_000, after=None)}
    results: list[ItemResult] = []
    groups: dict[tuple[int, str], list[tuple[int, int, dict[str, Any]]]] = defaultdict(list)
    seen: dict[tuple[int, str, str], int] = {}
    for index, (line, cells) in enumerate(rows):
        values, errors = parse_row(cells, known=set(known))
        key = f"{cells.get('exercice', '')} {values['driver']} {values['member']}".strip()
        triple = (values.get("year", 0), values["driver"], values["member"])
        if triple in seen and not errors:
            errors.append(ItemError(field="adherent", message=f"Déjà mesuré ligne {seen[triple]}."))
        seen.setdefault(triple, line)
        if errors:
            results.append(
                ItemResult(index=index, row=line, key=key, status="rejected", errors=errors)
            )
            continue
        groups[values["year"], values["driver"]].append((index, line, values))
    rejected = any(r.status == "rejected" for r in results)
    write = not options.dry_run and not (rejected and options.all_or_nothing)
    for (year, driver_code), items in sorted(groups.items()):
        load = MeasurementsLoad(
            measurements=[
                {
                    "member_code": v["member"],
                    "quantity": str(v["quantity"]),
                    **({"reference_date": v["date"].isoformat()} if "date" in v else {}),
                }
                for _, _, v in items
            ],
            source=source,
            dry_run=not write,
        )
        answer = ingest_usage(
            session,
            principal=principal,
            year=year,
            driver=known[driver_code],
            load=load,
            replace=False,
        )
        for item, (index, line, _) in zip(answer.items, items, strict=True):
            results.append(
                item.model_copy(
                    update={"index": index, "row": line, "key": f"{year} {driver_code} {item.key}"}
                )
            )
    # the groups counted their measurements already: the summary here must not count them twice
    summary = finish(
        results,
        options=BulkOptions(dry_run=True, all_or_nothing=options.all_or_nothing),
        collection="usage",
    )
    return summary.model_copy(update={"dry_run": options.dry_run})
