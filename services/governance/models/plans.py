"""Master plans: the seven axes, their actions, indicators and measurements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.db import TimestampMixin
from services.governance.models.base import MEMBER_CODE_LENGTH, Base

VALUE = Numeric(20, 6)
ALL_MEMBERS = "_all"  # the scope of a measurement made for every member at once


class Axis(TimestampMixin, Base):
    """One of the seven axes of the master plans named by the deliberation."""

    __tablename__ = "axes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)


class Action(TimestampMixin, Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    axis_id: Mapped[int] = mapped_column(ForeignKey("axes.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int] = mapped_column(default=0)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)

    axis: Mapped[Axis] = relationship(lazy="joined")
    members: Mapped[list[ActionMember]] = relationship(
        cascade="all, delete-orphan", order_by="ActionMember.member_code", lazy="selectin"
    )
    indicator_links: Mapped[list[ActionIndicator]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class ActionMember(Base):
    """A member concerned by an action; an action without any is shared by all."""

    __tablename__ = "action_members"
    __table_args__ = (UniqueConstraint("action_id", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    member_code: Mapped[str] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)


class Indicator(TimestampMixin, Base):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10))  # up | down: which way is better
    category: Mapped[str] = mapped_column(String(20), index=True)  # plan | activity | quality
    axis_id: Mapped[int | None] = mapped_column(ForeignKey("axes.id"), index=True)
    is_rate: Mapped[bool] = mapped_column(default=False)
    aggregation: Mapped[str] = mapped_column(String(10))  # rate | sum | mean
    baseline: Mapped[Decimal | None] = mapped_column(VALUE)
    target: Mapped[Decimal | None] = mapped_column(VALUE)

    axis: Mapped[Axis | None] = relationship(lazy="joined")


class ActionIndicator(Base):
    __tablename__ = "action_indicators"
    __table_args__ = (UniqueConstraint("action_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)

    indicator: Mapped[Indicator] = relationship(lazy="joined")


class Measurement(TimestampMixin, Base):
    """A value of an indicator for a period (its last day) and a member, or every member."""

    __tablename__ = "measurements"
    __table_args__ = (UniqueConstraint("indicator_id", "period", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    period: Mapped[dt.date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)
    value: Mapped[Decimal] = mapped_column(VALUE)
    numerator: Mapped[Decimal | None] = mapped_column(VALUE)
    denominator: Mapped[Decimal | None] = mapped_column(VALUE)
    source: Mapped[str] = mapped_column(String(120))
