"""Inventory ingestion: idempotent upsert of components keyed by (source, external id).

Locked fields (edited by hand) are left alone; in a full load the source's components missing
from the load are marked retired, never deleted. Items are checked first, then written in bulk,
so a dry run and an all-or-nothing refusal write nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from kit.audit import record
from kit.db import utcnow
from kit.i18n import say
from kit.identity import Principal
from services.catalogue.bulk import (
    BulkOptions,
    BulkResult,
    ItemError,
    ItemResult,
    finish,
    validate_item,
)
from services.catalogue.components import repository as components
from services.catalogue.inventory.schemas import InventoryItem, LoadMode
from services.catalogue.models import AuditEntry, Component
from services.catalogue.offerings import repository as offerings

COMPARED = (
    "code",
    "name",
    "kind",
    "offering_id",
    "member_codes",
    "in_service_on",
    "end_of_support_on",
    "retired_on",
    "serial",
    "manufacturer",
    "model",
    "location",
)
LOCK_NAMES = {"offering_id": "service_code"}


@dataclass
class RawItem:
    """An item as received, with where it came from and errors found while reading it."""

    index: int
    raw: Any
    row: int | None = None
    errors: list[ItemError] = field(default_factory=list)
    # fields the source did not report (GLPI without financial information has no end of
    # support): an update leaves them as they are
    leave_alone: frozenset[str] = frozenset()


@dataclass
class Plan:
    results: list[ItemResult] = field(default_factory=list)
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)


def derive_code(source: str, external_id: str) -> str:
    slug = re.sub(r"[^a-z0-9_.-]+", "-", f"{source}-{external_id}".lower()).strip("-")
    return slug[:120]


def _key(raw: Any) -> str:
    return str(raw.get("external_id", "")) if isinstance(raw, dict) else ""


def _values(item: InventoryItem, code: str, offering_id: int | None) -> dict[str, Any]:
    return {
        "code": code,
        "name": item.name,
        "kind": item.kind,
        "offering_id": offering_id,
        "member_codes": sorted(set(item.member_codes)),
        "in_service_on": item.in_service_on,
        "end_of_support_on": item.end_of_support_on,
        "retired_on": item.retired_on,
        "serial": item.serial,
        "manufacturer": item.manufacturer,
        "model": item.model,
        "location": item.location,
    }


def _changes(
    stored: Component, values: dict[str, Any], leave_alone: frozenset[str] = frozenset()
) -> dict[str, Any]:
    locked = set(stored.locked_fields or []) | leave_alone
    changes = {}
    for name in COMPARED:
        if LOCK_NAMES.get(name, name) in locked:
            continue
        current = getattr(stored, name)
        if name == "member_codes":
            current = sorted(current or [])
        if current != values[name]:
            changes[name] = values[name]
    return changes


def plan_load(session: Session, *, source: str, items: list[RawItem], today: dt.date) -> Plan:
    plan = Plan()
    valid: list[tuple[RawItem, InventoryItem]] = []
    seen: set[str] = set()
    for entry in items:
        item, errors = (
            (None, entry.errors) if entry.errors else validate_item(InventoryItem, entry.raw)
        )
        if item is not None and item.external_id in seen:
            errors = [
                ItemError(
                    field="external_id",
                    message=say(
                        "appears twice in this load", "Figure deux fois dans ce chargement."
                    ),
                )
            ]
        seen.add(item.external_id if item is not None else _key(entry.raw))
        if item is None or errors:
            plan.results.append(
                ItemResult(
                    index=entry.index,
                    row=entry.row,
                    key=_key(entry.raw),
                    status="rejected",
                    errors=errors,
                )
            )
        else:
            valid.append((entry, item))
    stored = components.get_by_external_ids(session, source, [i.external_id for _, i in valid])
    services = offerings.get_by_codes(session, {i.service_code for _, i in valid if i.service_code})
    wanted = {i.code or derive_code(source, i.external_id) for _, i in valid}
    taken = components.codes_taken(session, wanted)
    claimed: set[str] = set()
    for entry, item in valid:
        current = stored.get(item.external_id)
        code = item.code or (current.code if current else derive_code(source, item.external_id))
        errors = []
        if item.service_code and item.service_code not in services:
            errors.append(
                ItemError(
                    field="service_code",
                    message=say(
                        f"no service '{item.service_code}' in the catalogue",
                        f"Aucun service « {item.service_code} » au catalogue.",
                    ),
                )
            )
        holder = taken.get(code)
        if (holder and holder != (source, item.external_id)) or code in claimed:
            errors.append(
                ItemError(
                    field="code",
                    message=say(
                        f"code '{code}' is already another component's",
                        f"Le code « {code} » est déjà celui d'un autre composant.",
                    ),
                )
            )
        if errors:
            plan.results.append(
                ItemResult(
                    index=entry.index,
                    row=entry.row,
                    key=item.external_id,
                    status="rejected",
                    errors=errors,
                )
            )
            continue
        claimed.add(code)
        offering = services.get(item.service_code) if item.service_code else None
        values = _values(item, code, offering.id if offering else None)
        result = ItemResult(
            index=entry.index, row=entry.row, key=item.external_id, status="created"
        )
        if current is None:
            plan.inserts.append(
                {**values, "source": source, "external_id": item.external_id, "locked_fields": []}
            )
        else:
            changes = _changes(current, values, entry.leave_alone)
            result.status = "updated" if changes else "unchanged"
            result.changed_fields = sorted(LOCK_NAMES.get(f, f) for f in changes)
            if changes:
                plan.updates.append({"id": current.id, **changes})
        plan.results.append(result)
    return plan


def plan_retirements(
    session: Session, plan: Plan, *, source: str, present: set[str], today: dt.date
) -> None:
    """Full load: the source's in-service components absent from the load are retired."""
    index = max((r.index for r in plan.results), default=-1) + 1
    for component_id, external_id, locked in components.in_service_of_source(session, source):
        if external_id in present or "retired_on" in locked:
            continue
        plan.updates.append({"id": component_id, "retired_on": today})
        plan.results.append(
            ItemResult(
                index=index, key=external_id, status="retired", changed_fields=["retired_on"]
            )
        )
        index += 1


def _ensure_member_scope(
    session: Session, principal: Principal, *, source: str, mode: LoadMode, items: list[RawItem]
) -> None:
    """A token restricted to a member loads components serving that member only: not another
    member's, not shared ones (no member), not one already stored for others (same source and
    external id), and never a ``full`` load, which would retire every other component."""
    codes: list[object] = [None] if mode == "full" else []
    keys = []
    for entry in items:
        raw = entry.raw if isinstance(entry.raw, dict) else {}
        served = raw.get("member_codes")
        codes.extend(served if isinstance(served, list) and served else [None])
        if isinstance(raw.get("external_id"), str):
            keys.append(raw["external_id"])
    for stored in components.get_by_external_ids(session, source, keys).values():
        codes.extend(stored.member_codes or [None])
    principal.ensure_writes_only_its_member(codes)


def ingest(
    session: Session,
    *,
    principal: Principal,
    source: str,
    mode: LoadMode,
    items: list[RawItem],
    options: BulkOptions,
    today: dt.date | None = None,
) -> BulkResult:
    today = today or dt.date.today()
    if principal.member is not None:
        _ensure_member_scope(session, principal, source=source, mode=mode, items=items)
    plan = plan_load(session, source=source, items=items, today=today)
    if mode == "full":
        present = {_key(i.raw) for i in items}
        plan_retirements(session, plan, source=source, present=present, today=today)
    result = finish(plan.results, options=options, collection="items")
    if options.dry_run:
        return result
    components.insert_many(session, plan.inserts)
    components.update_many(session, plan.updates)
    seen = [r.key for r in plan.results if r.status in ("created", "updated", "unchanged")]
    components.mark_seen(session, source, seen, at=utcnow())
    session.flush()
    record(
        session,
        AuditEntry,
        principal=principal,
        action=f"ingest-{mode}",
        resource_type="inventory",
        resource_id=source,
        after={"summary": result.summary, "items": len(items)},
    )
    return result
