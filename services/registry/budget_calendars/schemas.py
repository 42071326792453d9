"""Pydantic schemas of budget calendars (BP, BS, DM dates of a member's fiscal year)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class BudgetCalendarWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bp_voted_on: dt.date | None = Field(None, description="Vote of the budget primitif.")
    bs_voted_on: dt.date | None = Field(None, description="Vote of the budget supplémentaire.")
    dm_dates: Annotated[list[dt.date], Field(max_length=24)] = Field(
        default_factory=list, description="Votes of the décisions modificatives."
    )


class BudgetCalendarRead(BaseModel):
    member_code: str
    fiscal_year: int
    bp_voted_on: dt.date | None
    bs_voted_on: dt.date | None
    dm_dates: list[dt.date]


class BudgetCalendarPage(BaseModel):
    items: list[BudgetCalendarRead]
    next_cursor: str | None = None
