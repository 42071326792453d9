"""Pydantic schemas of conventions, amendments (avenants, prorogations) and adhesions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.registry.members.schemas import MemberCodeStr

Reference = Annotated[str, Field(min_length=1, max_length=200)]
AmendmentKind = Literal["amendment", "extension"]
DeadlineKind = Literal["notice", "renewal", "expiry"]


class ConventionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: MemberCodeStr
    title: Annotated[str, Field(min_length=1, max_length=300)]
    starts_on: dt.date
    ends_on: dt.date = Field(description="Last day of the initial term.")
    tacit_renewal: bool = Field(False, description="Renewed tacitly at the end of each term.")
    renewal_months: Annotated[int, Field(ge=1, le=60)] = 12
    max_ends_on: dt.date | None = Field(
        None, description="Last day renewals can reach (default: 5 years after starts_on)."
    )
    notice_months: Annotated[int, Field(ge=0, le=24)] = 3
    deliberation_ref: Reference | None = None
    deliberated_on: dt.date | None = None
    previous_code: MemberCodeStr | None = None


class ConventionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    notice_months: Annotated[int, Field(ge=0, le=24)] | None = None
    terminated_on: dt.date | None = Field(
        None, description="Last day in force after a denunciation (null: not denounced)."
    )
    deliberation_ref: Reference | None = None
    deliberated_on: dt.date | None = None


class AmendmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AmendmentKind = "amendment"
    reference: Reference
    deliberated_on: dt.date | None = None
    signed_on: dt.date | None = None
    summary: Annotated[str, Field(max_length=5000)] = ""
    extends_to: dt.date | None = Field(
        None, description="New last day in force; required for an extension (prorogation)."
    )


class AmendmentRead(BaseModel):
    kind: AmendmentKind
    reference: str
    deliberated_on: dt.date | None
    signed_on: dt.date | None
    summary: str
    extends_to: dt.date | None


class ConventionRead(BaseModel):
    code: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    tacit_renewal: bool
    renewal_months: int
    max_ends_on: dt.date | None
    notice_months: int
    terminated_on: dt.date | None
    deliberation_ref: str | None
    deliberated_on: dt.date | None
    previous_code: str | None
    effective_ends_on: dt.date = Field(
        description="Last day in force, given renewals, amendments, extensions and denunciation."
    )
    amendments: list[AmendmentRead]


class ConventionPage(BaseModel):
    items: list[ConventionRead]
    next_cursor: str | None = None


class AdhesionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_code: MemberCodeStr
    deliberation_ref: Reference | None = None
    deliberated_on: dt.date | None = None
    signed_on: dt.date | None = None
    left_on: dt.date | None = None


class AdhesionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deliberation_ref: Reference | None = None
    deliberated_on: dt.date | None = None
    signed_on: dt.date | None = None
    left_on: dt.date | None = None


class AdhesionRead(BaseModel):
    convention_code: str
    member_code: str
    deliberation_ref: str | None
    deliberated_on: dt.date | None
    signed_on: dt.date | None
    left_on: dt.date | None


class AdhesionPage(BaseModel):
    items: list[AdhesionRead]
    next_cursor: str | None = None


class Deadline(BaseModel):
    convention_code: str
    kind: DeadlineKind
    due_on: dt.date
    description: str


class DeadlineList(BaseModel):
    from_date: dt.date
    to_date: dt.date
    items: list[Deadline]
