"""Schemas of revenue titles, issuing, corrections, bordereaux and the change feed."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from kit.i18n import Refusal

Section = Literal["operating", "investment"]
Status = Literal["ready", "prepared", "rejected", "liquidated", "issued", "cancelled"]
State = Literal[
    "ready", "prepared", "validated", "signed", "sent", "accepted", "rejected", "partly_paid",
    "paid", "cancelled",
]  # fmt: skip
BordereauState = Literal["validated", "signed", "sent", "accepted", "rejected"]
Kind = Literal["title", "reduction", "cancellation", "complementary", "mandate"]
Money = str


class IssueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    members: list[str] | None = Field(None, max_length=1000, description="Default: every member")
    sections: list[Section] | None = None
    force: bool = Field(False, description="Issue before the member's BP is voted")
    force_reason: str | None = Field(None, min_length=10, max_length=2000, validate_default=True)
    forecast_reason: str | None = Field(
        None,
        min_length=10,
        max_length=2000,
        description="Required when no forecast of the year was made available to the members "
        "by their BP deadline (CGCT D5211-16); kept on each title",
    )

    @field_validator("force_reason")
    @classmethod
    def _reason_with_force(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Named on ``force_reason`` itself, so that forms show the message beside it."""
        if info.data.get("force") and not value:
            raise Refusal(
                "force_reason is required to force issuing before the BP vote",
                "Donnez le motif pour forcer l'émission avant le vote du budget primitif.",
            )
        return value


class IssueOne(BaseModel):
    model_config = ConfigDict(extra="forbid")

    force: bool = False
    force_reason: str | None = Field(None, min_length=10, max_length=2000, validate_default=True)
    forecast_reason: str | None = Field(
        None,
        min_length=10,
        max_length=2000,
        description="Required when no forecast of the year was made available to the members "
        "by their BP deadline (CGCT D5211-16); kept on each title",
    )

    @field_validator("force_reason")
    @classmethod
    def _reason_with_force(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Named on ``force_reason`` itself, so that forms show the message beside it."""
        if info.data.get("force") and not value:
            raise Refusal(
                "force_reason is required to force issuing before the BP vote",
                "Donnez le motif pour forcer l'émission avant le vote du budget primitif.",
            )
        return value


LineKind = Literal["payroll", "operating", "investment"]


class CorrectionLine(BaseModel):
    """One accounting line of the original the correction is about, and by how much."""

    model_config = ConfigDict(extra="forbid")

    line_kind: LineKind
    amount: Money = Field(pattern=r"^\d{1,12}(\.\d{1,2})?$")


class CorrectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["reduction", "cancellation", "complementary"]
    amount: Money | None = Field(
        None,
        pattern=r"^\d{1,12}(\.\d{1,2})?$",
        description="Reduction, complementary: the total (or give `lines`)",
    )
    lines: list[CorrectionLine] | None = Field(
        None,
        max_length=3,
        description="The line(s) in error and the amount of each: required when the "
        "original has several accounting lines (a cancellation takes every line)",
    )
    reason: str = Field(min_length=10, max_length=2000, description="The material error")

    @model_validator(mode="after")
    def _amount(self) -> CorrectionCreate:
        if self.kind == "cancellation" and (self.amount is not None or self.lines):
            raise Refusal(
                "a cancellation cancels the whole balance: no amount",
                "Une annulation porte sur tout le solde : pas de montant.",
            )
        if self.kind != "cancellation" and self.amount is None and not self.lines:
            raise Refusal(
                f"a {self.kind} needs an amount",
                "Une réduction demande un montant."
                if self.kind == "reduction"
                else "Un titre complémentaire demande un montant.",
            )
        return self


class Waiting(BaseModel):
    invoice_id: int
    member_code: str
    member_name: str = ""
    section: Section
    total: Money
    reason: str
    detail: str


class Skipped(BaseModel):
    member_code: str
    section: Section
    reason: str
    detail: str


class BordereauRead(BaseModel):
    id: int
    fiscal_year: int = Field(description="The service year of its titles")
    exercice: int = Field(description="The exercice it is taken on (PES Exer)")
    budget_code: str = Field(description="The budget collecting it (PES CodBud)")
    type: str
    number: int
    issued_on: dt.date
    total: Money
    file_name: str
    sha256: str
    signed_at: dt.datetime | None = Field(
        None, description="When its PES was signed (XAdES); null for an unsigned bordereau"
    )
    signed_by: str | None = Field(None, description="The signatory whose certificate signed it")
    invoice_ids: list[int]
    state: BordereauState = Field(
        description="validated → signed → sent → accepted (pris en charge) | rejected"
    )
    sent_at: dt.datetime | None = Field(None, description="When it was marked as sent")
    sent_by: str | None = None
    acknowledged_at: dt.datetime | None = None
    acknowledgement_id: int | None = Field(None, description="The PES_ACQUIT that said so")
    errors: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The acknowledgement's errors: code, label (the DGFiP's), explanation "
        "(French), piece and line when they are named",
    )
    attachments: dict[str, Any] = Field(
        default_factory=dict, description="Its attached documents (IdUnique) as acknowledged"
    )
    resent_as_id: int | None = Field(None, description="Rejected: the bordereau re-sending it")
    resent_from_id: int | None = Field(None, description="The rejected bordereau it re-sends")


class BordereauPage(BaseModel):
    items: list[BordereauRead]
    next_cursor: str | None = None


class InvoiceRead(BaseModel):
    id: int
    kind: Kind
    status: Status
    state: State = Field(
        description="prepared → validated → signed → sent → accepted | rejected, then "
        "partly_paid → paid (invoices/states.py)"
    )
    number: int | None
    reference: str | None
    fiscal_year: int = Field(description="The year of the services billed")
    exercice: int | None = Field(description="The exercice it is taken on (PES Exer), at issue")
    budget_code: str | None = Field(description="The budget collecting it (PES CodBud)")
    section: Section
    member_code: str
    member_name: str
    run_id: int
    original_id: int | None
    total: Money
    balance: Money | None = Field(None, description="Titles: total plus every correction")
    paid: Money | None = Field(
        None, description="Titles and complementary titles: what the comptable recovered"
    )
    outstanding: Money | None = Field(
        None, description="What remains to pay on this piece (reductions deducted)"
    )
    payments: list[dict[str, Any]] = Field(default_factory=list)
    object: str
    issued_on: dt.date | None
    issued_at: dt.datetime | None
    issued_by: str | None
    prepared_by: str | None = Field(None, description="The finance user who prepared it")
    prepared_at: dt.datetime | None = None
    signatory: dict[str, Any] = Field(
        description="Who validated it (id in the register, name, qualité, delegation)"
    )
    forced_reason: str | None
    forecast_reason: str | None = Field(
        None, description="Why it was issued without a forecast made available in time"
    )
    waiting_reason: str | None
    reason: str | None
    bordereau: dict[str, Any] | None
    change_seq: int | None
    content: dict[str, Any]
    lines: list[dict[str, Any]]
    corrections: list[dict[str, Any]] = Field(default_factory=list)
    documents: dict[str, str] = Field(default_factory=dict, description="Links")


class InvoicePage(BaseModel):
    items: list[InvoiceRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Every title the filters keep, all pages")


class IssueResult(BaseModel):
    run_id: int | None
    prepared: list[InvoiceRead] = Field(
        default_factory=list, description="Prepared, awaiting a signatory's validation"
    )
    issued: list[InvoiceRead]
    liquidated: list[InvoiceRead] = Field(
        default_factory=list,
        description="Numbering by the financial software: handed over, awaiting their numbers",
    )
    liquidation_batch: str | None = None
    warnings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Members whose final amount exceeds their notified forecast beyond the "
        "configured share (a DM may be needed)",
    )
    waiting: list[Waiting]
    skipped: list[Skipped]
    bordereaux: list[BordereauRead]


class ChangeRead(BaseModel):
    seq: int
    event: str
    occurred_at: dt.datetime
    invoice: InvoiceRead


class ChangePage(BaseModel):
    items: list[ChangeRead]
    next_cursor: str = Field(description="Pass it back as ?after= (the last seq seen)")
    has_more: bool


class ImputationWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nature: str = Field(pattern=r"^\d{2,10}$")
    function: str = Field(pattern=r"^\d{1,10}$")
    chapter: str = Field(pattern=r"^\d{2,3}$")


class ImputationRead(BaseModel):
    fiscal_year: int
    debtor_kind: str
    line_kind: str
    nature: str
    function: str
    chapter: str
    source: Literal["configured", "default"]


class RegularisationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=10, max_length=1500, description="Why the run was replaced")
    confirm: Literal[True] = Field(
        description="The proposals (GET) were seen: the corrections are prepared for the "
        "signatory's validation"
    )


class ValidationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_ids: list[int] = Field(
        min_length=1,
        max_length=2000,
        description="The prepared titles and corrections the signatory read and validates",
    )
    confirm: Literal[True] = Field(
        description="Validation renders them executory: numbered, on a bordereau, for good"
    )


class RefusalRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_ids: list[int] = Field(min_length=1, max_length=2000)
    reason: str = Field(min_length=10, max_length=2000, description="Why, for the finance user")
