"""GDPR registers of a DSIT that is processor (art. 28) for every member."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import TimestampMixin, UtcDateTime
from services.governance.models.base import MEMBER_CODE_LENGTH, Base


class ProcessorEntry(TimestampMixin, Base):
    """Art. 30.2: one entry per (category of processing × member controller)."""

    __tablename__ = "processor_entries"
    __table_args__ = (UniqueConstraint("category_code", "controller_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_code: Mapped[str] = mapped_column(String(80))
    category_name: Mapped[str] = mapped_column(String(200))
    controller_code: Mapped[str] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)
    controller_dpo: Mapped[str | None] = mapped_column(String(200))
    processing_carried_out: Mapped[str] = mapped_column(Text)
    sub_processors: Mapped[list[str]] = mapped_column(JSON, default=list)
    transfers: Mapped[str | None] = mapped_column(Text)
    transfer_safeguards: Mapped[str | None] = mapped_column(Text)
    security_measures: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)


class ProcessingRecord(TimestampMixin, Base):
    """Art. 30.1: a member's own processing that the DSIT hosts (kept for the controller)."""

    __tablename__ = "processing_records"
    __table_args__ = (UniqueConstraint("controller_code", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    controller_code: Mapped[str] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)
    name: Mapped[str] = mapped_column(String(200))
    processor_entry_id: Mapped[int | None] = mapped_column(ForeignKey("processor_entries.id"))
    purposes: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(String(30))
    data_subjects: Mapped[list[str]] = mapped_column(JSON, default=list)
    data_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    sensitive_data: Mapped[bool] = mapped_column(default=False)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    transfers: Mapped[str | None] = mapped_column(Text)
    transfer_safeguards: Mapped[str | None] = mapped_column(Text)
    retention: Mapped[str | None] = mapped_column(Text)
    security_measures: Mapped[str | None] = mapped_column(Text)


class SubProcessor(TimestampMixin, Base):
    """A sub-processor of the DSIT with the art. 28.3 terms of its contract."""

    __tablename__ = "sub_processors"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    contract_signed_on: Mapped[dt.date | None] = mapped_column(Date)
    contract_ends_on: Mapped[dt.date | None] = mapped_column(Date)
    terms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    transfer_safeguards: Mapped[str | None] = mapped_column(Text)


class Breach(TimestampMixin, Base):
    """Art. 33.5: a personal-data breach as it concerns one member controller."""

    __tablename__ = "breaches"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    controller_code: Mapped[str] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)
    title: Mapped[str] = mapped_column(String(300))
    facts: Mapped[str] = mapped_column(Text)
    effects: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    risk: Mapped[str] = mapped_column(String(20))  # none | risk | high_risk
    people_affected: Mapped[int | None]
    aware_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    controller_informed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    authority_notified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    people_informed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    late_reason: Mapped[str | None] = mapped_column(Text)


class SubjectRequest(TimestampMixin, Base):
    """A data-subject request (art. 15-22) received for a member controller."""

    __tablename__ = "subject_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    controller_code: Mapped[str] = mapped_column(String(MEMBER_CODE_LENGTH), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[dt.date] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(default=False)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))  # granted | partial | refused
    summary: Mapped[str | None] = mapped_column(Text)
