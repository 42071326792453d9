"""Schemas of notifications, their deliveries (the proof) and the contacts' opt-outs."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

KindCode = Literal[
    "forecast_available",
    "titles_issued",
    "correction_issued",
    "title_rejected",
    "title_overdue",
    "convention_deadline",
    "decision_due",
    "breach_clock",
    "gdpr_request_due",
]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class AttachmentCreate(BaseModel):
    filename: str = Field(min_length=1, max_length=200, pattern=r"^[^/\\\r\n]+$")
    media_type: str = Field("application/pdf", max_length=100, pattern=r"^[\w.+-]+/[\w.+-]+$")
    content_base64: str = Field(min_length=1, max_length=MAX_ATTACHMENT_BYTES * 4 // 3 + 4)


class NotificationCreate(BaseModel):
    kind: KindCode
    member_code: str = Field(min_length=1, max_length=60)
    reference: str = Field(
        min_length=1,
        max_length=120,
        description="What it is about, e.g. `forecast:12`, `invoice:345`: one notification per "
        "(kind, reference, member); sending the same again answers the first (200).",
    )
    context: dict[str, Any] = Field(default_factory=dict, description="The template's values")
    attachments: list[AttachmentCreate] = Field(default_factory=list, max_length=50)


class AttachmentRead(BaseModel):
    filename: str
    media_type: str
    sha256: str
    size: int


class DeliveryRead(BaseModel):
    id: int
    contact_id: int | None
    email: str
    role: str
    status: Literal["queued", "sending", "sent", "failed", "dead"]
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    smtp_code: int | None = Field(description="The SMTP server's last answer code")
    smtp_answer: str | None = Field(description="The SMTP server's last answer text")
    sent_at: dt.datetime | None = Field(description="When the server accepted the mail")


class NotificationRead(BaseModel):
    id: int
    kind: str
    member_code: str
    subject: str
    reference: str
    requested_by: str
    created_at: dt.datetime
    attachments: list[AttachmentRead]
    deliveries: list[DeliveryRead]
    accepted_at: dt.datetime | None = Field(
        description="When the last of its mails was accepted, once every one was; else null"
    )


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    next_cursor: str | None = None


class OptOuts(BaseModel):
    kinds: list[KindCode] = Field(
        description="The kinds this contact does not receive (never a legally required one)"
    )
