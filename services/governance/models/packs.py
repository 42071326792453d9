"""The strategic committee's pack (dossier du comité stratégique) archived with its meeting.

Once stored, a pack is never changed: its HTML and PDF bytes, their SHA-256 and the figures they
show stay as they were generated (an update is refused by the ORM itself)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String, event
from sqlalchemy.orm import Mapped, mapped_column

from kit.db import UtcDateTime, utcnow
from services.governance.models.base import Base


class StrategicPack(Base):
    """One archived pack per meeting of a strategic body."""

    __tablename__ = "strategic_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    # the figures the documents show, as JSON (what GET /meetings/{id}/pack answers)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    html: Mapped[bytes] = mapped_column(LargeBinary)
    html_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    generated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    generated_by: Mapped[str] = mapped_column(String(200))


class ArchivedPackChanged(RuntimeError):
    """An archived pack was about to be changed: a bug, never a user's request."""


@event.listens_for(StrategicPack, "before_update")
def _never_changed(_mapper: Any, _connection: Any, target: StrategicPack) -> None:
    raise ArchivedPackChanged(f"the archived pack {target.id} may not be changed")
