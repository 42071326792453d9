"""Schemas of master plans: axes and their actions."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from kit.i18n import Refusal
from services.governance.fields import Code, LongText, MemberCode, Text200, Text300

ActionStatus = Literal["planned", "in_progress", "done", "suspended", "cancelled"]


class AxisUpdate(BaseModel):
    name: Text200 | None = None
    description: LongText | None = None


class AxisRead(BaseModel):
    code: str
    position: int
    name: str
    description: str | None
    actions: int = Field(description="Number of actions (that the principal sees)")
    actions_done: int
    progress: int = Field(description="Mean progress of the axis's actions, in %")
    indicators: list[str]


class AxisList(BaseModel):
    items: list[AxisRead]


def _check_dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise Refusal("ends_on is before starts_on", "La date de fin précède la date de début.")


class ActionCreate(BaseModel):
    code: Code
    axis_code: Code
    title: Text300
    description: LongText | None = None
    owner: Text200
    status: ActionStatus = "planned"
    progress: int = Field(0, ge=0, le=100)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    member_codes: list[MemberCode] = Field(
        default_factory=list, description="Members concerned; empty: every member"
    )
    indicator_codes: list[Code] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> ActionCreate:
        _check_dates(self.starts_on, self.ends_on)
        return self


class ActionUpdate(BaseModel):
    title: Text300 | None = None
    description: LongText | None = None
    owner: Text200 | None = None
    status: ActionStatus | None = None
    progress: int | None = Field(None, ge=0, le=100)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    member_codes: list[MemberCode] | None = None
    indicator_codes: list[Code] | None = None

    @model_validator(mode="after")
    def _dates(self) -> ActionUpdate:
        _check_dates(self.starts_on, self.ends_on)
        return self


class ActionRead(BaseModel):
    code: str
    axis_code: str
    axis_name: str
    title: str
    description: str | None
    owner: str
    status: ActionStatus
    progress: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    late: bool = Field(description="Past its end date and neither done nor cancelled")
    member_codes: list[str]
    indicator_codes: list[str]
    indicators: list[dict[str, Any]] | None = Field(
        None, description="On a single action: its indicators with their latest value"
    )
    decisions: list[dict[str, Any]] | None = Field(
        None, description="On a single action: the meeting decisions that shaped it"
    )


class ActionPage(BaseModel):
    items: list[ActionRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Actions matching the filters (all pages)")
