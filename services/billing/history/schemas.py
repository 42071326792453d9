"""Schemas of imported history (billed operating totals before Mutualis)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from services.billing.fiscal_years.schemas import Money

MEMBER_CODE = r"^[a-z0-9][a-z0-9_.-]*$"


class HistoryWrite(BaseModel):
    operating_total: Money = Field(ge=0, description="Operating amount billed that year")


class HistoryRead(BaseModel):
    fiscal_year: int
    member_code: str
    operating_total: Money
    source: str


class HistoryPage(BaseModel):
    items: list[HistoryRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Totals matching the filters (all pages)")


class ImportReport(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: list[dict[str, Any]] = Field(
        description="Rows not imported: [{line, errors: [{field, message}]}]"
    )
