"""Rules of IS components: unique code, unique (source, external id), a known offering,
locked fields that the next inventory load leaves alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kit.audit import record
from kit.errors import Conflict, ValidationFailed
from kit.french import fr_date, quoted
from kit.identity import Principal
from services.catalogue.components import repository
from services.catalogue.components.schemas import ComponentCreate, ComponentRead, ComponentUpdate
from services.catalogue.models import AuditEntry, Component
from services.catalogue.offerings import repository as offerings

DATE_FIELDS = ("in_service_on", "end_of_support_on", "retired_on")
CLEARABLE = (*DATE_FIELDS, "serial", "manufacturer", "model", "location")


def to_read(component: Component, *, member: str | None = None) -> ComponentRead:
    """A component as the API shows it; a member-scoped reader sees only its own member code."""
    members = sorted(component.member_codes or [])
    if member is not None:
        members = [m for m in members if m == member]
    return ComponentRead(
        code=component.code,
        name=component.name,
        kind=component.kind,
        service_code=component.offering.code if component.offering else None,
        member_codes=members,
        in_service_on=component.in_service_on,
        end_of_support_on=component.end_of_support_on,
        retired_on=component.retired_on,
        status="retired" if component.retired_on else "in_service",
        source=component.source,
        external_id=component.external_id,
        locked_fields=sorted(component.locked_fields or []),
        serial=component.serial,
        manufacturer=component.manufacturer,
        model=component.model,
        location=component.location,
        last_seen_at=component.last_seen_at,
        created_at=component.created_at,
        updated_at=component.updated_at,
    )


def resolve_offering_id(session: Session, service_code: str | None) -> int | None:
    if service_code is None:
        return None
    offering = offerings.get_by_code(session, service_code)
    if offering is None:
        french = f"Aucun service du catalogue ne porte le code {quoted(service_code)}."
        raise ValidationFailed(
            f"No service '{service_code}' in the catalogue",
            detail_fr=french,
            errors=[
                {
                    "field": "service_code",
                    "message": "unknown service",
                    "type": "unknown",
                    "message_fr": french,
                }
            ],
        )
    return offering.id


def create_component(
    session: Session, *, principal: Principal, data: ComponentCreate
) -> ComponentRead:
    external_id = data.external_id or data.code
    if repository.get_by_code(session, data.code) is not None:
        raise Conflict(
            f"A component with code '{data.code}' already exists.",
            detail_fr=f"Un composant porte déjà le code {quoted(data.code)} : choisissez-en un "
            "autre.",
            slug="duplicate-code",
        )
    if repository.get_by_external_ids(session, data.source, [external_id]):
        raise Conflict(
            f"Source '{data.source}' already has a component with external id '{external_id}'.",
            detail_fr=f"La source {quoted(data.source)} a déjà un composant d'identifiant "
            f"externe {quoted(external_id)}.",
            slug="duplicate-external-id",
        )
    values = data.model_dump(exclude={"service_code", "external_id"})
    component = Component(
        **values,
        external_id=external_id,
        offering_id=resolve_offering_id(session, data.service_code),
    )
    component.member_codes = sorted(set(data.member_codes))
    session.add(component)
    session.flush()
    session.refresh(component)
    result = to_read(component)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="create",
        resource_type="component",
        resource_id=component.code,
        after=result,
    )
    return result


def update_component(
    session: Session, *, principal: Principal, component: Component, data: ComponentUpdate
) -> ComponentRead:
    before = to_read(component)
    updates: dict[str, Any] = data.model_dump(exclude_unset=True)
    if "service_code" in updates:
        component.offering_id = resolve_offering_id(session, updates.pop("service_code"))
    if "member_codes" in updates and updates["member_codes"] is not None:
        updates["member_codes"] = sorted(set(updates["member_codes"]))
    for field, value in updates.items():
        if value is None and field not in CLEARABLE:
            continue
        setattr(component, field, value)
    _check_dates(component.in_service_on, component.retired_on)
    session.flush()
    session.refresh(component)
    after = to_read(component)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="update",
        resource_type="component",
        resource_id=component.code,
        before=before,
        after=after,
    )
    return after


def _check_dates(in_service_on: dt.date | None, retired_on: dt.date | None) -> None:
    if in_service_on and retired_on and retired_on < in_service_on:
        french = f"Le retrait précède la mise en service ({fr_date(in_service_on)})."
        raise ValidationFailed(
            "retired_on is before in_service_on",
            detail_fr=french,
            errors=[
                {
                    "field": "retired_on",
                    "message": "before in_service_on",
                    "type": "order",
                    "message_fr": french,
                }
            ],
        )
