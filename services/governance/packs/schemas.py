"""Schemas of the strategic committee's pack."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class PackArchive(BaseModel):
    confirm: bool = Field(
        description="Must be true: archiving is irreversible (the pack never changes after)"
    )


class PackRead(BaseModel):
    meeting_id: int
    period_from: dt.date
    period_to: dt.date
    generated_at: dt.datetime
    generated_by: str
    html_sha256: str = Field(description="SHA-256 of the archived HTML bytes")
    pdf_sha256: str = Field(description="SHA-256 of the archived PDF bytes")
    html_size: int
    pdf_size: int
    links: dict[str, str]
    content: dict[str, Any] | None = Field(
        None, description="The figures the archived documents show (decimals as strings)"
    )
