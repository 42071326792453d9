"""SQLAlchemy models of the catalogue service (its own database).

Money is stored as integer cents (``amount_cents``); weights and quantities as exact decimals.
Member codes are the registry's codes, stored as given (not checked here: billing reports
unknown codes when it runs).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kit.db import AuditEntryMixin, TimestampMixin, UtcDateTime, make_metadata, utcnow

QUANTITY = Numeric(20, 6)


class Base(DeclarativeBase):
    metadata = make_metadata()


class AuditEntry(AuditEntryMixin, Base):
    """Before/after of every write made in this service, with who made it."""

    __tablename__ = "audit_entries"


class Offering(TimestampMixin, Base):
    """An offering of the service catalogue (``services`` in the public API)."""

    __tablename__ = "offerings"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    service_levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="draft")


class OfferingChange(Base):
    """One change of an offering, kept so members can follow how the catalogue evolves."""

    __tablename__ = "offering_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offerings.id"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    change: Mapped[str] = mapped_column(String(20))  # created | updated | status
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> {"from":…, "to":…}
    note: Mapped[str] = mapped_column(Text, default="")


class Subscription(TimestampMixin, Base):
    """A member subscribes to an offering."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("offering_id", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offerings.id"))
    member_code: Mapped[str] = mapped_column(String(80), index=True)
    since: Mapped[dt.date | None] = mapped_column(Date)


class Component(TimestampMixin, Base):
    """A component of the information system, fed by hand or by an inventory tool."""

    __tablename__ = "components"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    offering_id: Mapped[int | None] = mapped_column(ForeignKey("offerings.id"), index=True)
    member_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    in_service_on: Mapped[dt.date | None] = mapped_column(Date)
    end_of_support_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(60), default="manual")
    external_id: Mapped[str] = mapped_column(String(200))
    locked_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    serial: Mapped[str | None] = mapped_column(String(200))
    manufacturer: Mapped[str | None] = mapped_column(String(200))
    model: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(300))
    # when an inventory load or an agent's push last carried this component
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    offering: Mapped[Offering | None] = relationship(lazy="joined")


class GlpiMemberMapping(TimestampMixin, Base):
    """Which member a GLPI agent's tag or a GLPI entity (complete name, or id) stands for."""

    __tablename__ = "glpi_member_mappings"
    __table_args__ = (UniqueConstraint("match", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match: Mapped[str] = mapped_column(String(10))  # tag | entity
    value: Mapped[str] = mapped_column(String(300))
    member_code: Mapped[str] = mapped_column(String(80), index=True)


class Driver(TimestampMixin, Base):
    """A unit of usage measured per member (inducteur): storage GB, accounts…"""

    __tablename__ = "drivers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(200), default="", server_default="")
    unit: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")


class CostLine(TimestampMixin, Base):
    """An amount of a component for a fiscal year and a section (coût de possession)."""

    __tablename__ = "cost_lines"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("components.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    section: Mapped[str] = mapped_column(String(20))
    nature: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    mode: Mapped[str] = mapped_column(String(20))
    driver_id: Mapped[int | None] = mapped_column(ForeignKey("drivers.id"))
    depreciation_years: Mapped[int | None] = mapped_column(Integer)
    # last fiscal year this line counts in (fiscal_year + depreciation_years - 1): lets the
    # yearly query stay a plain range scan
    last_fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    label: Mapped[str] = mapped_column(String(300), default="")
    # where an imported line comes from (the financial software) and its id there (mandate or
    # voucher number): a new import of the same file updates instead of duplicating
    source: Mapped[str] = mapped_column(String(60), default="manual", server_default="manual")
    external_id: Mapped[str | None] = mapped_column(String(200))

    component: Mapped[Component] = relationship(lazy="joined")
    driver: Mapped[Driver | None] = relationship(lazy="joined")
    allocation: Mapped[list[Allocation]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="Allocation.member_code"
    )


class Allocation(Base):
    """The fixed weight of a member in a direct cost line (allocation key)."""

    __tablename__ = "allocations"
    __table_args__ = (UniqueConstraint("cost_line_id", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cost_line_id: Mapped[int] = mapped_column(ForeignKey("cost_lines.id", ondelete="CASCADE"))
    member_code: Mapped[str] = mapped_column(String(80))
    weight: Mapped[Decimal] = mapped_column(QUANTITY)


class UsageMeasurement(TimestampMixin, Base):
    """How much of a driver a member used in a fiscal year."""

    __tablename__ = "usage_measurements"
    __table_args__ = (UniqueConstraint("fiscal_year", "driver_id", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    driver_id: Mapped[int] = mapped_column(ForeignKey("drivers.id"))
    member_code: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    reference_date: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(60), default="manual")


class IdempotencyRecord(Base):
    """The answer given to a write carrying an ``Idempotency-Key``, replayed on a retry."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("principal", "key", "endpoint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))
    endpoint: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class StaffingProfile(TimestampMixin, Base):
    """A profile of IT staff a member would hire on its own, with the DSIT's reference yearly
    employer cost (salary and employer contributions), its source and year: editable figures."""

    __tablename__ = "staffing_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    yearly_cost_cents: Mapped[int] = mapped_column(BigInteger)
    reference_year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    # the smallest share of a post a body can hire for this profile (a part-time post)
    min_fte: Mapped[Decimal] = mapped_column(Numeric(6, 3))
    description: Mapped[str] = mapped_column(Text, default="")


class StaffingNeed(TimestampMixin, Base):
    """How much of a full-time post of a profile a body needs to run a catalogue service on its
    own, from a size (workstations) up: the band of a body is the need with the greatest
    ``min_workstations`` not above its count."""

    __tablename__ = "staffing_needs"
    __table_args__ = (UniqueConstraint("offering_id", "profile_id", "min_workstations"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offerings.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("staffing_profiles.id"), index=True)
    min_workstations: Mapped[int] = mapped_column(Integer, default=0)
    fte: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    note: Mapped[str] = mapped_column(Text, default="")

    offering: Mapped[Offering] = relationship(lazy="joined")
    profile: Mapped[StaffingProfile] = relationship(lazy="joined")
