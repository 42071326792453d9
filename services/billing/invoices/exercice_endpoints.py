"""The budget of each exercice that collects Mutualis' titles, and where its series start."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from kit import audit
from kit.db import DbSession
from kit.errors import Conflict
from kit.params import FiscalYearPath as Year
from services.billing.invoices import numbering, repository
from services.billing.invoices.deps import InvoiceReader, Issuer, IssuerConfig, Today
from services.billing.invoices.exercice import Budget, budget_of, open_exercice
from services.billing.models import AuditEntry, ExerciceBudget

router = APIRouter(tags=["invoices"])


class ExerciceBudgetWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    budget_code: str = Field(
        min_length=1, max_length=10, pattern=r"^[0-9A-Z]+$", examples=["01"],
        description="PES CodBud: the budget principal or a budget annexe",
    )  # fmt: skip
    budget_name: str = Field(min_length=2, max_length=200)
    first_title_number: int = Field(
        1, ge=1, le=99_999_999,
        description="First number of the titles of this exercice: the range agreed with the "
        "comptable, above every number the financial software gives on this budget",
    )  # fmt: skip
    first_bordereau_number: int = Field(1, ge=1, le=99_999_999)


class ExerciceBudgetRead(ExerciceBudgetWrite):
    exercice: int
    source: str = Field(description="configured, or the settings' default budget")
    next_title_number: int
    titles_issued: int


def _read(session: DbSession, budget: Budget, source: str) -> ExerciceBudgetRead:
    last = repository.counter_value(session, numbering.title_series(budget))
    return ExerciceBudgetRead(
        exercice=budget.exercice,
        budget_code=budget.code,
        budget_name=budget.name,
        first_title_number=budget.first_title_number,
        first_bordereau_number=budget.first_bordereau_number,
        source=source,
        next_title_number=budget.first_title_number + last,
        titles_issued=last,
    )


class OpenExerciceRead(BaseModel):
    service_year: int
    exercice: int = Field(description="The exercice a title of these services is taken on today")


@router.get("/exercices/open", response_model=OpenExerciceRead)
def read_open_exercice(
    _: InvoiceReader,
    settings: IssuerConfig,
    today: Today,
    service_year: Annotated[int, Query(ge=2000, le=2100)],
) -> OpenExerciceRead:
    """The exercice the titles of ``service_year`` would be taken on if issued today (so the
    BP that pays them); 409 ``exercice-not-open`` or ``claims-prescribed`` as issuing."""
    return OpenExerciceRead(
        service_year=service_year, exercice=open_exercice(service_year, today, settings)
    )


@router.get("/exercices/{year}", response_model=ExerciceBudgetRead)
def read_exercice(
    session: DbSession, _: InvoiceReader, settings: IssuerConfig, year: Year
) -> ExerciceBudgetRead:
    """The budget collecting the titles of an exercice and the state of its series."""
    configured = session.get(ExerciceBudget, year) is not None
    source = "configured" if configured else "settings"
    return _read(session, budget_of(session, year, settings), source)


@router.put("/exercices/{year}", response_model=ExerciceBudgetRead)
def set_exercice(
    session: DbSession,
    principal: Issuer,
    settings: IssuerConfig,
    year: Year,
    body: ExerciceBudgetWrite,
) -> ExerciceBudgetRead:
    """Set the budget of an exercice and the first numbers agreed with the comptable. Once a
    title or bordereau is numbered on the exercice, its budget and first numbers are fixed
    (409): a series never changes under the numbers it gave."""
    current = budget_of(session, year, settings)
    used = [
        series
        for series in (numbering.title_series(current), *(
            numbering.bordereau_series(current, t) for t in ("01", "02")))
        if repository.counter_value(session, series) > 0
    ]  # fmt: skip
    row = session.get(ExerciceBudget, year)
    before = None if row is None else {"budget_code": row.budget_code,
                                       "first_title_number": row.first_title_number}  # fmt: skip
    unchanged = (current.code, current.first_title_number, current.first_bordereau_number) == (
        body.budget_code,
        body.first_title_number,
        body.first_bordereau_number,
    )
    if used and not unchanged:
        raise Conflict(
            f"Titles or bordereaux are already numbered on exercice {year} (budget "
            f"{current.code}): its budget and first numbers can no longer change.",
            detail_fr=f"Des titres ou des bordereaux sont déjà numérotés sur l'exercice {year} "
            f"(budget {current.code}) : son budget et ses premiers numéros ne changent plus.",
            slug="exercice-numbering-started",
        )
    if row is None:
        row = ExerciceBudget(exercice=year)
        session.add(row)
    row.budget_code, row.budget_name = body.budget_code, body.budget_name
    row.first_title_number = body.first_title_number
    row.first_bordereau_number = body.first_bordereau_number
    session.flush()
    audit.record(session, AuditEntry, principal=principal, action="update",
                 resource_type="exercice_budget", resource_id=str(year),
                 before=before, after=body.model_dump())  # fmt: skip
    return _read(session, budget_of(session, year, settings), "configured")
