"""Schemas of the project portfolio and the workload plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PlainSerializer, StringConstraints

from services.governance.fields import Code, LongText, MemberCode, Money, Text200

Status = Literal["proposed", "active", "on_hold", "done", "cancelled"]
Priority = Literal["low", "medium", "high", "critical"]
Phase = Literal["study", "design", "build", "deploy", "run"]
Quarter = Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}-Q[1-4]$")]
Days = Annotated[
    Decimal,
    Field(ge=0, max_digits=10, decimal_places=2),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str),
]


class Milestone(BaseModel):
    name: Text200
    due_on: dt.date
    done_on: dt.date | None = None


class ProjectCreate(BaseModel):
    code: Code
    name: Text200
    description: LongText | None = None
    member_code: MemberCode | None = Field(None, description="None: a shared project")
    status: Status = "proposed"
    priority: Priority = "medium"
    phase: Phase = "study"
    budget: Money | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    body_code: Code | None = Field(None, description="The body following the project")
    action_code: Code | None = Field(None, description="The master-plan action it serves")
    milestones: list[Milestone] = Field(default_factory=list, max_length=100)


class ProjectUpdate(BaseModel):
    name: Text200 | None = None
    description: LongText | None = None
    status: Status | None = None
    priority: Priority | None = None
    phase: Phase | None = None
    budget: Money | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    body_code: Code | None = None
    milestones: list[Milestone] | None = Field(None, max_length=100)


class ProjectRead(BaseModel):
    code: str
    name: str
    description: str | None
    member_code: str | None
    status: Status
    priority: Priority
    phase: Phase
    budget: Money | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    body_code: str | None
    action_code: str | None
    milestones: list[Milestone]


class ProjectPage(BaseModel):
    items: list[ProjectRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Projects matching the filters (all pages)")


class CapacityWrite(BaseModel):
    person_days: Days


class WorkloadLineWrite(BaseModel):
    team: Code
    quarter: Quarter
    person_days: Days


class WorkloadWrite(BaseModel):
    lines: list[WorkloadLineWrite] = Field(max_length=1000)


class WorkloadCell(BaseModel):
    team: str
    quarter: str
    capacity: Days | None
    planned: Days
    load: int | None = Field(description="Planned / capacity, in %")
    overloaded: bool
    projects: dict[str, Days] = Field(description="Planned days per project (those visible)")


class WorkloadPlan(BaseModel):
    year: int
    cells: list[WorkloadCell]
    overloads: list[dict[str, Any]]
