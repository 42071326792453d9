"""Bodies (instances), their meetings (séances) and the decisions taken there."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kit.db import TimestampMixin
from services.governance.models.base import MEMBER_CODE_LENGTH, Base

if TYPE_CHECKING:
    from services.governance.models.plans import Action


class Body(TimestampMixin, Base):
    """A governance body: political, strategic, user committee or project committee."""

    __tablename__ = "bodies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(30))
    frequency: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # a body proper to one member (e.g. the committee of its own project); None: shared
    member_code: Mapped[str | None] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)


class Meeting(TimestampMixin, Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    location: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # planned | held | cancelled
    agenda: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes: Mapped[str | None] = mapped_column(Text)
    # people attending: [{name, role, member_code, invited, present}]
    people: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    body: Mapped[Body] = relationship(lazy="joined")
    members: Mapped[list[MeetingMember]] = relationship(
        cascade="all, delete-orphan", order_by="MeetingMember.member_code", lazy="selectin"
    )


class MeetingMember(Base):
    """A member invited to a meeting (and whether it was present). A meeting without any
    invited member is open to all of them."""

    __tablename__ = "meeting_members"
    __table_args__ = (UniqueConstraint("meeting_id", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    member_code: Mapped[str] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)
    present: Mapped[bool] = mapped_column(default=False)


class Decision(TimestampMixin, Base):
    """One line of a meeting's relevé de décisions, followed until closed."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    member_code: Mapped[str | None] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"), index=True)

    meeting: Mapped[Meeting] = relationship(lazy="joined")
    action: Mapped[Action | None] = relationship(lazy="joined")
