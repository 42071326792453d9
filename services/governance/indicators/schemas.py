"""Schemas of indicators and their measurements (numerator and denominator for rates)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from kit.i18n import Refusal
from services.governance.fields import Code, LongText, MemberCode, Text200, Value

Category = Literal["plan", "activity", "quality"]
Aggregation = Literal["rate", "sum", "mean"]


class IndicatorCreate(BaseModel):
    code: Code
    name: Text200
    definition: LongText = Field(min_length=1)
    unit: str = Field(min_length=1, max_length=40, description='"%" for a rate in percent')
    direction: Literal["up", "down"] = Field(description="Which way is better")
    category: Category = Field(
        description="plan: a master-plan indicator; activity or quality: of the DSIT"
    )
    axis_code: Code | None = None
    is_rate: bool = False
    aggregation: Aggregation | None = Field(
        None, description="How members' values add up: rate (Σnum/Σden), sum or mean"
    )
    baseline: Value | None = None
    target: Value | None = None

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorCreate:
        if self.category == "plan" and self.axis_code is None:
            raise Refusal(
                "a plan indicator needs its axis_code",
                "Un indicateur du schéma directeur est rattaché à un axe.",
            )
        if self.is_rate and self.aggregation not in (None, "rate"):
            raise Refusal("a rate is aggregated as a rate", "Un taux se consolide comme un taux.")
        if not self.is_rate and self.aggregation == "rate":
            raise Refusal(
                "aggregation=rate needs is_rate=true",
                "Seul un indicateur exprimé en taux se consolide comme un taux.",
            )
        return self


class IndicatorUpdate(BaseModel):
    name: Text200 | None = None
    definition: LongText | None = None
    direction: Literal["up", "down"] | None = None
    baseline: Value | None = None
    target: Value | None = None


class IndicatorRead(BaseModel):
    code: str
    name: str
    definition: str
    unit: str
    direction: str
    category: Category
    axis_code: str | None
    is_rate: bool
    aggregation: Aggregation
    baseline: Value | None
    target: Value | None
    action_codes: list[str] | None = None
    latest: dict[str, Any] | None = Field(
        None, description="Latest overall value (reported, else aggregated over members)"
    )


class IndicatorPage(BaseModel):
    items: list[IndicatorRead]
    next_cursor: str | None = None


class MeasurementIn(BaseModel):
    period: dt.date = Field(description="Last day of the period measured")
    member_code: MemberCode | None = Field(None, description="None: all members at once")
    value: Value | None = Field(None, description="Computed from numerator/denominator for rates")
    numerator: Value | None = Field(None, ge=0)
    denominator: Value | None = Field(None, gt=0)
    source: str = Field(min_length=1, max_length=120, description="What measured it")


class MeasurementBatch(BaseModel):
    measurements: list[MeasurementIn] = Field(min_length=1, max_length=10_000)


class MeasurementRead(BaseModel):
    indicator_code: str
    period: dt.date
    member_code: str | None
    value: Value
    numerator: Value | None
    denominator: Value | None
    source: str


class MeasurementPage(BaseModel):
    items: list[MeasurementRead]
    next_cursor: str | None = None


class BatchResult(BaseModel):
    created: int
    updated: int
    unchanged: int


class SeriesPoint(BaseModel):
    period: dt.date
    value: Value | None
    numerator: Value | None
    denominator: Value | None
    members: int = Field(description="Members whose values were aggregated")
    reported: Value | None = Field(None, description="Overall value measured as such")
    member_values: dict[str, Value] | None = None


class Series(BaseModel):
    indicator_code: str
    unit: str
    aggregation: Aggregation
    points: list[SeriesPoint]
