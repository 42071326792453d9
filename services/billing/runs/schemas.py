"""Schemas of runs, per-member results and explanations (money as two-decimal strings)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from kit.i18n import Refusal


class RunCreate(BaseModel):
    fiscal_year: int = Field(ge=2000, le=2100)
    kind: Literal["forecast", "final"]
    replacement_reason: str | None = Field(
        None,
        min_length=5,
        max_length=2000,
        description="Required to replace the current final run of the year (kept with both)",
    )

    @model_validator(mode="after")
    def _reason_only_for_final(self) -> RunCreate:
        if self.kind == "forecast" and self.replacement_reason:
            raise Refusal(
                "replacement_reason is for final runs only",
                "Un motif de remplacement ne se donne qu'à un calcul définitif.",
            )
        return self


class Problem(BaseModel):
    code: str
    message: str
    fix: str
    ref: dict[str, Any] = Field(default_factory=dict)


class RunRead(BaseModel):
    id: int
    fiscal_year: int
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: int = Field(description="0 to 100")
    phase: str | None
    launched_by: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    snapshot_hash: str | None
    is_current: bool = Field(description="The current final run of its year")
    replaces: int | None
    replacement_reason: str | None
    replaced_by: int | None
    made_available_at: dt.datetime | None = Field(
        description="Forecast runs: when the members' notifications became available"
    )
    problems: list[Problem] | None
    totals: dict[str, str] | None = Field(description="DSIT only")
    payroll: dict[str, Any] | None
    timings: dict[str, float] | None = Field(
        None,
        description="Seconds per phase of the computation: upstream (reading the registry and "
        "the catalogue), snapshot (canonical document), compute, store; none before it ran",
    )


class RunPage(BaseModel):
    items: list[RunRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Runs matching the filters (all pages)")


class MemberResultRead(BaseModel):
    run_id: int
    fiscal_year: int
    kind: str
    member_code: str
    name: str
    is_host: bool
    invoiced: bool
    workstations: int | None
    payroll: str
    direct_operating: str
    direct_investment: str
    indirect_operating: str
    indirect_investment: str
    operating: str = Field(description="Before the cap")
    cap_reduction: str = Field(description="Zero or negative (écrêtement)")
    operating_invoiced: str
    investment: str
    cap: dict[str, Any] | None
    previous_year: dict[str, Any] | None
    lines: list[dict[str, Any]] | None = None
    forecast_comparison: dict[str, Any] | None = Field(
        None,
        description="A final run: the amount beside the forecast notified to the member, and "
        "whether a decision modificative (DM) may be needed",
    )


class MemberResultPage(BaseModel):
    items: list[MemberResultRead]
    next_cursor: str | None = None


class Explanation(BaseModel):
    run_id: int
    fiscal_year: int
    kind: str
    snapshot_hash: str | None
    member_code: str
    totals: dict[str, str]
    payroll: dict[str, Any] | None
    lines: list[dict[str, Any]]
    pools: list[dict[str, Any]] = Field(description="The indirect pools the lines refer to")
    cap: dict[str, Any] | None
    notes: list[str] = Field(
        default_factory=list,
        description="French sentences for the reader, e.g. why the payroll share's workstation "
        "count and a workstations driver differ",
    )
    check: dict[str, Any] = Field(description="The lines add up to the member's totals")
