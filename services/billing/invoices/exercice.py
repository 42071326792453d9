"""Which exercice a title is taken on, whether its claim is prescribed, which budget collects it.

A title has two years: the **service year** (``fiscal_year``, the run's: what it bills) and the
**exercice** (``exercice``, PES ``Exer``: the accounting year it is taken on). Hélios takes
pieces on an open exercice only: the current calendar year, and the past year during its
journée complémentaire (until 31 January by default, ``complementary_period_end``), when the
past year's own services may still be titled on it.

Claims on public debtors are prescribed four years after the first day of the year following
the one in which the rights were acquired (loi n° 68-1250 du 31 décembre 1968, art. 1): the
services of year Y are prescribed from 1 January Y+5, and are then refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kit.errors import Conflict
from services.billing.invoices.settings import IssuerSettings
from services.billing.models import ExerciceBudget

PRESCRIPTION = "loi n° 68-1250 du 31 décembre 1968, art. 1 (prescription quadriennale)"


def complementary_end(settings: IssuerSettings, year: int) -> dt.date:
    """The last day on which the exercice ``year - 1`` is still open (journée complémentaire)."""
    month, day = (int(part) for part in settings.complementary_period_end.split("-"))
    return dt.date(year, month, day)


def prescribed_from(service_year: int) -> dt.date:
    """First day on which the claims of ``service_year`` are prescribed."""
    return dt.date(service_year + 5, 1, 1)


def open_exercice(service_year: int, today: dt.date, settings: IssuerSettings) -> int:
    """The exercice a title for ``service_year`` is taken on when issued ``today``; refused
    when the service year has not begun or its claims are prescribed (409, rule named)."""
    if service_year > today.year:
        raise Conflict(
            f"The services of {service_year} are titled on an exercice not open yet: "
            f"the open exercice is {today.year}.",
            detail_fr=f"Les services de {service_year} se titrent sur un exercice pas encore "
            f"ouvert : l'exercice ouvert est {today.year}.",
            slug="exercice-not-open",
        )
    if today >= prescribed_from(service_year):
        raise Conflict(
            f"The claims of {service_year} are prescribed since "
            f"{prescribed_from(service_year).isoformat()} ({PRESCRIPTION}): no title can be "
            "issued for them.",
            detail_fr=f"Les créances de {service_year} sont prescrites depuis le "
            f"{prescribed_from(service_year).strftime('%d/%m/%Y')} ({PRESCRIPTION}) : aucun "
            "titre ne peut plus être émis pour elles.",
            slug="claims-prescribed",
        )
    if service_year == today.year - 1 and today <= complementary_end(settings, today.year):
        return service_year  # the journée complémentaire of the past exercice
    return today.year


@dataclass(frozen=True)
class Budget:
    exercice: int
    code: str
    name: str
    first_title_number: int = 1
    first_bordereau_number: int = 1


def budget_of(session: Session, exercice: int, settings: IssuerSettings) -> Budget:
    """The budget configured for ``exercice`` (``PUT /exercices/{year}``), else the settings'
    budget with series starting at 1."""
    row = session.get(ExerciceBudget, exercice)
    if row is None:
        return Budget(exercice, settings.budget_code, settings.budget_name)
    return Budget(
        exercice,
        row.budget_code,
        row.budget_name,
        row.first_title_number,
        row.first_bordereau_number,
    )
