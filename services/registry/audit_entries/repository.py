"""Queries on the registry's audit entries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registry.models import AuditEntry


def list_entries(
    session: Session,
    *,
    limit: int,
    after: int | None = None,
    resource_type: str | None = None,
    resource_id: str | None = None,
) -> Sequence[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id).limit(limit + 1)
    if after is not None:
        query = query.where(AuditEntry.id > after)
    if resource_type is not None:
        query = query.where(AuditEntry.resource_type == resource_type)
    if resource_id is not None:
        query = query.where(AuditEntry.resource_id == resource_id)
    return session.scalars(query).all()
