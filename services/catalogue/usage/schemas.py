"""Schemas of usage measurements per (fiscal year, driver, member)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.catalogue.bulk import MAX_ITEMS, BulkOptions
from services.catalogue.common import Code, MemberCode, Quantity


class MeasurementIn(BaseModel):
    """One measurement; ``reference_date`` and ``source`` default to the call's."""

    model_config = ConfigDict(extra="forbid")

    member_code: MemberCode
    quantity: Quantity
    reference_date: dt.date | None = None
    source: Code | None = None


class MeasurementsLoad(BulkOptions):
    model_config = ConfigDict(extra="forbid")

    measurements: list[Any] = Field(
        max_length=MAX_ITEMS,
        description="[{member_code, quantity, reference_date?, source?}], up to 10,000",
    )
    reference_date: dt.date | None = Field(None, description="Date the usage was measured")
    source: Code = Field("manual", description="Tool or person that measured it")


class UsageRead(BaseModel):
    driver_code: str
    member_code: str
    quantity: Quantity
    reference_date: dt.date | None
    source: str
