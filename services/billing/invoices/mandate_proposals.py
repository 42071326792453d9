"""Proposals of mandate: what the expense software needs to cancel, on the open exercice, a title
of a closed exercice (CGCT, M57: the cancellation of a prior-year title is a mandate — account
673 on the operating side, the original article on the investment side).

Mutualis does not number mandates: a correction of a title whose exercice is closed is a
*proposal* (``kind=mandate``, reference ``<exercice>-<budget>-PM0001``), exported here for the
expense software with the payee, the account, the justification and the amount; the mandate's
number is the expense software's.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Response

from kit.db import DbSession
from kit.openapi import file_responses
from kit.params import FiscalYearPath as Exercice
from kit.spreadsheet import safe_row
from services.billing.engine.money import fmt
from services.billing.invoices import repository
from services.billing.invoices.deps import Issuer
from services.billing.models import Invoice

router = APIRouter(tags=["invoices"])
COLUMNS = [
    "proposition", "exercice", "budget", "beneficiaire", "siret", "nature", "fonction",
    "montant", "titre_d_origine", "exercice_d_origine", "annee_des_services", "justification",
]  # fmt: skip


def _row(mandate: Invoice) -> dict[str, Any]:
    debtor = mandate.content["debtor"]
    original = mandate.content.get("original") or {}
    (account,) = mandate.content["imputation"][:1] or [{}]
    return {
        "proposal": mandate.reference,
        "exercice": mandate.exercice,
        "budget_code": mandate.budget_code,
        "payee": {
            "name": debtor.get("name"),
            "siret": debtor.get("siret"),
            "address": debtor.get("address"),
        },  # fmt: skip
        "nature": account.get("nature"),
        "function": account.get("function"),
        "amount": fmt(-mandate.total_cents),
        "original": {
            "id": mandate.original_id,
            "reference": original.get("reference"),
            "exercice": original.get("exercice"),
            "fiscal_year": original.get("fiscal_year"),
        },
        "justification": mandate.reason,
    }


@router.get(
    "/mandate-proposals/{year}.csv",
    response_class=Response,
    responses=file_responses("text/csv", "The proposals of mandate of an exercice, CSV"),
)
def export_proposals(session: DbSession, _principal: Issuer, year: Exercice) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for mandate in repository.mandate_proposals(session, year):
        row = _row(mandate)
        writer.writerow(safe_row([
            row["proposal"], row["exercice"], row["budget_code"], row["payee"]["name"],
            row["payee"]["siret"], row["nature"], row["function"], row["amount"].replace(".", ","),
            row["original"]["reference"], row["original"]["exercice"],
            row["original"]["fiscal_year"], row["justification"],
        ]))  # fmt: skip
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="propositions-mandats-{year}.csv"'},
    )


@router.get("/mandate-proposals/{year}", response_model=list[dict[str, Any]])
def list_proposals(session: DbSession, _principal: Issuer, year: Exercice) -> list[dict[str, Any]]:
    """The proposals of mandate of an exercice, for the expense software."""
    return [_row(m) for m in repository.mandate_proposals(session, year)]
