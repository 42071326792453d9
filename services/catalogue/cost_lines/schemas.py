"""Schemas of cost lines and of the yearly amounts billing reads."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from kit.patches import Patch
from services.catalogue.common import Code, MemberCode, Mode, Money, Nature, Quantity, Section


class AllocationWeight(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_code: MemberCode
    weight: Quantity


class CostLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    component_code: Code
    fiscal_year: int = Field(ge=2000, le=2100)
    section: Section
    nature: Nature
    amount: Money
    mode: Mode
    driver_code: Code | None = Field(None, description="Indirect lines only: the driver")
    allocation: list[AllocationWeight] = Field(
        default_factory=list, max_length=1000, description="Direct lines only: weights per member"
    )
    depreciation_years: int | None = Field(
        None, ge=1, le=50, description="Investment lines only: spread linearly over these years"
    )
    label: str = Field("", max_length=300)


class CostLineUpdate(Patch):
    model_config = ConfigDict(extra="forbid")
    nullable = frozenset({"driver_code", "depreciation_years"})

    component_code: Code | None = None
    fiscal_year: int | None = Field(None, ge=2000, le=2100)
    section: Section | None = None
    nature: Nature | None = None
    amount: Money | None = None
    mode: Mode | None = None
    driver_code: Code | None = None
    allocation: list[AllocationWeight] | None = Field(None, max_length=1000)
    depreciation_years: int | None = Field(None, ge=1, le=50)
    label: str | None = Field(None, max_length=300)


class YearlyAmount(BaseModel):
    fiscal_year: int
    amount: Money


class CostLineRead(BaseModel):
    id: int
    component_code: str
    service_code: str | None
    fiscal_year: int
    section: Section
    nature: Nature
    amount: Money
    mode: Mode
    driver_code: str | None
    allocation: list[AllocationWeight]
    depreciation_years: int | None
    yearly_amounts: list[YearlyAmount] = Field(
        description="What billing uses each fiscal year (an investment spread over its years)"
    )
    label: str
    source: str = Field(description="Where the line comes from: manual, or an import's source")
    external_id: str | None = Field(description="Its reference there (mandate, voucher)")
    created_at: dt.datetime
    updated_at: dt.datetime


class YearlyCostLineRead(BaseModel):
    """A cost line as billing uses it for one fiscal year."""

    cost_line_id: int
    component_code: str
    component_name: str = Field(description="The component's name, as people read it")
    service_code: str | None
    service_name: str | None = Field(description="The name of the component's service")
    fiscal_year: int
    section: Section
    mode: Mode
    driver_code: str | None
    nature: Nature
    amount: Money
    allocation: list[AllocationWeight]
    line_fiscal_year: int = Field(description="Fiscal year of the line itself")
    line_amount: Money = Field(description="Whole amount of the line (before spreading)")
    depreciation_years: int | None
