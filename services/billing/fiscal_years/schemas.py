"""Schemas of fiscal-year parameters."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer

Money = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=2),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str),
]


class CapSettings(BaseModel):
    enabled: bool = True
    window: int = Field(3, ge=1, le=10, description="Number of previous years averaged")


class FiscalYearWrite(BaseModel):
    payroll_envelope: Money = Field(ge=0, description="Masse salariale shared by workstations")
    cap: CapSettings = Field(default_factory=CapSettings)


class CapRead(CapSettings):
    years: list[int] = Field(description="The window years, oldest first")


class FiscalYearRead(BaseModel):
    fiscal_year: int
    payroll_envelope: Money
    cap: CapRead


class FiscalYearPage(BaseModel):
    items: list[FiscalYearRead]
    next_cursor: str | None = None
