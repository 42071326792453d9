"""Schemas of meetings (séances): agenda, invited and present members and people, minutes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from kit.i18n import Refusal
from services.governance.fields import Code, LongText, MemberCode, Text200, Text300

Status = Literal["planned", "held", "cancelled"]


class Person(BaseModel):
    name: Text200
    role: Text200 | None = None
    member_code: MemberCode | None = Field(None, description="None: DSIT or outside person")
    present: bool = False


class MeetingCreate(BaseModel):
    body_code: Code
    title: Text300
    held_on: dt.date
    location: Text200 | None = None
    status: Status = "planned"
    agenda: list[Text300] = Field(default_factory=list, max_length=100)
    minutes: LongText | None = None
    invited_members: list[MemberCode] = Field(
        default_factory=list, description="Empty: the meeting is open to every member"
    )
    present_members: list[MemberCode] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _present_were_invited(self) -> MeetingCreate:
        check_presence(self.invited_members, self.present_members)
        return self


def check_presence(invited: list[str], present: list[str]) -> None:
    if invited and not set(present) <= set(invited):
        missing = sorted(set(present) - set(invited))
        raise Refusal(
            f"present members not invited: {', '.join(missing)}",
            "Adhérents présents sans avoir été invités : "
            + ", ".join(f"« {code} »" for code in missing)
            + ".",
        )


class MeetingUpdate(BaseModel):
    title: Text300 | None = None
    held_on: dt.date | None = None
    location: Text200 | None = None
    status: Status | None = None
    agenda: list[Text300] | None = Field(None, max_length=100)
    minutes: LongText | None = None
    invited_members: list[MemberCode] | None = None
    present_members: list[MemberCode] | None = None
    people: list[Person] | None = Field(None, max_length=500)


class MeetingMemberRead(BaseModel):
    member_code: str
    present: bool


class MeetingRead(BaseModel):
    id: int
    body_code: str
    body_name: str
    level: str
    title: str
    held_on: dt.date
    location: str | None
    status: Status
    agenda: list[str]
    minutes: str | None
    members: list[MeetingMemberRead]
    people: list[Person]
    decisions: list[dict[str, object]] | None = Field(
        None, description="On a single meeting: its relevé de décisions"
    )


class MeetingPage(BaseModel):
    items: list[MeetingRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Meetings matching the filters (all pages)")
