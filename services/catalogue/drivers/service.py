"""Rules of drivers: a unique code, a unit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kit.audit import record
from kit.errors import Conflict
from kit.french import quoted
from kit.identity import Principal
from services.catalogue.drivers import repository
from services.catalogue.drivers.schemas import DriverCreate, DriverRead, DriverUpdate
from services.catalogue.models import AuditEntry, Driver


def to_read(driver: Driver) -> DriverRead:
    return DriverRead(
        code=driver.code, label=driver.label, unit=driver.unit, description=driver.description
    )


def create_driver(session: Session, *, principal: Principal, data: DriverCreate) -> DriverRead:
    if repository.get_by_code(session, data.code) is not None:
        raise Conflict(
            f"A driver with code '{data.code}' already exists.",
            detail_fr=f"Un inducteur porte déjà le code {quoted(data.code)} : choisissez-en un "
            "autre.",
            slug="duplicate-code",
        )

    driver = Driver(**data.model_dump())
    session.add(driver)
    session.flush()
    result = to_read(driver)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="create",
        resource_type="driver",
        resource_id=driver.code,
        after=result,
    )
    return result


def update_driver(
    session: Session, *, principal: Principal, driver: Driver, data: DriverUpdate
) -> DriverRead:
    before = to_read(driver)
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(driver, field, value)
    session.flush()
    after = to_read(driver)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="update",
        resource_type="driver",
        resource_id=driver.code,
        before=before,
        after=after,
    )
    return after
