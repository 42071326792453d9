"""The table of what-if simulations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import TimestampMixin
from services.billing.base import Base


class Simulation(TimestampMixin, Base):
    """A what-if simulation: named changes to the inputs of a base run, computed on demand with
    the engine on a copy of the run's snapshot; nothing of the run, its titles or inputs moves.
    ``member_code`` is the member whose contact made it (its own figures only), None for the
    DSIT's (any change, every member's lines)."""

    __tablename__ = "simulations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    base_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    member_code: Mapped[str | None] = mapped_column(String(80), index=True)
    created_by: Mapped[str] = mapped_column(String(200))
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
