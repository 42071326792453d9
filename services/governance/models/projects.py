"""Project portfolio and workload plan (person-days per team and quarter against capacity)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.db import TimestampMixin
from services.governance.models.base import MEMBER_CODE_LENGTH, Base
from services.governance.models.meetings import Body
from services.governance.models.plans import Action

DAYS = Numeric(10, 2)


class Project(TimestampMixin, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    member_code: Mapped[str | None] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    priority: Mapped[str] = mapped_column(String(10))
    phase: Mapped[str] = mapped_column(String(20))
    budget_cents: Mapped[int | None] = mapped_column(BigInteger)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"), index=True)
    # [{name, due_on, done_on}]
    milestones: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    body: Mapped[Body | None] = relationship(lazy="joined")
    action: Mapped[Action | None] = relationship(lazy="joined")


class TeamCapacity(TimestampMixin, Base):
    __tablename__ = "team_capacities"
    __table_args__ = (UniqueConstraint("team", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team: Mapped[str] = mapped_column(String(80))
    quarter: Mapped[str] = mapped_column(String(7), index=True)  # 2025-Q1
    person_days: Mapped[Decimal] = mapped_column(DAYS)


class WorkloadLine(TimestampMixin, Base):
    __tablename__ = "workload_lines"
    __table_args__ = (UniqueConstraint("project_id", "team", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    team: Mapped[str] = mapped_column(String(80))
    quarter: Mapped[str] = mapped_column(String(7), index=True)
    person_days: Mapped[Decimal] = mapped_column(DAYS)

    project: Mapped[Project] = relationship(lazy="joined")
