"""Rules of usage ingestion: one measurement per (fiscal year, driver, member), upserted;
``PUT`` replaces the whole set of the driver for the year, ``POST`` adds and updates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kit.audit import record
from kit.i18n import say
from kit.identity import Principal
from services.catalogue.bulk import BulkResult, ItemError, ItemResult, finish, validate_item
from services.catalogue.models import AuditEntry, Driver, UsageMeasurement
from services.catalogue.usage import repository
from services.catalogue.usage.schemas import MeasurementIn, MeasurementsLoad, UsageRead


def to_read(measurement: UsageMeasurement, driver_code: str) -> UsageRead:
    return UsageRead(
        driver_code=driver_code,
        member_code=measurement.member_code,
        quantity=measurement.quantity,
        reference_date=measurement.reference_date,
        source=measurement.source,
    )


def _changed(stored: UsageMeasurement, values: dict[str, Any]) -> list[str]:
    return [
        field
        for field in ("quantity", "reference_date", "source")
        if (Decimal(stored.quantity) if field == "quantity" else getattr(stored, field))
        != values[field]
    ]


def _member_code(raw: object) -> object:
    return raw.get("member_code") if isinstance(raw, dict) else None


def ingest_usage(
    session: Session,
    *,
    principal: Principal,
    year: int,
    driver: Driver,
    load: MeasurementsLoad,
    replace: bool,
) -> BulkResult:
    principal.ensure_writes_only_its_member(
        [None] if replace else [_member_code(raw) for raw in load.measurements]
    )  # a PUT replaces every member's measurements: never for a member-scoped token
    stored = repository.for_driver(session, year=year, driver_id=driver.id)
    results: list[ItemResult] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, raw in enumerate(load.measurements):
        item, errors = validate_item(MeasurementIn, raw)
        key = str(raw.get("member_code", "")) if isinstance(raw, dict) else ""
        if item is not None and item.member_code in seen:
            message = say("this member appears twice", "Cet adhérent apparaît deux fois.")
            errors = [ItemError(field="member_code", message=message)]

        if item is None or errors:
            seen.add(key)
            results.append(ItemResult(index=index, key=key, status="rejected", errors=errors))
            continue
        seen.add(item.member_code)
        values = {
            "quantity": item.quantity,
            "reference_date": item.reference_date or load.reference_date,
            "source": item.source or load.source,
        }
        current = stored.get(item.member_code)
        if current is None:
            inserts.append(
                {
                    "fiscal_year": year,
                    "driver_id": driver.id,
                    "member_code": item.member_code,
                    **values,
                }
            )
            results.append(ItemResult(index=index, key=item.member_code, status="created"))
            continue
        changed = _changed(current, values)
        if changed:
            updates.append({"id": current.id, **values})
        results.append(
            ItemResult(
                index=index,
                key=item.member_code,
                status="updated" if changed else "unchanged",
                changed_fields=changed,
            )
        )
    removed = [m for code, m in sorted(stored.items()) if replace and code not in seen]
    results.extend(
        ItemResult(index=len(load.measurements) + i, key=m.member_code, status="deleted")
        for i, m in enumerate(removed)
    )
    result = finish(results, options=load, collection="measurements")
    if load.dry_run:
        return result
    repository.insert_many(session, inserts)
    repository.update_many(session, updates)
    repository.delete_ids(session, [m.id for m in removed])
    session.flush()
    record(
        session,
        AuditEntry,
        principal=principal,
        action="replace" if replace else "upsert",
        resource_type="usage",
        resource_id=f"{year}/{driver.code}",
        after={"summary": result.summary, "source": load.source},
    )
    return result
