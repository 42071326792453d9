"""SQLAlchemy models of the billing service (its own database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import AuditEntryMixin, TimestampMixin, make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()


class AuditEntry(AuditEntryMixin, Base):
    """Before/after of every write made in this service, with who made it."""

    __tablename__ = "audit_entries"


class FiscalYear(TimestampMixin, Base):
    """Parameters the DSIT sets for a fiscal year: payroll envelope and cap."""

    __tablename__ = "fiscal_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    payroll_envelope_cents: Mapped[int] = mapped_column(BigInteger)
    cap_enabled: Mapped[bool] = mapped_column(default=True)
    cap_window: Mapped[int] = mapped_column(Integer, default=3)


class HistoryTotal(TimestampMixin, Base):
    """A member's billed operating total for a year before Mutualis (imported)."""

    __tablename__ = "history_totals"
    __table_args__ = (UniqueConstraint("fiscal_year", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    member_code: Mapped[str] = mapped_column(String(80), index=True)
    operating_total_cents: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(20))  # api | csv | demo


class Run(TimestampMixin, Base):
    """A billing run (forecast or final) of a fiscal year, computed from its snapshot."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(10))  # forecast | final
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued|running|succeeded|failed
    progress: Mapped[int] = mapped_column(Integer, default=0)
    phase: Mapped[str | None] = mapped_column(String(80))
    launched_by: Mapped[str] = mapped_column(String(200))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    snapshot_hash: Mapped[str | None] = mapped_column(String(80))
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    totals: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    payroll: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pools: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    is_current: Mapped[bool] = mapped_column(default=False)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    replacement_reason: Mapped[str | None] = mapped_column(Text)
    replaced_by_id: Mapped[int | None] = mapped_column(Integer)
    made_available_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class RunSnapshot(Base):
    """Every input of a run, as zlib-compressed canonical JSON, with its content hash."""

    __tablename__ = "run_snapshots"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(80), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class RunMember(Base):
    """One member's results in a run: amounts in cents and its explained lines."""

    __tablename__ = "run_members"
    __table_args__ = (UniqueConstraint("run_id", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    member_code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    is_host: Mapped[bool] = mapped_column()
    invoiced: Mapped[bool] = mapped_column()
    workstations: Mapped[int | None] = mapped_column(Integer)
    payroll_cents: Mapped[int] = mapped_column(BigInteger)
    direct_operating_cents: Mapped[int] = mapped_column(BigInteger)
    direct_investment_cents: Mapped[int] = mapped_column(BigInteger)
    indirect_operating_cents: Mapped[int] = mapped_column(BigInteger)
    indirect_investment_cents: Mapped[int] = mapped_column(BigInteger)
    operating_cents: Mapped[int] = mapped_column(BigInteger)
    cap_reduction_cents: Mapped[int] = mapped_column(BigInteger)
    operating_invoiced_cents: Mapped[int] = mapped_column(BigInteger)
    investment_cents: Mapped[int] = mapped_column(BigInteger)
    cap: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
