"""Schemas of the GDPR registers (processor register, records, sub-processors, breaches,
data-subject requests)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from services.governance.fields import Code, LongText, MemberCode, Text200, Text300

LegalBasis = Literal[
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
]
Risk = Literal["none", "risk", "high_risk"]
RequestKind = Literal[
    "access", "rectification", "erasure", "restriction", "portability", "objection"
]


class ProcessorEntryWrite(BaseModel):
    category_code: Code
    category_name: Text200
    controller_code: MemberCode
    controller_dpo: Text200 | None = None
    processing_carried_out: LongText = Field(min_length=1)
    sub_processors: list[Code] = Field(default_factory=list)
    transfers: LongText | None = None
    transfer_safeguards: LongText | None = None
    security_measures: LongText = Field(min_length=1)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class ProcessorEntryPatch(BaseModel):
    category_name: Text200 | None = None
    controller_dpo: Text200 | None = None
    processing_carried_out: LongText | None = None
    sub_processors: list[Code] | None = None
    transfers: LongText | None = None
    transfer_safeguards: LongText | None = None
    security_measures: LongText | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class RecordWrite(BaseModel):
    controller_code: MemberCode
    name: Text200
    processor_entry_id: int | None = None
    purposes: LongText | None = None
    legal_basis: LegalBasis | None = None
    data_subjects: list[Text200] = Field(default_factory=list)
    data_categories: list[Text200] = Field(default_factory=list)
    sensitive_data: bool = False
    recipients: list[Text200] = Field(default_factory=list)
    transfers: LongText | None = None
    transfer_safeguards: LongText | None = None
    retention: LongText | None = None
    security_measures: LongText | None = None


class RecordPatch(BaseModel):
    name: Text200 | None = None
    purposes: LongText | None = None
    legal_basis: LegalBasis | None = None
    data_subjects: list[Text200] | None = None
    data_categories: list[Text200] | None = None
    sensitive_data: bool | None = None
    recipients: list[Text200] | None = None
    transfers: LongText | None = None
    transfer_safeguards: LongText | None = None
    retention: LongText | None = None
    security_measures: LongText | None = None


class SubProcessorWrite(BaseModel):
    code: Code
    name: Text200
    service: Text300
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    contract_signed_on: dt.date | None = None
    contract_ends_on: dt.date | None = None
    terms: dict[str, bool] = Field(default_factory=dict, description="art. 28.3 clauses present")
    transfer_safeguards: LongText | None = None


class SubProcessorPatch(BaseModel):
    name: Text200 | None = None
    service: Text300 | None = None
    contract_signed_on: dt.date | None = None
    contract_ends_on: dt.date | None = None
    terms: dict[str, bool] | None = None
    transfer_safeguards: LongText | None = None


class BreachWrite(BaseModel):
    reference: str = Field(pattern=r"^[A-Za-z0-9-]{1,40}$")
    controller_code: MemberCode
    title: Text300
    facts: LongText = Field(min_length=1)
    effects: LongText | None = None
    measures: LongText | None = None
    risk: Risk
    people_affected: int | None = Field(None, ge=0)
    aware_at: AwareDatetime
    controller_informed_at: AwareDatetime | None = None
    authority_notified_at: AwareDatetime | None = None
    people_informed_at: AwareDatetime | None = None
    closed_at: AwareDatetime | None = None
    late_reason: LongText | None = None


class BreachPatch(BaseModel):
    title: Text300 | None = None
    facts: LongText | None = None
    effects: LongText | None = None
    measures: LongText | None = None
    risk: Risk | None = None
    people_affected: int | None = Field(None, ge=0)
    controller_informed_at: AwareDatetime | None = None
    authority_notified_at: AwareDatetime | None = None
    people_informed_at: AwareDatetime | None = None
    closed_at: AwareDatetime | None = None
    late_reason: LongText | None = None


class RequestWrite(BaseModel):
    reference: str = Field(pattern=r"^[A-Za-z0-9-]{1,40}$")
    controller_code: MemberCode
    kind: RequestKind
    received_on: dt.date
    extended: bool = False
    extension_reason: LongText | None = None
    answered_on: dt.date | None = None
    outcome: Literal["granted", "partial", "refused"] | None = None
    summary: LongText | None = Field(None, description="No personal data: a reference only")


class RequestPatch(BaseModel):
    extended: bool | None = None
    extension_reason: LongText | None = None
    answered_on: dt.date | None = None
    outcome: Literal["granted", "partial", "refused"] | None = None
    summary: LongText | None = None


class GdprPage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Entries matching the filters (all pages)")
