"""Pydantic schemas of workstation counts (the payroll-share index)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

WorkstationSource = Literal["declared", "inventory"]


class WorkstationCountWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: Annotated[int, Field(ge=0, le=1_000_000)]
    reference_date: dt.date = Field(description="The day the count was taken.")
    source: WorkstationSource
    comment: Annotated[str, Field(max_length=2000)] = ""


class WorkstationCountRead(BaseModel):
    member_code: str
    fiscal_year: int
    count: int
    reference_date: dt.date
    source: WorkstationSource
    comment: str
    recorded_at: dt.datetime = Field(description="When this version was recorded.")
    recorded_by: str
    version: int = Field(description="1 for the first count of the year, then 2, 3…")


class WorkstationCountPage(BaseModel):
    items: list[WorkstationCountRead]
    next_cursor: str | None = None
