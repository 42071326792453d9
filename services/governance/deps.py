"""Dependencies shared by the governance endpoints: permissions, member scope, cursors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy.orm import Session

from kit import audit
from kit.identity import Principal, require
from kit.pagination import after_id  # noqa: F401 - the governance endpoints import it here
from services.governance.models import AuditEntry

ReadPrincipal = Annotated[Principal, Depends(require("governance:read"))]
WritePrincipal = Annotated[Principal, Depends(require("governance:write"))]
MeasurePrincipal = Annotated[Principal, Depends(require("governance:write", "indicators:write"))]
GdprReader = Annotated[Principal, Depends(require("gdpr:read"))]
GdprWriter = Annotated[Principal, Depends(require("gdpr:write"))]


def visible_to(principal: Principal, member_code: str | None) -> bool:
    """A member-scoped principal sees shared items (no member) and its own member's."""
    return principal.member is None or member_code is None or member_code == principal.member


def record(
    session: Session,
    principal: Principal,
    *,
    action: str,
    resource_type: str,
    resource_id: object,
    before: Any = None,
    after: Any = None,
) -> None:
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id),
        before=before,
        after=after,
    )
