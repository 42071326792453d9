"""Schemas of simulations: the kinds of change (a discriminated union on ``kind``), the saved
simulation, and its comparison with the base run (money as two-decimal strings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PlainSerializer

Money = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=2),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str),
]
Quantity = Annotated[
    Decimal,
    Field(ge=0, max_digits=18, decimal_places=6),
    PlainSerializer(lambda v: str(v), return_type=str),
]
Code = Annotated[str, Field(min_length=1, max_length=80)]


class WorkstationsChange(BaseModel):
    """A member's workstation count for the year (its payroll share's weight)."""

    kind: Literal["workstations"]
    member_code: Code
    count: int = Field(ge=0, le=1_000_000)


class UsageChange(BaseModel):
    """A member's measured usage of a driver (its share of that driver's pools)."""

    kind: Literal["usage"]
    driver_code: Code
    member_code: Code
    quantity: Quantity


class PayrollEnvelopeChange(BaseModel):
    kind: Literal["payroll_envelope"]
    amount: Money = Field(ge=0)


class CostLineAmountChange(BaseModel):
    kind: Literal["cost_line_amount"]
    cost_line_id: Code
    amount: Money


class CostLineRemoval(BaseModel):
    kind: Literal["cost_line_remove"]
    cost_line_id: Code


class Weight(BaseModel):
    member_code: Code
    weight: Quantity


class CostLineAddition(BaseModel):
    """A new cost line: direct (``allocation`` weights) or indirect (``driver_code``)."""

    kind: Literal["cost_line_add"]
    component_code: Code
    label: str | None = Field(None, max_length=200, description="Shown on the members' lines")
    section: Literal["operating", "investment"] = "operating"
    amount: Money
    driver_code: Code | None = None
    allocation: list[Weight] = Field(default_factory=list, max_length=500)


class MemberJoining(BaseModel):
    """A member joining for the whole year, with its workstation count."""

    kind: Literal["member_join"]
    member_code: Code
    name: str = Field(min_length=1, max_length=200)
    workstations: int = Field(ge=0, le=1_000_000)
    invoiced: bool = True


class MemberLeaving(BaseModel):
    """A member leaving before the year: its workstations, usage and weights go with it."""

    kind: Literal["member_leave"]
    member_code: Code


class CapChange(BaseModel):
    kind: Literal["cap"]
    enabled: bool


Change = Annotated[
    WorkstationsChange
    | UsageChange
    | PayrollEnvelopeChange
    | CostLineAmountChange
    | CostLineRemoval
    | CostLineAddition
    | MemberJoining
    | MemberLeaving
    | CapChange,
    Field(discriminator="kind"),
]


class SimulationCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    fiscal_year: int = Field(ge=2000, le=2100)
    base_run_id: int | None = Field(
        None, ge=1, description="Default: the year's current final run, else its latest forecast"
    )
    changes: list[Change] = Field(default_factory=list, max_length=500)


class SimulationUpdate(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=200)
    changes: list[Change] | None = Field(None, max_length=500)


class BaseRunRead(BaseModel):
    id: int
    kind: str
    fiscal_year: int
    is_current: bool
    snapshot_hash: str | None


class SimulationRead(BaseModel):
    id: int
    name: str
    fiscal_year: int
    base_run: BaseRunRead
    member_code: str | None = Field(description="Made by this member's contact (its figures)")
    created_by: str | None = Field(description="DSIT only")
    created_at: dt.datetime
    updated_at: dt.datetime
    changes: list[Change]
    changes_fr: list[str] = Field(description="Each change as a French reader reads it")


class SimulationPage(BaseModel):
    items: list[SimulationRead]
    next_cursor: str | None = None
    total: int


class LineComparison(BaseModel):
    key: str = Field(description="payroll, direct:<cost line>, indirect:<pool>, cap")
    kind: str
    section: str
    label: str
    base: str | None = Field(description="None: the line is not in the base run")
    simulated: str | None = Field(description="None: the line is gone in the simulation")
    difference: str


class MemberComparison(BaseModel):
    member_code: str
    name: str
    is_host: bool
    invoiced: bool
    in_base: bool
    in_simulation: bool
    workstations: dict[str, int | None]
    base: dict[str, str]
    simulated: dict[str, str]
    difference: dict[str, str]
    lines: list[LineComparison] | None = None


class Comparison(BaseModel):
    simulation: SimulationRead
    members: list[MemberComparison]
    totals: dict[str, dict[str, str]] | None = Field(description="DSIT only: base, simulated")


class SimulatedResult(BaseModel):
    simulation_id: int
    fiscal_year: int
    members: list[dict[str, Any]]
    totals: dict[str, str] | None = Field(description="DSIT only")
    payroll: dict[str, Any] | None = Field(description="DSIT only")
