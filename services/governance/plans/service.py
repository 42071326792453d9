"""Rules of master plans: actions on an axis, with members concerned and indicators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from kit.errors import Conflict, ValidationFailed
from kit.identity import Principal
from services.governance.deps import record
from services.governance.indicators import repository as indicators
from services.governance.models import Action, ActionIndicator, ActionMember, Axis
from services.governance.plans import repository
from services.governance.plans.schemas import ActionCreate, ActionUpdate

CLOSED = {"done", "cancelled"}


def is_late(action: Action, today: dt.date) -> bool:
    return action.ends_on is not None and action.ends_on < today and action.status not in CLOSED


def mean_progress(actions: Sequence[Action]) -> int:
    """Mean progress of the actions that count (cancelled ones do not), rounded down."""
    counted = [a.progress for a in actions if a.status != "cancelled"]
    return sum(counted) // len(counted) if counted else 0


def axis_read(axis: Axis, actions: Sequence[Action], indicator_codes: list[str]) -> dict[str, Any]:
    return {
        "code": axis.code,
        "position": axis.position,
        "name": axis.name,
        "description": axis.description,
        "actions": len(actions),
        "actions_done": sum(1 for a in actions if a.status == "done"),
        "progress": mean_progress(actions),
        "indicators": indicator_codes,
    }


def to_read(
    action: Action,
    *,
    indicators: list[dict[str, Any]] | None = None,
    decisions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "code": action.code,
        "axis_code": action.axis.code,
        "axis_name": action.axis.name,
        "title": action.title,
        "description": action.description,
        "owner": action.owner,
        "status": action.status,
        "progress": action.progress,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "late": is_late(action, dt.date.today()),
        "member_codes": [m.member_code for m in action.members],
        "indicator_codes": sorted(link.indicator.code for link in action.indicator_links),
        "indicators": indicators,
        "decisions": decisions,
    }


def _indicator_ids(session: Session, codes: list[str], field: str) -> list[int]:
    found = {i.code: i.id for i in indicators.by_codes(session, codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(
            f"Unknown indicators: {', '.join(missing)}",
            detail_fr="Indicateurs inconnus : " + ", ".join(f"« {c} »" for c in missing) + ".",
            errors=[
                {
                    "field": field,
                    "message": f"unknown indicator {c}",
                    "type": "unknown",
                    "message_fr": f"Indicateur « {c} » inconnu.",
                }
                for c in missing
            ],
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _set_links(
    session: Session,
    action: Action,
    member_codes: list[str] | None,
    indicator_codes: list[str] | None,
    field_prefix: str = "",
) -> None:
    if member_codes is not None:
        wanted = set(member_codes)
        for row in list(action.members):
            if row.member_code not in wanted:
                action.members.remove(row)
        have = {m.member_code for m in action.members}
        for code in sorted(wanted - have):
            action.members.append(ActionMember(member_code=code))
    if indicator_codes is not None:
        ids = set(_indicator_ids(session, indicator_codes, f"{field_prefix}indicator_codes"))
        for link in list(action.indicator_links):
            if link.indicator_id not in ids:
                action.indicator_links.remove(link)
        have_ids = {link.indicator_id for link in action.indicator_links}
        for indicator_id in sorted(ids - have_ids):
            action.indicator_links.append(ActionIndicator(indicator_id=indicator_id))


def create_action(
    session: Session, *, principal: Principal, data: ActionCreate, field_prefix: str = ""
) -> Action:
    if repository.action_by_code(session, data.code) is not None:
        raise Conflict(
            f"An action '{data.code}' already exists.",
            detail_fr=f"Une action « {data.code} » existe déjà.",
            slug="action-exists",
        )
    axis = repository.axis_by_code(session, data.axis_code)
    if axis is None:
        raise ValidationFailed(
            f"No axis '{data.axis_code}'.",
            detail_fr=f"L'axe « {data.axis_code} » n'existe pas.",
            errors=[
                {
                    "field": f"{field_prefix}axis_code",
                    "message": "unknown axis",
                    "type": "unknown",
                    "message_fr": "Axe inconnu.",
                }
            ],
        )
    action = Action(
        code=data.code,
        axis=axis,
        title=data.title,
        description=data.description,
        owner=data.owner,
        status=data.status,
        progress=100 if data.status == "done" else data.progress,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
    )
    session.add(action)
    _set_links(session, action, data.member_codes, data.indicator_codes, field_prefix)
    session.flush()
    record(
        session,
        principal,
        action="create",
        resource_type="action",
        resource_id=action.code,
        after=to_read(action),
    )
    return action


def update_action(
    session: Session,
    *,
    principal: Principal,
    action: Action,
    data: ActionUpdate,
    field_prefix: str = "",
) -> Action:
    before = to_read(action)
    changes = data.model_dump(exclude_unset=True)
    for field in ("title", "owner", "status", "progress"):
        if changes.get(field) is not None:
            setattr(action, field, changes[field])
    for field in ("description", "starts_on", "ends_on"):
        if field in changes:
            setattr(action, field, changes[field])
    if action.starts_on and action.ends_on and action.ends_on < action.starts_on:
        raise ValidationFailed(
            "ends_on is before starts_on",
            detail_fr="La date de fin précède la date de début.",
            errors=[
                {
                    "field": f"{field_prefix}ends_on",
                    "message": "before starts_on",
                    "type": "value_error",
                    "message_fr": "Avant la date de début.",
                }
            ],
        )
    if action.status == "done":
        action.progress = 100
    _set_links(
        session, action, changes.get("member_codes"), changes.get("indicator_codes"), field_prefix
    )
    session.flush()
    record(
        session,
        principal,
        action="update",
        resource_type="action",
        resource_id=action.code,
        before=before,
        after=to_read(action),
    )
    return action
