"""Schemas of the settlements on the attribution de compensation (money as strings)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kit.i18n import Refusal

Money = str
AMOUNT = r"^\d{1,12}(\.\d{1,2})?$"
Basis = Literal["forecast", "previous_year", "amount"]
BalanceKind = Literal["title", "reimbursement", "none"]


class Deliberation(BaseModel):
    deliberation_ref: str = Field(min_length=1, max_length=200, description="n° 2026-014")
    deliberated_on: dt.date
    deliberating_body: str = Field(
        min_length=3, max_length=200, description="Conseil municipal de Ludres"
    )
    attachment_name: str | None = Field(None, max_length=200)
    attachment_media_type: str | None = Field(None, max_length=100)
    attachment_base64: str | None = Field(
        None,
        max_length=14_000_000,
        description="The deliberation's file (optional), base64; on a change, left out keeps "
        "the file, null removes it",
    )


class SettlementUpdate(Deliberation):
    """The deliberation and the deduction's basis (while the year is not balanced)."""

    model_config = ConfigDict(extra="forbid")

    basis: Basis = Field(
        description="How the deduction is fixed in advance: the operating amount of the "
        "forecast made available for the year, the previous year's final run, or an amount"
    )
    deducted_amount: Money | None = Field(None, pattern=AMOUNT, description="basis `amount`")

    @model_validator(mode="after")
    def _amount(self) -> SettlementUpdate:
        if self.basis == "amount" and self.deducted_amount is None:
            raise Refusal(
                "the basis `amount` needs `deducted_amount`",
                "Indiquez le montant imputé sur l'attribution de compensation.",
            )
        if self.basis != "amount" and self.deducted_amount is not None:
            raise Refusal(
                "`deducted_amount` goes with the basis `amount` only",
                "Un montant ne s'indique qu'avec la base « montant fixé ».",
            )
        return self


class SettlementCreate(SettlementUpdate):
    member_code: str = Field(min_length=2, max_length=80)
    fiscal_year: int = Field(ge=2000, le=2100)


class SettlementRead(BaseModel):
    id: int
    fiscal_year: int
    member_code: str
    member_name: str
    deliberation_ref: str
    deliberated_on: dt.date
    deliberating_body: str
    attachment_name: str | None
    has_attachment: bool
    basis: Basis
    basis_label: str
    basis_run_id: int | None
    deducted: Money
    recorded_by: str
    balance_kind: BalanceKind | None
    balance: Money | None
    balance_invoice_id: int | None
    balanced_at: dt.datetime | None
    balanced_by: str | None
    created_at: dt.datetime


class Statement(BaseModel):
    """The AC statement of a member and year: what is deducted, what the final run says."""

    settlement: SettlementRead
    payer: str = Field(description="The host EPCI that pays the attributions de compensation")
    final_run_id: int | None
    final_amount: Money | None = Field(description="The final run's operating amount")
    investment_titled: Money | None = Field(description="Investment, titled as usual")
    difference: Money | None = Field(description="final − deducted")
    balance_kind: BalanceKind | None = Field(description="What the year-end balancing makes")
    explanation: str = Field(description="The dashboard's sentence, in French")


class BalanceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm: bool = Field(description="true: the balancing title or reimbursement is made")
