"""Schemas of decisions: owner, due date, status, and the master-plan action they shape."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from kit.i18n import Refusal
from services.governance.fields import Code, LongText, MemberCode, Text200, Text300
from services.governance.plans.schemas import ActionCreate, ActionUpdate

DecisionStatus = Literal["open", "in_progress", "done", "cancelled"]


class DecisionCreate(BaseModel):
    title: Text300
    details: LongText | None = None
    owner: Text200
    due_on: dt.date | None = None
    status: DecisionStatus = "open"
    member_code: MemberCode | None = Field(None, description="None: concerns every member")
    action_code: Code | None = Field(None, description="An existing action this decision shapes")
    action_changes: ActionUpdate | None = Field(
        None, description="Changes the decision makes to that action"
    )
    new_action: ActionCreate | None = Field(None, description="An action the decision creates")

    @model_validator(mode="after")
    def _one_action(self) -> DecisionCreate:
        if self.new_action is not None and self.action_code is not None:
            raise Refusal(
                "give either action_code or new_action, not both",
                "Rattachez la décision à une action existante ou créez-en une, pas les deux.",
            )
        if self.action_changes is not None and self.action_code is None:
            raise Refusal(
                "action_changes needs action_code",
                "Les changements d'une action demandent l'action qu'ils changent.",
            )
        return self


class DecisionUpdate(BaseModel):
    title: Text300 | None = None
    details: LongText | None = None
    owner: Text200 | None = None
    due_on: dt.date | None = None
    status: DecisionStatus | None = None
    closed_on: dt.date | None = None
    action_code: Code | None = None


class DecisionRead(BaseModel):
    id: int
    meeting_id: int
    body_code: str
    held_on: dt.date
    number: int
    title: str
    details: str | None
    owner: str
    due_on: dt.date | None
    status: DecisionStatus
    closed_on: dt.date | None
    overdue: bool
    member_code: str | None
    action_code: str | None


class DecisionPage(BaseModel):
    items: list[DecisionRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Decisions matching the filters (all pages)")
