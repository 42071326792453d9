"""Schemas of the staffing references (profiles' employer costs, per-service needs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from services.catalogue.common import Code, Money, _reject_float, format_quantity

Fte = Annotated[
    Decimal,
    BeforeValidator(_reject_float),
    Field(gt=0, le=20, max_digits=8, decimal_places=3),
    PlainSerializer(format_quantity, return_type=str),
]
MinFte = Annotated[
    Decimal,
    BeforeValidator(_reject_float),
    Field(gt=0, le=1, max_digits=6, decimal_places=3),
    PlainSerializer(format_quantity, return_type=str),
]
Cost = Annotated[Money, Field(gt=0)]
Year = Annotated[int, Field(ge=2000, le=2100)]


class ProfileCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code = Field(examples=["rssi"])
    label: str = Field(min_length=1, max_length=200, examples=["RSSI"])
    yearly_cost: Cost = Field(
        examples=["72000.00"], description="Yearly employer cost of one full-time post, euros"
    )
    reference_year: Year = Field(examples=[2025])
    source: str = Field(min_length=3, max_length=2000, description="Where the figure comes from")
    min_fte: MinFte = Field(
        Decimal("0.5"),
        description="The smallest share of a post a body can hire for this profile",
    )
    description: str = Field("", max_length=2000)


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(None, min_length=1, max_length=200)
    yearly_cost: Cost | None = None
    reference_year: Year | None = None
    source: str | None = Field(None, min_length=3, max_length=2000)
    min_fte: MinFte | None = None
    description: str | None = Field(None, max_length=2000)


class ProfileRead(BaseModel):
    code: str
    label: str
    yearly_cost: Money
    reference_year: int
    source: str
    min_fte: MinFte
    description: str


class NeedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_code: Code = Field(examples=["postes-de-travail"])
    profile_code: Code = Field(examples=["technicien"])
    min_workstations: int = Field(
        0, ge=0, le=1_000_000, description="The need applies from this many workstations up"
    )
    fte: Fte = Field(examples=["0.4"], description="Share of a full-time post")
    note: str = Field("", max_length=2000)


class NeedUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_workstations: int | None = Field(None, ge=0, le=1_000_000)
    fte: Fte | None = None
    note: str | None = Field(None, max_length=2000)


class NeedRead(BaseModel):
    id: int
    service_code: str
    service_name: str
    profile_code: str
    profile_label: str
    min_workstations: int
    fte: Fte
    note: str
