"""Dependencies shared by the governance endpoints: permissions, member scope, cursors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy.orm import Session

from kit import audit
from kit.errors import ValidationFailed
from kit.identity import Principal, require
from services.governance.models import AuditEntry

ReadPrincipal = Annotated[Principal, Depends(require("governance:read"))]
WritePrincipal = Annotated[Principal, Depends(require("governance:write"))]
MeasurePrincipal = Annotated[Principal, Depends(require("governance:write", "indicators:write"))]
GdprReader = Annotated[Principal, Depends(require("gdpr:read"))]
GdprWriter = Annotated[Principal, Depends(require("gdpr:write"))]


def after_id(after: list[Any] | None) -> int | None:
    """The id of a ``[id]`` cursor (422 on a forged one)."""
    if after is None:
        return None
    if len(after) != 1 or not isinstance(after[0], int) or isinstance(after[0], bool):
        raise ValidationFailed(
            "The cursor is not one this API gave: restart from the first page.",
            errors=[{"field": "cursor", "message": "invalid cursor", "type": "cursor"}],
        )
    return after[0]


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
