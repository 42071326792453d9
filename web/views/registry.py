"""The registry as French readers see it: labels for codes, view models, and the French checks
and messages of the members' forms (the API stays the judge; these spare it the obvious)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import httpx
from stdnum.fr import siret as siret_number

from web.views.format import date, number, timestamp
from web.views.forms import FormErrors, field_name, problem_errors

KINDS = {
    "metropole": "Métropole",
    "commune": "Commune",
    "ccas": "CCAS",
    "syndicat": "Syndicat",
    "etablissement_public": "Établissement public",
    "association": "Association",
    "other": "Autre",
}
ROLES = {
    "it_referent": "Référent informatique",
    "finance_officer": "Responsable des finances",
    "dpo": "Délégué à la protection des données",
    "executive": "Direction générale",
}
SOURCES = {"declared": "Déclaré par l'adhérent", "inventory": "Inventaire de la DSIT"}
AMENDMENT_KINDS = {"amendment": "Avenant", "extension": "Prorogation"}
DEBTOR_CATEGORIES = {  # PES V2 CatTiers (CommunPES.xsd)
    "01": "Personnes physiques",
    "20": "État et établissements publics nationaux",
    "21": "Régions",
    "22": "Départements",
    "23": "Communes",
    "24": "Groupements de collectivités",
    "25": "Caisses des écoles",
    "26": "CCAS",
    "27": "Établissements publics de santé",
    "28": "École nationale de la santé publique",
    "29": "Autres établissements publics et organismes internationaux",
    "50": "Autres organismes sociaux",
    "60": "Personnes morales de droit privé autres qu'organismes sociaux",
    "61": "Caisses de sécurité sociale, régime général",
    "62": "Caisses de sécurité sociale, régime agricole",
    "63": "Sécurité sociale des travailleurs non salariés",
    "64": "Autres régimes obligatoires de sécurité sociale",
    "65": "Mutuelles et organismes d'assurance",
    "70": "Divers autres tiers payants",
    "71": "CNRACL",
    "72": "IRCANTEC",
    "73": "ASSEDIC",
    "74": "Caisses mutualistes de retraite complémentaire",
}
LEGAL_NATURES = {  # PES V2 NatJur
    "01": "Particuliers",
    "02": "Artisan, commerçant, agriculteur",
    "03": "Société",
    "04": "CAM ou caisse appliquant les mêmes règles",
    "05": "Caisse complémentaire",
    "06": "Association",
    "07": "État ou organisme d'État",
    "08": "Établissement public national",
    "09": "Collectivité territoriale, EPL, EPS",
    "10": "État étranger, ambassade",
    "11": "CAF",
}
CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# what the API's rules answer (type or slug), said in French
RULE_MESSAGES = {
    "host_invoiced": "L'hôte (la Métropole) est compté dans les parts mais jamais facturé.",
    "date_order": "Cette date précède celle dont elle dépend.",
    "range": "Cette date est hors de la période admise pour cet exercice.",
    "unique": "Une date est répétée.",
    "siret-taken": "Ce SIRET est déjà celui d'un autre adhérent.",
    "member-exists": "Un adhérent porte déjà ce code.",
    "host-already-exists": "Il y a déjà un adhérent hôte : il n'y en a qu'un.",
    "contact-email-taken": "Ce courriel est déjà celui d'un autre interlocuteur.",
    "contact-erased": "Cet interlocuteur a été effacé (RGPD) : il ne peut plus être modifié.",
    "convention-exists": "Une convention porte déjà ce code.",
    "adhesion-exists": "Cet adhérent a déjà adhéré à cette convention.",
}
SLUG_FIELDS = {
    "siret-taken": "siret",
    "member-exists": "code",
    "host-already-exists": "is_host",
    "contact-email-taken": "email",
    "convention-exists": "code",
    "adhesion-exists": "member_code",
}


def label_list(codes: list[str], table: dict[str, str]) -> str:
    return ", ".join(table.get(c, c) for c in codes)


def form_date(text: str) -> str:
    """``25/09/2023`` or ``2023-09-25`` → ``2023-09-25``; ValueError otherwise."""
    text = text.strip()
    found = FRENCH_DATE.match(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        return dt.date(year, month, day).isoformat()
    return dt.date.fromisoformat(text).isoformat()


class Checks:
    """French checks of a submitted form, gathered field by field before the API is called."""

    def __init__(self, form: dict[str, Any]) -> None:
        self.form = form
        self.errors = FormErrors()

    def fail(self, name: str, message: str) -> None:
        self.errors.fields.setdefault(name, message)

    def text(self, name: str, *, required: bool = False, max_length: int = 200) -> str | None:
        value = str(self.form.get(name) or "").strip()
        if not value:
            if required:
                self.fail(name, "Ce champ est obligatoire.")
            return None
        if len(value) > max_length:
            self.fail(name, f"{max_length} caractères au plus.")
        return value

    def day(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_length=10)
        if value is None:
            return None
        try:
            return form_date(value)
        except ValueError:
            self.fail(name, "Date attendue au format JJ/MM/AAAA (par exemple 25/09/2023).")
            return None

    def integer(self, name: str, *, minimum: int = 0, maximum: int = 1_000_000) -> int | None:
        value = self.text(name, required=True, max_length=12)
        if value is None:
            return None
        cleaned = re.sub(r"[\s\u202f\u00a0]", "", value)
        if not cleaned.isdigit() or not minimum <= int(cleaned) <= maximum:
            self.fail(name, f"Nombre entier attendu, entre {minimum} et {number(maximum)}.")
            return None
        return int(cleaned)

    def choice(self, name: str, table: dict[str, str], *, required: bool = True) -> str | None:
        value = self.text(name, required=required, max_length=40)
        if value is not None and value not in table:
            self.fail(name, "Choisissez une valeur de la liste.")
            return None
        return value

    def flag(self, name: str) -> bool:
        return bool(self.form.get(name))

    def code(self, name: str = "code") -> str | None:
        value = self.text(name, required=True, max_length=60)
        if value is not None and (len(value) < 2 or not CODE.match(value)):
            self.fail(name, "De 2 à 60 lettres minuscules, chiffres et tirets (ex. : vandoeuvre).")
        return value

    def siret(self, name: str = "siret") -> str | None:
        value = self.text(name, required=True, max_length=20)
        if value is not None and not siret_number.is_valid(value):
            self.fail(name, "SIRET invalide : 14 chiffres dont la clé de contrôle est juste.")
        return re.sub(r"\s", "", value) if value else None

    def after(self, name: str, value: str | None, earlier: str | None, message: str) -> None:
        """``value`` (ISO) may not precede ``earlier``."""
        if value and earlier and value < earlier:
            self.fail(name, message)


def api_errors(
    response: httpx.Response, known: tuple[str, ...], rename: dict[str, str] | None = None
) -> FormErrors:
    """The API's refusal on the form's fields, with its rules said in French."""
    rename = rename or {}
    names = tuple(known) + tuple(rename)
    errors = problem_errors(response, names)
    errors.fields = {rename.get(k, k): v for k, v in errors.fields.items()}
    try:
        body: dict[str, Any] = response.json()
    except ValueError:
        return errors
    for item in body.get("errors") or []:
        name = field_name(str(item.get("field", "")))
        name = rename.get(name, name)
        french = RULE_MESSAGES.get(str(item.get("type")))
        if french and name in known:
            errors.fields[name] = french
    slug = re.split(r"[/:]", str(body.get("type", "")))[-1]
    if slug in RULE_MESSAGES:
        target = SLUG_FIELDS.get(slug)
        if target in known:
            errors.fields[target] = RULE_MESSAGES[slug]
            errors.message = None
        else:
            errors.message = RULE_MESSAGES[slug]
    if errors.fields and not errors.message:
        errors.message = "Certains champs sont à corriger."
    return errors


@dataclass(frozen=True)
class ContactRow:
    id: int
    name: str
    email: str
    phone: str
    roles_label: str
    dashboard_access: bool
    erased: bool

    @classmethod
    def of(cls, item: dict[str, Any]) -> ContactRow:
        return cls(
            item["id"],
            f"{item['first_name']} {item['last_name']}",
            item["email"],
            item.get("phone") or "",
            label_list(item.get("roles", []), ROLES),
            bool(item.get("dashboard_access")),
            bool(item.get("erased")),
        )


@dataclass(frozen=True)
class CountRow:
    fiscal_year: int
    version: int
    count: str
    reference_date: str
    source_label: str
    comment: str
    recorded: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> CountRow:
        return cls(
            item["fiscal_year"],
            item["version"],
            number(item["count"]),
            date(item["reference_date"]),
            SOURCES.get(item["source"], item["source"]),
            item.get("comment", ""),
            f"{timestamp(item.get('recorded_at'))} par {item.get('recorded_by', '')}",
        )


@dataclass(frozen=True)
class AdhesionRow:
    convention_code: str
    member_code: str
    deliberation_ref: str
    deliberated_on: str
    signed_on: str
    left_on: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> AdhesionRow:
        return cls(
            item["convention_code"],
            item["member_code"],
            item.get("deliberation_ref") or "",
            date(item.get("deliberated_on")),
            date(item.get("signed_on")),
            date(item.get("left_on")),
        )
