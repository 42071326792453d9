"""The table of settlements on the attribution de compensation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import TimestampMixin, UtcDateTime
from services.billing.base import Base


class CompensationSettlement(TimestampMixin, Base):
    """A member commune's choice to settle its operating contribution of a year by imputation on
    its attribution de compensation (CGCT L5211-4-2) instead of a title, with the deliberation
    that decided it; the deduction fixed in advance and, at year end, how it was balanced."""

    __tablename__ = "compensation_settlements"
    __table_args__ = (UniqueConstraint("fiscal_year", "member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    member_code: Mapped[str] = mapped_column(String(80), index=True)
    member_name: Mapped[str] = mapped_column(String(200))
    deliberation_ref: Mapped[str] = mapped_column(String(200))
    deliberated_on: Mapped[dt.date] = mapped_column(Date)
    deliberating_body: Mapped[str] = mapped_column(String(200))  # "Conseil municipal de Ludres"
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_media_type: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    basis: Mapped[str] = mapped_column(String(20))  # forecast | previous_year | amount
    basis_run_id: Mapped[int | None] = mapped_column(Integer)
    deducted_cents: Mapped[int] = mapped_column(BigInteger)  # fixed in advance, deducted from AC
    recorded_by: Mapped[str] = mapped_column(String(200))
    # the year-end balancing: title (the final run says more) | reimbursement | none
    balance_kind: Mapped[str | None] = mapped_column(String(20))
    balance_cents: Mapped[int | None] = mapped_column(BigInteger)  # final − deducted
    balance_run_id: Mapped[int | None] = mapped_column(Integer)
    balance_invoice_id: Mapped[int | None] = mapped_column(Integer)
    balanced_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    balanced_by: Mapped[str | None] = mapped_column(String(200))
