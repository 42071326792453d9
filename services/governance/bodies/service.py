"""Rules of governance bodies: unique codes, audited writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit.errors import Conflict
from kit.identity import Principal
from services.governance.bodies import repository
from services.governance.bodies.schemas import BodyCreate, BodyUpdate
from services.governance.deps import record
from services.governance.models import Body


def to_read(body: Body) -> dict[str, Any]:
    return {
        "code": body.code,
        "name": body.name,
        "level": body.level,
        "frequency": body.frequency,
        "topic": body.topic,
        "description": body.description,
        "member_code": body.member_code,
    }


def create_body(session: Session, *, principal: Principal, data: BodyCreate) -> Body:
    if repository.get_by_code(session, data.code) is not None:
        raise Conflict(
            f"A body '{data.code}' already exists.",
            detail_fr=f"Une instance « {data.code} » existe déjà.",
            slug="body-exists",
        )
    body = Body(**data.model_dump())
    session.add(body)
    session.flush()
    record(
        session,
        principal,
        action="create",
        resource_type="body",
        resource_id=body.code,
        after=to_read(body),
    )
    return body


def update_body(session: Session, *, principal: Principal, body: Body, data: BodyUpdate) -> Body:
    before = to_read(body)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is not None or field in {"topic", "description"}:
            setattr(body, field, value)
    session.flush()
    record(
        session,
        principal,
        action="update",
        resource_type="body",
        resource_id=body.code,
        before=before,
        after=to_read(body),
    )
    return body
