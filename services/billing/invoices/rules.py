"""The rules that hold a title back at preparation: the debtor's adhesion deliberation, its BP
of the exercice that pays (CGCT L1612-2), and the forecast made available in time (D5211-16)."""

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
) -> str | None:
    """CGCT D5211-16: the final titles of a year follow a forecast of that year made available
    to the members before their BP deadline — notified: ``notified(run)`` says when its mails
    were accepted (``services.billing.notifications``), when members are notified by mail.
    Why issuing needs a reason, or None."""
    from services.billing.forecasts.service import budget_deadline

    deadline = budget_deadline(fiscal_year, renewal_years)
    made = repository.forecasts_made_available(session, fiscal_year)
    notified_at = notified or (lambda run: run.made_available_at)
    if any((at := notified_at(run)) and at.date() <= deadline for run in made):
        return None
    when = (
        f"the first was made available on {made[0].made_available_at.date().isoformat()}"
        if made and made[0].made_available_at
        else "none was made available"
    )
    if notified is not None and made:
        when += ", but its mails to the members were not all accepted by then"
    return (
        f"No forecast of {fiscal_year} was made available to the members by the BP deadline "
        f"({deadline.isoformat()}, CGCT art. D5211-16): {when}. Give forecast_reason to issue "
        "anyway; it is kept on each title."
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
        raise Conflict(blocked, slug="forecast-not-in-time")
    return reason
