"""SQLAlchemy models of the registry service (its own database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import AuditEntryMixin, TimestampMixin, UtcDateTime, make_metadata, utcnow


class Base(DeclarativeBase):
    metadata = make_metadata()


class AuditEntry(AuditEntryMixin, Base):
    """Before/after of every write made in this service, with who made it."""

    __tablename__ = "audit_entries"


class Member(TimestampMixin, Base):
    """An adhérent: a body taking part in the mutualisation. Never deleted once it has history."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    siret: Mapped[str] = mapped_column(String(14), unique=True)
    address_line: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    is_host: Mapped[bool] = mapped_column(Boolean, default=False)
    invoiced: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    # the member as a debtor of revenue titles (PES V2 Tiers, Chorus Pro): optional
    debtor_category: Mapped[str | None] = mapped_column(String(2))  # CatTiers
    legal_nature: Mapped[str | None] = mapped_column(String(2))  # NatJur
    service_code_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    service_code: Mapped[str | None] = mapped_column(String(100))
    commitment_number_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    commitment_number: Mapped[str | None] = mapped_column(String(50))

    __table_args__ = (CheckConstraint("NOT (is_host AND invoiced)", name="host_not_invoiced"),)


class Convention(TimestampMixin, Base):
    """A framework convention: initial term, tacit yearly renewal up to a maximum duration."""

    __tablename__ = "conventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)  # last day of the initial term
    tacit_renewal: Mapped[bool] = mapped_column(Boolean, default=True)
    renewal_months: Mapped[int] = mapped_column(Integer, default=12)
    max_ends_on: Mapped[dt.date | None] = mapped_column(Date)  # last day renewals can reach
    notice_months: Mapped[int] = mapped_column(Integer, default=3)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)  # last day after a denunciation
    deliberation_ref: Mapped[str | None] = mapped_column(String(200))
    deliberated_on: Mapped[dt.date | None] = mapped_column(Date)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("conventions.id"))


class ConventionAmendment(TimestampMixin, Base):
    """An avenant, or a prorogation (``kind=extension``) that moves the end of a convention."""

    __tablename__ = "convention_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # amendment | extension
    reference: Mapped[str] = mapped_column(String(200))
    deliberated_on: Mapped[dt.date | None] = mapped_column(Date)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    extends_to: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("convention_id", "reference"),)


class Adhesion(TimestampMixin, Base):
    """A member's adhesion to a convention (its own deliberation and signature)."""

    __tablename__ = "adhesions"

    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    deliberation_ref: Mapped[str | None] = mapped_column(String(200))
    deliberated_on: Mapped[dt.date | None] = mapped_column(Date)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (UniqueConstraint("convention_id", "member_id"),)


class Contact(TimestampMixin, Base):
    """An interlocuteur habilité of a member. Erasure pseudonymises, it never deletes."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    phone: Mapped[str | None] = mapped_column(String(30))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    dashboard_access: Mapped[bool] = mapped_column(Boolean, default=False)
    # the language of the mails sent to this person: "fr" only (docs/decisions.md)
    language: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")
    erased: Mapped[bool] = mapped_column(Boolean, default=False)
    erased_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class WorkstationCount(Base):
    """One version of a member's workstation count for a fiscal year (append-only history)."""

    __tablename__ = "workstation_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    reference_date: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))  # declared | inventory
    comment: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        CheckConstraint("count >= 0", name="count_not_negative"),
        Index("ix_workstation_counts_member_year", "member_id", "fiscal_year"),
    )


class BudgetCalendar(TimestampMixin, Base):
    """A member's budget steps for a fiscal year: BP, BS and DM dates."""

    __tablename__ = "budget_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    bp_voted_on: Mapped[dt.date | None] = mapped_column(Date)
    bs_voted_on: Mapped[dt.date | None] = mapped_column(Date)
    dm_dates: Mapped[list[Any]] = mapped_column(JSON, default=list)  # ISO dates, sorted

    __table_args__ = (UniqueConstraint("member_id", "fiscal_year"),)


class Notification(Base):
    """A message to a member's contacts (forecast available, titles issued…): the proof of what
    was sent, to whom, with which documents. One delivery per recipient."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    member_code: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    reference: Mapped[str] = mapped_column(String(120))  # forecast:<run id>, invoice:<id>…
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "reference", "member_code"),)


class NotificationAttachment(Base):
    """A document sent with a notification: its bytes are kept, with their SHA-256, for the
    retries and for the proof."""

    __tablename__ = "notification_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Delivery(Base):
    """One recipient of a notification and what the SMTP server answered."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(
        String(10), default="queued"
    )  # queued|sending|sent|failed|dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    smtp_code: Mapped[int | None] = mapped_column(Integer)
    smtp_answer: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_deliveries_status_next", "status", "next_attempt_at"),)


class NotificationOptOut(Base):
    """A contact who does not want the notifications of one kind (never a legally required one)."""

    __tablename__ = "notification_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("contact_id", "kind"),)


class DevMail(Base):
    """A mail received by the development catch-all SMTP server (never in production)."""

    __tablename__ = "dev_mailbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    mail_from: Mapped[str] = mapped_column(String(254))
    rcpt_tos: Mapped[list[str]] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(300))
    data: Mapped[bytes] = mapped_column(LargeBinary)
