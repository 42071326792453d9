"""Import of the DSIT's expenses as cost lines, from a financial-software export (CSV or XLSX).

One line per expense: its reference in the financial software (mandate or voucher number), the
component, the fiscal year (or the date, whose year is taken), section, nature, amount (French
decimal comma accepted), mode, and the driver (indirect) or the allocation key (direct,
``nancy:2 | ludres:1``). Lines are keyed by (source, reference): importing the same export again
updates instead of duplicating. Every error of a row is reported, each on its column, in French
(the file, its headers and its labels are French; so is its report).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from kit.audit import record
from kit.i18n import french_field_message
from kit.identity import Principal
from kit.tabular import (
    Table,
    UnreadableFile,
    bad_file,
    csv_bytes,
    parse_date,
    parse_decimal,
    parse_int,
    read_table,
    xlsx_bytes,
)
from services.catalogue import labels
from services.catalogue.bulk import (
    MAX_ITEMS,
    BulkOptions,
    BulkResult,
    ItemError,
    ItemResult,
    finish,
)
from services.catalogue.components import repository as components
from services.catalogue.cost_lines import repository
from services.catalogue.cost_lines.schemas import AllocationWeight, CostLineCreate
from services.catalogue.cost_lines.service import apply_fields, rule_errors, to_read
from services.catalogue.drivers import repository as drivers
from services.catalogue.models import AuditEntry, CostLine

# column → other headers found in exports (compared after header_key: no accents, snake_case)
COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("n_piece", "numero_piece", "n_mandat", "numero_mandat", "mandat", "piece"),
    "composant": ("component", "component_code", "code_composant"),
    "exercice": ("fiscal_year", "annee"),
    "date": ("date_mandat", "date_piece", "date_de_la_depense", "date_depense"),
    "section": (),
    "nature": (),
    "montant": ("amount", "montant_ttc", "montant_ht"),
    "mode": (),
    "inducteur": ("driver", "driver_code"),
    "repartition": ("allocation", "cle_de_repartition"),
    "amortissement": ("depreciation_years", "duree_amortissement"),
    "libelle": ("label", "objet"),
}
REQUIRED = ("reference", "composant", "section", "nature", "montant", "mode")
TEMPLATE = [
    [
        "reference",
        "composant",
        "exercice",
        "date",
        "section",
        "nature",
        "montant",
        "mode",
        "inducteur",
        "repartition",
        "amortissement",
        "libelle",
    ],
    [
        "M-2026-0412",
        "exchange",
        "2026",
        "15/03/2026",
        "fonctionnement",
        "maintenance",
        "12 500,00",
        "indirect",
        "mail_accounts",
        "",
        "",
        "Support Exchange 2026",
    ],
    [
        "M-2026-0413",
        "ciril-finances",
        "2026",
        "02/04/2026",
        "fonctionnement",
        "licences",
        "8 400,50",
        "direct",
        "",
        "nancy:3 | ludres:1",
        "",
        "Licences Ciril",
    ],
]


@dataclass
class ParsedRow:
    line: int
    key: str
    component: str
    data: CostLineCreate | None
    errors: list[ItemError]


class CostLineImport(BulkResult):
    source: str
    ignored_columns: list[str]


def template(file_format: str) -> tuple[bytes, str]:
    if file_format == "xlsx":
        from kit.tabular import XLSX_TYPE

        return xlsx_bytes(TEMPLATE, title="Coûts"), XLSX_TYPE
    return csv_bytes(TEMPLATE), "text/csv; charset=utf-8"


def _canonical(table: Table) -> tuple[dict[str, str], list[str]]:
    """Header key → column, and the columns of the file that are not ours (ignored)."""
    names = {alias: column for column, aliases in COLUMNS.items() for alias in (column, *aliases)}
    mapping = {h: names[h] for h in table.header if h in names}
    return mapping, [h for h in table.header if h and h not in names]


def read_file(content: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The file's rows with our column names, and the ignored columns (422 if unreadable)."""
    try:
        table = read_table(content, max_rows=MAX_ITEMS)
    except UnreadableFile as exc:
        raise bad_file(str(exc)) from exc
    mapping, ignored = _canonical(table)
    present = set(mapping.values())
    missing = [c for c in REQUIRED if c not in present]
    if "exercice" not in present and "date" not in present:
        missing.append("exercice (ou date)")
    if missing:
        raise bad_file(
            "Colonnes manquantes : "
            + ", ".join(missing)
            + ". Partez du modèle (première ligne : les noms des colonnes)."
        )
    rows = [
        (line, {mapping[h]: v for h, v in cells.items() if h in mapping})
        for line, cells in table.rows
    ]
    return rows, ignored


def parse_allocation(text: str) -> list[AllocationWeight]:
    """``"nancy:3 | ludres:1"`` (also ``;`` between members, ``=`` for the weight)."""
    weights: list[AllocationWeight] = []
    for part in [p.strip() for p in text.replace(";", "|").split("|") if p.strip()]:
        member, sep, weight = part.replace("=", ":").partition(":")
        if not sep or not member.strip():
            raise ValueError(f"« {part} » : écrivez adhérent:poids (ex. : nancy:3 | ludres:1).")
        try:
            value = parse_decimal(weight)
        except ValueError as exc:
            raise ValueError(f"Poids de « {member.strip()} » : {exc}") from exc
        if value < 0:
            raise ValueError(f"Le poids de « {member.strip()} » est négatif.")
        weights.append(AllocationWeight(member_code=member.strip().lower(), weight=value))
    return weights


def parse_row(line: int, cells: dict[str, str], *, known_drivers: set[str]) -> ParsedRow:
    """A row as a cost line, or every error of it, each on its column."""
    errors: list[ItemError] = []
    values: dict[str, Any] = {}

    def err(column: str, message: str) -> None:
        errors.append(ItemError(field=column, message=message))

    def read(column: str, parse: Any, target: str) -> None:
        text = cells.get(column, "")
        if not text:
            if column in REQUIRED:
                err(column, "Obligatoire.")
            return
        try:
            values[target] = parse(text)
        except ValueError as exc:
            err(column, str(exc))

    if cells.get("__extra__"):
        err("ligne", "Plus de cellules que de colonnes dans l'en-tête.")
    reference = cells.get("reference", "")
    if not reference:
        err(
            "reference",
            "Obligatoire : la référence de la dépense (n° de mandat ou de pièce) évite les "
            "doublons quand le fichier est importé de nouveau.",
        )
    elif len(reference) > 200:
        err("reference", "200 caractères au plus.")
    component = cells.get("composant", "").strip().lower()
    if not component:
        err("composant", "Obligatoire : le code du composant (voir la liste des composants).")
    values["component_code"] = component
    read("montant", parse_decimal, "amount")
    if "amount" in values:
        amount: Decimal = values["amount"]
        if amount < 0:
            err("montant", "Un montant de dépense est positif (une recette n'est pas un coût).")
        elif amount != amount.quantize(Decimal("0.01")):
            err("montant", "Deux décimales au plus (les centimes).")
    read("date", parse_date, "date")
    read("exercice", parse_int, "fiscal_year")
    if "fiscal_year" not in values and "date" in values:
        values["fiscal_year"] = values["date"].year
    year = values.get("fiscal_year")
    if year is None and not cells.get("exercice") and not cells.get("date"):
        err("exercice", "Obligatoire (ou une date, dont l'année est prise).")
    elif year is not None and not 2000 <= year <= 2100:
        err("exercice", f"L'exercice {year} est hors de 2000 à 2100.")
    for column, table in (("section", labels.SECTIONS), ("nature", labels.NATURES)):
        text = cells.get(column, "")
        code = labels.code_of(table, text) if text else None
        if not text:
            err(column, "Obligatoire : " + labels.choices(table) + ".")
        elif code is None:
            err(column, f"« {text} » inconnu : {labels.choices(table)}.")
        values[column] = code
    mode_text = cells.get("mode", "")
    mode = labels.code_of(labels.MODES, mode_text) if mode_text else None
    if not mode_text:
        err("mode", "Obligatoire : direct (clé de répartition) ou indirect (inducteur).")
    elif mode is None:
        err("mode", f"« {mode_text} » inconnu : direct ou indirect.")
    values["mode"] = mode
    driver = cells.get("inducteur", "").strip() or None
    if driver is not None and driver not in known_drivers:
        err("inducteur", f"Inducteur « {driver} » inconnu (voir la liste des inducteurs).")
    values["driver_code"] = driver
    read("repartition", parse_allocation, "allocation")
    read("amortissement", parse_int, "depreciation_years")
    years = values.get("depreciation_years")
    if years is not None and not 1 <= years <= 50:
        err("amortissement", "Entre 1 et 50 ans.")
    values["label"] = cells.get("libelle", "")
    if len(values["label"]) > 300:
        err("libelle", "300 caractères au plus.")
    if mode is not None:
        section = values.get("section")
        for problem in rule_errors(
            mode=mode,
            section=section or "operating",
            driver_code=driver,
            allocation=values.get("allocation", []),
            depreciation_years=years if section else None,
        ):
            column = RULE_COLUMNS.get(problem["field"], problem["field"])
            err(column, problem["message_fr"])
    values.pop("date", None)
    data = None
    if not errors:
        try:
            data = CostLineCreate.model_validate(values)
        except ValidationError as exc:  # what the checks above did not foresee
            errors.extend(
                ItemError(
                    field=str(e["loc"][0]) if e["loc"] else "",
                    message=french_field_message(e) or "Valeur invalide.",
                )
                for e in exc.errors()
            )
    return ParsedRow(line=line, key=reference, component=component, data=data, errors=errors)


RULE_COLUMNS = {
    "allocation": "repartition",
    "driver_code": "inducteur",
    "depreciation_years": "amortissement",
}


def _same(line: CostLine, data: CostLineCreate) -> list[str]:
    stored = to_read(line).model_dump(include=set(CostLineCreate.model_fields))
    wanted = data.model_dump()
    for values in (stored, wanted):
        values["allocation"] = sorted(values["allocation"], key=lambda a: a["member_code"])
    return [f for f in CostLineCreate.model_fields if stored.get(f) != wanted.get(f)]


def import_cost_lines(
    session: Session,
    *,
    principal: Principal,
    content: bytes,
    source: str,
    options: BulkOptions,
) -> CostLineImport:
    rows, ignored = read_file(content)
    known_drivers = {d.code for d in drivers.list_drivers(session, limit=10_000, after=None)}
    parsed = [parse_row(line, cells, known_drivers=known_drivers) for line, cells in rows]
    codes = {p.component for p in parsed if p.component}
    found = components.get_by_codes(session, codes)
    existing = repository.by_external_ids(session, source, [p.key for p in parsed if p.key])
    results: list[ItemResult] = []
    writes: list[tuple[ParsedRow, CostLine | None]] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(parsed):
        if row.key in seen:
            row.errors.append(
                ItemError(field="reference", message=f"Référence déjà vue ligne {seen[row.key]}.")
            )
        elif row.key:
            seen[row.key] = row.line
        if row.component and row.component not in found:
            row.errors.append(
                ItemError(
                    field="composant",
                    message=f"Composant « {row.component} » inconnu "
                    "(voir la liste des composants).",
                )
            )
        if row.errors or row.data is None:
            results.append(
                ItemResult(
                    index=index, row=row.line, key=row.key, status="rejected", errors=row.errors
                )
            )
            continue
        current = existing.get(row.key)
        changed = _same(current, row.data) if current is not None else []
        status = "created" if current is None else ("updated" if changed else "unchanged")
        results.append(
            ItemResult(
                index=index, row=row.line, key=row.key, status=status, changed_fields=changed
            )
        )
        if status != "unchanged":
            writes.append((row, current))
    result = finish(results, options=options, collection="cost_lines")
    if not options.dry_run:
        for row, current in writes:
            _write(session, principal=principal, row=row, current=current, source=source)
    return CostLineImport(**result.model_dump(), source=source, ignored_columns=ignored)


def _write(
    session: Session,
    *,
    principal: Principal,
    row: ParsedRow,
    current: CostLine | None,
    source: str,
) -> None:
    assert row.data is not None
    line = current or CostLine(source=source, external_id=row.key)
    before = to_read(line) if current is not None else None
    apply_fields(session, line, row.data)
    if current is None:
        session.add(line)
    session.flush()
    session.refresh(line)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="import",
        resource_type="cost_line",
        resource_id=str(line.id),
        before=before,
        after=to_read(line),
    )
