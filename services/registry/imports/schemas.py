"""Pydantic schemas of an import's report: one result per row, with every error of the row."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

RowStatus = Literal["created", "updated", "unchanged", "rejected"]


class RowError(BaseModel):
    field: str = Field(description="API name of the column at fault (empty: the whole row)")
    column: str = Field(description="The column's French header, as in the template")
    message: str
    type: str = Field(description="Stable code of the fault: missing, date, int, choice…")


class RowResult(BaseModel):
    row: int = Field(description="Line of the file (the header is line 1)")
    key: str = Field(description="What identifies the row: member code and year, or email")
    status: RowStatus
    errors: list[RowError] = Field(default_factory=list)


class ImportReport(BaseModel):
    kind: str
    dry_run: bool = Field(description="True: a simulation, nothing was stored")
    summary: dict[str, int]
    items: list[RowResult]
