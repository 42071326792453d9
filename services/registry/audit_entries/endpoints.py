"""HTTP endpoint of the registry's audit trail (who changed what, before and after)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from kit.db import DbSession
from kit.identity import Principal, require
from kit.pagination import PageParams, build_page, page_params
from services.registry.audit_entries import repository
from services.registry.audit_entries.schemas import AuditEntryPage, AuditEntryRead

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
    try:
        after_id = int(after[0]) if after else None
    except (TypeError, ValueError):
        after_id = None
    rows = repository.list_entries(
        session,
        limit=page.limit,
        after=after_id,
        resource_type=resource_type,
        resource_id=resource_id,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda e: [e.id])
    return AuditEntryPage(
        items=[AuditEntryRead.model_validate(e) for e in items], next_cursor=next_cursor
    )
