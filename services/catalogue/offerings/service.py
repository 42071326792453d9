"""Rules of the service catalogue: unique codes, a history of every change, subscriptions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit.audit import record
from kit.errors import Conflict
from kit.french import quoted
from kit.identity import Principal
from services.catalogue.models import AuditEntry, Offering, OfferingChange, Subscription
from services.catalogue.offerings import repository
from services.catalogue.offerings.schemas import (
    OfferingCreate,
    OfferingRead,
    OfferingUpdate,
    SubscriptionRead,
    SubscriptionWrite,
)

TRACKED = ("name", "domain", "description", "service_levels", "status")


def to_read(offering: Offering) -> OfferingRead:
    return OfferingRead.model_validate(offering, from_attributes=True)


def visible_statuses(principal: Principal) -> list[str] | None:
    """Members see the published catalogue (active and retired offerings); drafts stay with
    the DSIT."""
    return None if principal.member is None else ["active", "retired"]


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        field: {"from": before.get(field), "to": after[field]}
        for field in TRACKED
        if before.get(field) != after[field]
    }


def create_offering(
    session: Session, *, principal: Principal, data: OfferingCreate
) -> OfferingRead:
    if repository.get_by_code(session, data.code) is not None:
        raise Conflict(
            f"A service with code '{data.code}' already exists.",
            detail_fr=f"Un service du catalogue porte déjà le code {quoted(data.code)} : "
            "choisissez-en un autre.",
            slug="duplicate-code",
        )

    values = data.model_dump(mode="json")
    offering = Offering(**values)
    session.add(offering)
    session.flush()
    session.add(
        OfferingChange(
            offering_id=offering.id,
            change="created",
            changes={f: {"from": None, "to": values[f]} for f in TRACKED},
        )
    )
    result = to_read(offering)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="create",
        resource_type="service",
        resource_id=offering.code,
        after=result,
    )
    return result


def update_offering(
    session: Session, *, principal: Principal, offering: Offering, data: OfferingUpdate
) -> OfferingRead:
    before = to_read(offering).model_dump(mode="json")
    updates = data.model_dump(mode="json", exclude_unset=True, exclude={"note"})
    for field, value in updates.items():
        if value is not None:
            setattr(offering, field, value)
    session.flush()
    after = to_read(offering)
    changes = diff(before, after.model_dump(mode="json"))
    if changes:
        kind = "status" if set(changes) == {"status"} else "updated"
        session.add(
            OfferingChange(offering_id=offering.id, change=kind, changes=changes, note=data.note)
        )
        record(
            session,
            AuditEntry,
            principal=principal,
            action="update",
            resource_type="service",
            resource_id=offering.code,
            before=before,
            after=after,
        )
    return after


def subscribe(
    session: Session,
    *,
    principal: Principal,
    offering: Offering,
    member_code: str,
    data: SubscriptionWrite,
) -> tuple[SubscriptionRead, bool]:
    """Subscribe a member (idempotent PUT); returns the subscription and whether it is new."""
    existing = repository.get_subscription(session, offering.id, member_code)
    created = existing is None
    if existing is None:
        existing = Subscription(offering_id=offering.id, member_code=member_code, since=data.since)
        session.add(existing)
    before = None if created else {"since": existing.since}
    existing.since = data.since
    session.flush()
    result = SubscriptionRead(service_code=offering.code, member_code=member_code, since=data.since)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="create" if created else "update",
        resource_type="subscription",
        resource_id=f"{offering.code}/{member_code}",
        before=before,
        after=result,
    )
    return result, created


def unsubscribe(
    session: Session, *, principal: Principal, subscription: Subscription, offering: Offering
) -> None:
    before = SubscriptionRead(
        service_code=offering.code, member_code=subscription.member_code, since=subscription.since
    )
    session.delete(subscription)
    session.flush()
    record(
        session,
        AuditEntry,
        principal=principal,
        action="delete",
        resource_type="subscription",
        resource_id=f"{offering.code}/{subscription.member_code}",
        before=before,
    )
