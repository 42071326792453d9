"""The columns of each import, how a cell is read, and the downloadable template.

Each column has its API name (``member_code``) and its French header (``Code adhérent``); a file
may use either. Every cell of a row is read, and every fault is kept (a row lists all its
errors, not the first). Empty cells mean "not given".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from kit.i18n import french_field_message, say
from services.registry.budget_calendars.schemas import BudgetCalendarWrite
from services.registry.contacts.schemas import ContactCreate
from services.registry.imports.reading import normalise, parse_date
from services.registry.workstations.schemas import WorkstationCountWrite

ImportKind = Literal["workstations", "budget-calendars", "contacts"]
LIST_SEPARATORS = re.compile(r"[|,;]")
TRUE = {"oui", "o", "true", "vrai", "1", "x", "yes"}
FALSE = {"non", "n", "false", "faux", "0", "no"}
SOURCES = {"declared": "declared", "declare": "declared", "inventory": "inventory",
           "inventaire": "inventory"}  # fmt: skip
ROLES = {
    "it_referent": "it_referent",
    "referent_informatique": "it_referent",
    "finance_officer": "finance_officer",
    "responsable_des_finances": "finance_officer",
    "dpo": "dpo",
    "delegue_a_la_protection_des_donnees": "dpo",
    "executive": "executive",
    "direction_generale": "executive",
}


class CellError(Exception):
    """A cell that cannot be read: its message in English and in French (``say`` picks)."""

    def __init__(self, english: str, french: str, kind: str) -> None:
        super().__init__(english)
        self.message, self.kind = say(english, french), kind


def text(value: str) -> str:
    return value


def integer(value: str) -> int:
    cleaned = value.replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if not re.fullmatch(r"-?\d+", cleaned):
        raise CellError(
            f"'{value}' is not a whole number", f"Nombre entier attendu (« {value} »).", "int"
        )
    return int(cleaned)


def date(value: str) -> str:
    try:
        return parse_date(value).isoformat()
    except ValueError as exc:
        raise CellError(
            f"'{value}' is not a date (25/09/2023 or 2023-09-25)",
            f"Date attendue au format JJ/MM/AAAA (« {value} »).",
            "date",
        ) from exc


def dates(value: str) -> list[str]:
    return [date(part.strip()) for part in LIST_SEPARATORS.split(value) if part.strip()]


def boolean(value: str) -> bool:
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise CellError(
        f"'{value}' is neither oui nor non", f"« oui » ou « non » attendu (« {value} »).", "bool"
    )


def choice(table: dict[str, str], expected_fr: str) -> Callable[[str], str]:
    """A cell read through ``table``; ``expected_fr`` says what is accepted to a French reader."""

    def read(value: str) -> str:
        found = table.get(normalise(value))
        if found is None:
            allowed = ", ".join(sorted(set(table.values())))
            raise CellError(
                f"'{value}' is not one of {allowed}",
                f"Valeur non reconnue (« {value} ») : {expected_fr}.",
                "choice",
            )
        return found

    return read


ROLES_FR = (
    "Référent informatique, Responsable des finances, Délégué à la protection des données ou "
    "Direction générale attendu"
)


def roles(value: str) -> list[str]:
    read = choice(ROLES, ROLES_FR)
    return [read(part.strip()) for part in LIST_SEPARATORS.split(value) if part.strip()]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    read: Callable[[str], Any] = text
    required: bool = False
    example: str = ""


@dataclass(frozen=True)
class Format:
    kind: ImportKind
    title: str  # the template's sheet and file name
    columns: tuple[Column, ...]
    model: type[BaseModel]
    key_columns: tuple[str, ...]  # what identifies a row in the report
    more_examples: tuple[tuple[str, ...], ...] = field(default=())

    def column(self, header: str) -> Column | None:
        wanted = normalise(header)
        return next(
            (c for c in self.columns if wanted in (normalise(c.key), normalise(c.header))), None
        )


MEMBER = Column("member_code", "Code adhérent", required=True, example="ludres")
YEAR = Column("fiscal_year", "Exercice", integer, required=True, example="2026")
FORMATS: dict[str, Format] = {
    "workstations": Format(
        "workstations",
        "postes-de-travail",
        (
            MEMBER,
            YEAR,
            Column("count", "Postes de travail", integer, required=True, example="84"),
            Column("reference_date", "Date du décompte", date, required=True, example="25/09/2025"),
            Column(
                "source",
                "Source",
                choice(SOURCES, "« déclaré » ou « inventaire » attendu"),
                required=True,
                example="déclaré",
            ),
            Column("comment", "Commentaire", example="Décompte du service informatique"),
        ),
        WorkstationCountWrite,
        ("member_code", "fiscal_year"),
    ),
    "budget-calendars": Format(
        "budget-calendars",
        "calendriers-budgetaires",
        (
            MEMBER,
            YEAR,
            Column("bp_voted_on", "Vote du BP", date, example="15/03/2026"),
            Column("bs_voted_on", "Vote du BS", date, example="30/06/2026"),
            Column("dm_dates", "Votes des DM", dates, example="15/10/2026|10/12/2026"),
        ),
        BudgetCalendarWrite,
        ("member_code", "fiscal_year"),
    ),
    "contacts": Format(
        "contacts",
        "interlocuteurs",
        (
            MEMBER,
            Column("first_name", "Prénom", required=True, example="Léa"),
            Column("last_name", "Nom", required=True, example="Martin"),
            Column("email", "Courriel", required=True, example="lea.martin@ludres.example"),
            Column("phone", "Téléphone", example="03 83 00 00 00"),
            Column("roles", "Rôles", roles, example="Référent informatique|dpo"),
            Column("dashboard_access", "Accès aux tableaux de bord", boolean, example="oui"),
        ),
        ContactCreate,
        ("member_code", "email"),
    ),
}


@dataclass
class ParsedRow:
    row: int
    key: str
    values: dict[str, Any]  # by API name, only the cells read without fault
    errors: list[dict[str, str]]
    payload: BaseModel | None = None


def parse_row(fmt: Format, row: int, line: dict[str, str]) -> ParsedRow:
    """Every cell read, the model validated on what was read; all the faults, by column."""
    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []

    def add(column: Column | None, name: str, message: str, kind: str) -> None:
        header = column.header if column else name
        errors.append({"field": name, "column": header, "message": message, "type": kind})

    if "__extra__" in line:
        add(
            None,
            "",
            say(
                "more cells than columns in the header",
                "Plus de cellules que de colonnes dans l'en-tête.",
            ),
            "extra_cells",
        )
    given = {c.key: line.get(h, "") for h in line if (c := fmt.column(h)) is not None}
    for column in fmt.columns:
        cell = given.get(column.key, "")
        if not cell:
            if column.required:
                add(column, column.key, say("required", "Obligatoire."), "missing")
            continue
        try:
            values[column.key] = column.read(cell)
        except CellError as exc:
            add(column, column.key, exc.message, exc.kind)
    key = " / ".join(str(given.get(k, "")) for k in fmt.key_columns)
    parsed = ParsedRow(row=row, key=key, values=values, errors=errors)
    fields = set(fmt.model.model_fields)
    body = {k: v for k, v in values.items() if k in fields}
    try:
        parsed.payload = fmt.model.model_validate(body)
    except ValidationError as exc:
        failed = {e["field"] for e in errors}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            if name not in failed:  # a missing or unreadable cell is reported once
                french = french_field_message(err) or "Valeur invalide."
                add(fmt.column(name), name, say(err["msg"], french), err["type"])
    return parsed
