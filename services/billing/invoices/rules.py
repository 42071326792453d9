"""The rules that hold a title back at preparation: the debtor's adhesion deliberation, the
Chorus Pro references its structure requires, its BP of the exercice that pays (CGCT
L1612-2), and the forecast made available in time (D5211-16)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from kit.errors import Conflict
from services.billing.invoices import repository
from services.billing.invoices.registry import RegistryFacts
from services.billing.models import Invoice, Run

Notified = Callable[[Run], dt.datetime | None] | None


def adhesion_missing(member: dict[str, Any], basis: dict[str, Any]) -> str | None:
    """Every title names the debtor's own deliberation adhering to the convention: without
    its number and date in the registry, what to record there (None when it is there)."""
    if basis.get("member_deliberation") and basis.get("member_deliberated_on"):
        return None
    convention = basis.get("convention_title")
    where = f"à la convention « {convention} »" if convention else "à une convention"
    what = (
        "la date"
        if basis.get("member_deliberation")
        else "le numéro"
        if basis.get("member_deliberated_on")
        else "le numéro et la date"
    )
    return (
        f"Enregistrez au registre {what} de la délibération par laquelle {member['name']} "
        f"adhère {where} (fiche de l'adhérent, conventions) : chaque titre la cite."
    )


def chorus_references_missing(member: dict[str, Any]) -> str | None:
    """A public debtor whose Chorus Pro structure requires a service code (or a legal
    commitment number) gets its ASAP there only with it (Hélios deposits it from the PES):
    without it in the registry, what to record (None when nothing is missing)."""
    facts = member.get("debtor") or {}
    missing = []
    if facts.get("service_code_required") and not facts.get("service_code"):
        missing.append("le code service")
    if facts.get("commitment_number_required") and not facts.get("commitment_number"):
        missing.append("le numéro d'engagement juridique")
    if not missing:
        return None
    return (
        f"{member['name']} exige sur Chorus Pro {' et '.join(missing)} : enregistrez-le au "
        "registre (fiche de l'adhérent, débiteur) avant d'émettre son titre ; sans lui, l'avis "
        "des sommes à payer serait rejeté par Chorus Pro."
    )


def bp_blocks(invoice: Invoice, facts: RegistryFacts, today: dt.date, exercice: int) -> str | None:
    """Why the BP rule holds the title back, or None when it may be issued: the member pays
    from its budget of the exercice the title is taken on (``facts`` are of that year)."""
    voted = facts.bp_voted_on.get(invoice.member_code)
    if voted is not None and voted <= today:
        return None
    planned = f" (vote prévu le {voted.strftime('%d/%m/%Y')})" if voted else ""
    return (
        f"Le budget primitif {exercice} de {invoice.member_name} n'est pas encore "
        f"voté{planned} : le titre attend ; un utilisateur finances peut forcer l'émission "
        "avec un motif."
    )


def forecast_blocks(
    session: Session, fiscal_year: int, renewal_years: list[int], notified: Notified = None
) -> tuple[str, str] | None:
    """CGCT D5211-16: the final titles of a year follow a forecast of that year made available
    to the members before their BP deadline — notified: ``notified(run)`` says when its mails
    were accepted (``services.billing.notifications``), when members are notified by mail.
    Why issuing needs a reason (in English and in French), or None."""
    from services.billing.forecasts.service import budget_deadline

    deadline = budget_deadline(fiscal_year, renewal_years)
    made = repository.forecasts_made_available(session, fiscal_year)
    notified_at = notified or (lambda run: run.made_available_at)
    if any((at := notified_at(run)) and at.date() <= deadline for run in made):
        return None
    first = made[0].made_available_at.date() if made and made[0].made_available_at else None
    when = (
        f"the first was made available on {first.isoformat()}"
        if first
        else "none was made available"
    )
    when_fr = (
        f"la première l'a été le {first.strftime('%d/%m/%Y')}" if first else "aucune ne l'a été"
    )
    if notified is not None and made:
        when += ", but its mails to the members were not all accepted by then"
        when_fr += ", mais ses courriels aux adhérents n'avaient pas tous été acceptés à cette date"
    return (
        f"No forecast of {fiscal_year} was made available to the members by the BP deadline "
        f"({deadline.isoformat()}, CGCT art. D5211-16): {when}. Give forecast_reason to issue "
        "anyway; it is kept on each title.",
        f"Aucune prévision {fiscal_year} n'a été mise à disposition des adhérents avant la date "
        f"limite du budget primitif ({deadline.strftime('%d/%m/%Y')}, CGCT art. D5211-16) : "
        f"{when_fr}. Donnez un motif d'émission sans prévision pour émettre quand même ; il est "
        "conservé sur chaque titre.",
    )


def ensure_forecast_rule(
    session: Session,
    fiscal_year: int,
    renewal_years: list[int],
    reason: str | None,
    notified: Notified = None,
) -> str | None:
    """The reason to keep on the titles (None when the rule holds); 409 when it is missing."""
    blocked = forecast_blocks(session, fiscal_year, renewal_years, notified)
    if blocked is None:
        return None
    if not reason:
        raise Conflict(blocked[0], detail_fr=blocked[1], slug="forecast-not-in-time")
    return reason
