"""Budget imputations of titles, per fiscal year, kind of debtor and kind of line."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from kit import audit
from kit.db import DbSession
from kit.params import FiscalYearPath as FiscalYear
from services.billing.invoices import repository
from services.billing.invoices.deps import InvoiceReader, Issuer
from services.billing.invoices.imputations import LINE_KINDS, Account, resolve_with_source
from services.billing.invoices.schemas import ImputationRead, ImputationWrite
from services.billing.models import AuditEntry, Imputation

router = APIRouter(tags=["invoices"])
DebtorKind = Literal[
    "default", "metropole", "commune", "ccas", "syndicat", "etablissement_public",
    "association", "other",
]  # fmt: skip
LineKind = Literal["payroll", "operating", "investment"]


@router.get("/imputations/{year}", response_model=list[ImputationRead])
def list_imputations(
    session: DbSession, _: InvoiceReader, year: FiscalYear
) -> list[ImputationRead]:
    """The accounts used for each kind of debtor: configured, else the defaults."""
    configured = {
        (i.debtor_kind, i.line_kind): Account(i.nature, i.function, i.chapter)
        for i in repository.imputations(session, year)
    }
    out = []
    for kind in sorted({"commune", "default", *(k for k, _ in configured)}):
        accounts = resolve_with_source(kind, configured)
        for line_kind in LINE_KINDS:
            account, source = accounts[line_kind]
            out.append(
                ImputationRead(
                    fiscal_year=year,
                    debtor_kind=kind,
                    line_kind=line_kind,
                    source=source,
                    **account.as_dict(),
                )  # fmt: skip
            )
    return out


@router.put("/imputations/{year}/{debtor_kind}/{line_kind}", response_model=ImputationRead)
def set_imputation(
    session: DbSession,
    principal: Issuer,
    year: FiscalYear,
    debtor_kind: DebtorKind,
    line_kind: LineKind,
    body: ImputationWrite,
) -> ImputationRead:
    """Set the account of a kind of line for a kind of debtor (``default``: every kind without
    its own) in a fiscal year. Titles already issued keep the account they were issued with."""
    row = repository.imputation(session, year, debtor_kind, line_kind)
    before = None if row is None else {"nature": row.nature, "function": row.function}
    if row is None:
        row = Imputation(fiscal_year=year, debtor_kind=debtor_kind, line_kind=line_kind)
        session.add(row)
    row.nature, row.function, row.chapter = body.nature, body.function, body.chapter
    session.flush()
    audit.record(session, AuditEntry, principal=principal, action="update",
                 resource_type="imputation", resource_id=f"{year}:{debtor_kind}:{line_kind}",
                 before=before, after=body.model_dump())  # fmt: skip
    return ImputationRead(fiscal_year=year, debtor_kind=debtor_kind, line_kind=line_kind,
                          source="configured", **body.model_dump())  # fmt: skip
