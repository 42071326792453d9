"""The registry's imports as the pages show them: the three kinds, and the per-row report with
every error of a row said in French (keyed by the API's stable error type)."""

from __future__ import annotations

import re
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
MESSAGES = {
    "missing": "obligatoire",
    "int": "nombre entier attendu{value}",
    "date": "date attendue au format JJ/MM/AAAA{value}",
    "bool": "« oui » ou « non » attendu{value}",
    "unknown_member": "adhérent inconnu{value}",
    "extra_cells": "plus de cellules que de colonnes dans l'en-tête",
    "range": "date hors de la période admise pour cet exercice",
    "date_order": "vote antérieur à celui du BP",
    "unique": "une date est répétée",
    "email_taken": "ce courriel est celui d'un interlocuteur d'un autre adhérent",
    "contact-email-taken": "ce courriel est celui d'un autre interlocuteur",
    "contact-erased": "interlocuteur effacé (RGPD) : il ne peut plus être modifié",
    "string_pattern_mismatch": "format invalide",
    "greater_than_equal": "doit être positif ou nul",
    "less_than_equal": "valeur trop grande",
    "string_too_long": "texte trop long",
    "too_long": "trop de valeurs",
}
CHOICES = {
    "source": "« déclaré » ou « inventaire » attendu{value}",
    "roles": "rôle inconnu{value} : Référent informatique, Responsable des finances, "
    "Délégué à la protection des données ou Direction générale",
}
QUOTED = re.compile(r"'([^']*)'")
LINE = re.compile(r"line (\d+)")


def french(error: dict[str, Any]) -> str:
    """One error of a row in French: ``Column : what is wrong``."""
    kind = str(error.get("type", ""))
    quoted = QUOTED.search(str(error.get("message", "")))
    value = f" (« {quoted.group(1)} »)" if quoted else ""
    if kind == "duplicate":
        line = LINE.search(str(error.get("message", "")))
        text = "ligne en double" + (f" de la ligne {line.group(1)}" if line else "")
    elif kind == "choice":
        template = CHOICES.get(str(error.get("field")), "valeur non reconnue{value}")
        text = template.format(value=value)
    elif kind in MESSAGES:
        text = MESSAGES[kind].format(value=value)
    else:
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


FILE_MESSAGES = {
    "header": "En-tête du fichier non reconnu : partez du modèle. ",
}


def file_error(body: dict[str, Any]) -> str:
    """A refused file (not readable, wrong header) in French, with the API's detail."""
    errors = body.get("errors") or [{}]
    field = str(errors[0].get("field", ""))
    detail = str(body.get("detail", ""))
    if field == "header":
        found = re.search(r"unknown: ([^;]+)", detail)
        missing = re.search(r"missing: (.+)$", detail)
        text = "En-tête du fichier non reconnu : partez du modèle."
        if found:
            text += f" Colonnes inconnues : {found.group(1)}."
        if missing:
            text += f" Colonnes manquantes : {missing.group(1)}."
        return text
    if "UTF-8" in detail:
        return "Le fichier n'est pas du texte UTF-8 : enregistrez-le en « CSV UTF-8 » ou en XLSX."
    if "empty" in detail or "no header" in detail:
        return "Le fichier est vide."
    if "At most" in detail:
        return "Au plus 10 000 lignes par fichier : découpez-le."
    return "Le fichier n'est lisible ni en CSV ni en XLSX."
