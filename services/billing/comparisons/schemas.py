"""Schemas of the comparisons with hiring one's own staff (money as two-decimal strings)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class ComparedRun(BaseModel):
    id: int
    kind: Literal["forecast", "final"]
    finished_at: dt.datetime | None


class ProfileCompared(BaseModel):
    code: str
    label: str
    yearly_cost: str = Field(description="Reference yearly employer cost of a full-time post")
    reference_year: int
    source: str
    min_fte: str
    needed_fte: str = Field(description="Sum of the needs of the services used, at its size")
    hireable_fte: str = Field(description="Rounded up to the tenth, at least min_fte")
    cost: str = Field(description="hireable_fte × yearly_cost")
    services: list[str]


class ServiceUsed(BaseModel):
    code: str
    name: str


class Comparison(BaseModel):
    member_code: str
    name: str
    workstations: int | None
    bill: str = Field(description="Operating after the cap + investment")
    payroll: str = Field(description="The payroll share (the DSIT's staff)")
    other_costs: str = Field(description="The bill less the payroll share")
    average_cost: str | None = Field(description="Average yearly cost of a post (weighted)")
    average_basis: Literal["needs", "all_profiles"] | None
    equivalent_posts_bill: str | None = Field(description="bill ÷ average_cost")
    equivalent_posts_payroll: str | None = Field(description="payroll ÷ average_cost")
    skills: int = Field(description="Distinct profiles the member draws on")
    skills_available: int = Field(description="Profiles of the DSIT's references")
    needed_posts: str
    hireable_posts: str
    own_staff_cost: str = Field(description="What covering those skills alone would cost")
    own_staff_minus_payroll: str
    profiles: list[ProfileCompared]
    services: list[ServiceUsed]
    services_without_needs: list[str]


class ComparisonPage(BaseModel):
    fiscal_year: int
    run: ComparedRun
    minimum_rule: str
    items: list[Comparison]


class MemberComparison(Comparison):
    fiscal_year: int
    run: ComparedRun
