"""Each service records the before/after of its own writes, with the principal who made them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.db import AuditEntryMixin, DbSession
from kit.identity import Principal, require
from kit.logging import current_request_id
from kit.pagination import PageParams, build_page, page_params


def record(
    session: Session,
    model: type[AuditEntryMixin],
    *,
    principal: Principal,
    action: str,
    resource_type: str,
    resource_id: str,
    before: Any = None,
    after: Any = None,
) -> None:
    """Add one audit entry to the session (committed with the write it describes)."""
    session.add(
        model(  # type: ignore[call-arg]
            principal=principal.audit_name,
            action=action,
            resource_type=resource_type,
            resource_id=str(resource_id),
            before=jsonable_encoder(before) if before is not None else None,
            after=jsonable_encoder(after) if after is not None else None,
            request_id=current_request_id(),
        )
    )


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: dt.datetime
    principal: str
    action: str
    resource_type: str
    resource_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


class AuditEntryPage(BaseModel):
    items: list[AuditEntryRead]
    next_cursor: str | None = None


def list_entries(
    session: Session,
    model: type[AuditEntryMixin],
    *,
    limit: int,
    after: int | None,
    resource_type: str | None,
    resource_id: str | None,
) -> Sequence[AuditEntryMixin]:
    query = select(model).order_by(model.id).limit(limit + 1)
    if after is not None:
        query = query.where(model.id > after)
    if resource_type is not None:
        query = query.where(model.resource_type == resource_type)
    if resource_id is not None:
        query = query.where(model.resource_id == resource_id)
    return session.scalars(query).all()


def audit_router(model: type[AuditEntryMixin]) -> APIRouter:
    """``GET /audit-entries``: a service's before/after trail, oldest first (``audit:read``)."""
    router = APIRouter(tags=["audit"])

    @router.get("/audit-entries", response_model=AuditEntryPage)
    def list_audit_entries(
        request: Request,
        response: Response,
        session: DbSession,
        _: Annotated[Principal, Depends(require("audit:read"))],
        page: Annotated[PageParams, Depends(page_params)],
        resource_type: Annotated[str | None, Query(max_length=60)] = None,
        resource_id: Annotated[str | None, Query(max_length=200)] = None,
    ) -> AuditEntryPage:
        after = page.after
        after_id = int(after[0]) if after and isinstance(after[0], int) else None
        rows = list_entries(
            session,
            model,
            limit=page.limit,
            after=after_id,
            resource_type=resource_type,
            resource_id=resource_id,
        )
        items, cursor = build_page(request, response, rows, limit=page.limit, key=lambda e: [e.id])
        return AuditEntryPage(
            items=[AuditEntryRead.model_validate(e) for e in items], next_cursor=cursor
        )

    return router
