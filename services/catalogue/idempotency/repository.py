"""Queries of idempotency records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.catalogue.models import IdempotencyRecord


def find(session: Session, *, principal: str, key: str, endpoint: str) -> IdempotencyRecord | None:
    return session.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.principal == principal,
            IdempotencyRecord.key == key,
            IdempotencyRecord.endpoint == endpoint,
        )
    ).one_or_none()
