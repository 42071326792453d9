"""The registry's imports as the pages show them: the three kinds, and the per-row report with
every error of a row, said in French by the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web.views.format import number


@dataclass(frozen=True)
class ImportKind:
    slug: str  # in the page's address
    api: str  # in the API's
    title: str
    key_label: str
    help: str


KINDS = {
    k.slug: k
    for k in (
        ImportKind(
            "postes-de-travail",
            "workstations",
            "Postes de travail",
            "Adhérent / exercice",
            "Une ligne par adhérent et exercice. Une ligne identique au décompte en vigueur ne "
            "change rien ; une ligne différente en crée une nouvelle version.",
        ),
        ImportKind(
            "calendriers-budgetaires",
            "budget-calendars",
            "Calendriers budgétaires",
            "Adhérent / exercice",
            "Une ligne par adhérent et exercice ; elle remplace le calendrier de l'exercice. "
            "Plusieurs DM se séparent par « | ».",
        ),
        ImportKind(
            "interlocuteurs",
            "contacts",
            "Interlocuteurs habilités",
            "Adhérent / courriel",
            "Une ligne par personne, reconnue par son courriel : une nouvelle adresse crée "
            "l'interlocuteur, une adresse connue le met à jour. Plusieurs rôles se séparent "
            "par « | ».",
        ),
    )
}
STATUSES = {
    "created": "créée",
    "updated": "modifiée",
    "unchanged": "inchangée",
    "rejected": "rejetée",
}
SUMMARY = {
    "created": "ligne(s) créée(s)",
    "updated": "ligne(s) modifiée(s)",
    "unchanged": "ligne(s) inchangée(s)",
    "rejected": "ligne(s) rejetée(s)",
}


def french(error: dict[str, Any]) -> str:
    """One error of a row: ``Column : what is wrong``, in the API's words (the web asks in
    French, and the registry says each row's errors in the language asked, ``kit.i18n.say``)."""
    text = str(error.get("message", ""))
    column = error.get("column") or ("Ligne" if not error.get("field") else error.get("field"))
    return f"{column} : {text}"


@dataclass(frozen=True)
class ReportRow:
    row: int
    key: str
    status: str
    status_label: str
    errors: list[str]


@dataclass(frozen=True)
class ImportReport:
    dry_run: bool
    summary: list[tuple[str, str]]
    rows: list[ReportRow]

    @classmethod
    def of(cls, body: dict[str, Any]) -> ImportReport:
        rows = [
            ReportRow(
                int(item["row"]),
                item.get("key", ""),
                item["status"],
                STATUSES.get(item["status"], item["status"]),
                [french(e) for e in item.get("errors", [])],
            )
            for item in body.get("items", [])
        ]
        summary = [(number(n), SUMMARY.get(k, k)) for k, n in body.get("summary", {}).items()]
        return cls(bool(body.get("dry_run")), summary, rows)
