"""Schemas of governance bodies (instances)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from services.governance.fields import Code, LongText, MemberCode, Text200

Level = Literal["political", "strategic", "user_committee", "project_committee"]
Frequency = Literal["annual", "half_yearly", "quarterly", "ad_hoc"]


class BodyCreate(BaseModel):
    code: Code
    name: Text200
    level: Level
    frequency: Frequency
    topic: Text200 | None = None
    description: LongText | None = None
    member_code: MemberCode | None = None


class BodyUpdate(BaseModel):
    name: Text200 | None = None
    frequency: Frequency | None = None
    topic: Text200 | None = None
    description: LongText | None = None


class BodyRead(BaseModel):
    code: str
    name: str
    level: Level
    frequency: Frequency
    topic: str | None
    description: str | None
    member_code: str | None


class BodyPage(BaseModel):
    items: list[BodyRead]
    next_cursor: str | None = None
