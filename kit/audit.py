"""Each service records the before/after of its own writes, with the principal who made them."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import Session

from kit.db import AuditEntryMixin
from kit.identity import Principal
from kit.logging import current_request_id


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
