"""Small helpers to write the French messages of the API's refusals (``detail_fr``,
``message_fr``, ``say``): dates, numbers and names as a French reader expects them. The web has
its own formatting (``web/views/format.py``); services never import the web."""

from __future__ import annotations

import datetime as dt

NARROW_NBSP = "\u202f"
NOT_NULL = "Ce champ ne peut pas être vidé : omettez-le pour garder sa valeur."


def fr_date(value: dt.date | dt.datetime | str | None) -> str:
    """``2023-09-25`` → ``25/09/2023``; a datetime also gives its time (``25/09/2023 14:05``);
    text that is not an ISO date is given back as is."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def fr_number(value: int) -> str:
    """``1234567`` → ``1 234 567`` (narrow no-break spaces)."""
    return f"{value:,}".replace(",", NARROW_NBSP)


def quoted(text: object) -> str:
    """A code or a value as French quotes it: ``« ludres »``."""
    return f"« {text} »"


# the areas and verbs of the permissions (``kit.permissions``: ``<area>:<verb>``)
AREAS = {
    "registry": "le référentiel des adhérents",
    "catalogue": "le catalogue",
    "inventory": "l'inventaire",
    "usage": "les mesures d'usage",
    "billing": "la facturation",
    "invoices": "les titres de recettes",
    "signatories": "les signataires",
    "governance": "la gouvernance",
    "indicators": "les indicateurs",
    "gdpr": "le registre RGPD",
    "accounts": "les comptes",
    "audit": "le journal d'audit",
}
VERBS = {
    "read": "consulter",
    "write": "modifier",
    "issue": "émettre",
    "validate": "valider",
    "admin": "administrer",
}


def permission_fr(permission: str) -> str:
    """``registry:write`` → ``modifier le référentiel des adhérents``."""
    area, _, verb = permission.partition(":")
    if area not in AREAS or verb not in VERBS:
        return quoted(permission)
    return f"{VERBS[verb]} {AREAS[area]}"


# the staff roles and the token scopes (``kit.permissions``), as the web labels them
ROLES = {
    "admin": "Administration",
    "finance": "Finances",
    "project": "Projets",
    "dpo": "Délégué à la protection des données",
    "signatory": "Signataire (délégation de l'ordonnateur)",
}
SCOPES = {
    "read": "Lecture de tout ce qui est lisible",
    "invoices:read": "Lecture des titres de recettes",
    "inventory:write": "Envoi d'inventaires",
    "usage:write": "Envoi de consommations (inducteurs)",
    "indicators:write": "Envoi de mesures d'indicateurs",
}

# the platform's services, as a French reader names them
SERVICES = {
    "registry": "Référentiel des adhérents",
    "catalogue": "Catalogue",
    "billing": "Facturation",
    "invoices": "Titres de recettes",
    "governance": "Gouvernance",
    "gateway": "Passerelle",
}


def service_label(name: str) -> str:
    """``billing`` → ``Facturation`` (the code itself for a service not listed)."""
    return SERVICES.get(name, name)


def right_to(permission: str) -> str:
    """``accounts:admin`` → ``le droit d'administrer les comptes``."""
    action = permission_fr(permission)
    return f"le droit d'{action}" if action[0] in "aeéiou" else f"le droit de {action}"


# governance's team codes (workload plan, capacities) as a French reader names them
TEAMS = {
    "infrastructure": "Infrastructures",
    "infra": "Infrastructures",
    "applications": "Applications",
    "support": "Support et proximité",
    "etudes": "Études",
    "reseau": "Réseaux",
    "securite": "Sécurité",
}


def team_label(code: str) -> str:
    return TEAMS.get(code, code)
