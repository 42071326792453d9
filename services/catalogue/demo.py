"""Demo data for ``make run``: a plausible catalogue and inventory, fictional figures.

Offerings by domain, components (messaging, storage, finance and HR software, telephony,
network, security, workstations), drivers, cost lines for 2024 to 2026 (direct with fixed
weights, indirect with a driver, a spread investment) and the members' usage.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.catalogue import demo_staffing
from services.catalogue.demo_data import (
    COMPONENTS as COMPONENTS,
)
from services.catalogue.demo_data import (
    DRIVERS as DRIVERS,
)
from services.catalogue.demo_data import (
    GLPI_ENTITIES as GLPI_ENTITIES,
)
from services.catalogue.demo_data import (
    GLPI_ROOT as GLPI_ROOT,
)
from services.catalogue.demo_data import (
    GLPI_ROOT_MEMBER as GLPI_ROOT_MEMBER,
)
from services.catalogue.demo_data import (
    MEMBERS as MEMBERS,
)
from services.catalogue.demo_data import (
    OFFERINGS as OFFERINGS,
)
from services.catalogue.demo_data import (
    YEARS as YEARS,
)
from services.catalogue.models import (
    Allocation,
    Component,
    CostLine,
    Driver,
    GlpiMemberMapping,
    Offering,
    OfferingChange,
    Subscription,
    UsageMeasurement,
)


def _is_empty(session: Session) -> bool:
    return not any(
        session.scalar(select(func.count()).select_from(model))
        for model in (Offering, Component, Driver, CostLine)
    )


def _weights(members: list[str]) -> list[Allocation]:
    return [Allocation(member_code=m, weight=Decimal(MEMBERS[m])) for m in members]


def load(session: Session) -> bool:
    if not _is_empty(session):
        return False
    rng = random.Random(2026)
    offerings: dict[str, Offering] = {}
    for code, name, domain, description, levels in OFFERINGS:
        status = "draft" if code == "ia-generative" else "active"
        offering = Offering(
            code=code,
            name=name,
            domain=domain,
            description=description,
            status=status,
            service_levels=[{"indicator": i, "commitment": c} for i, c in levels],
        )
        session.add(offering)
        offerings[code] = offering
    session.flush()
    for offering in offerings.values():
        session.add(
            OfferingChange(
                offering_id=offering.id,
                change="created",
                changes={"status": {"from": None, "to": offering.status}},
                note="Catalogue initial de la convention",
            )
        )
        for member in MEMBERS:
            if offering.status == "active" and (
                offering.code != "finances-rh" or MEMBERS[member] > 30
            ):
                session.add(
                    Subscription(
                        offering_id=offering.id, member_code=member, since=dt.date(2024, 1, 1)
                    )
                )
    drivers = {
        code: Driver(code=code, label=label, unit=unit, description=d)
        for code, label, unit, d in DRIVERS
    }
    session.add_all(drivers.values())
    everyone = list(MEMBERS)
    for code, name, kind, offering_code, driver, amount, nature in COMPONENTS:
        users = (
            everyone
            if driver or code != "ciril-finances"
            else [m for m in everyone if MEMBERS[m] > 30]
        )
        component = Component(
            code=code,
            name=name,
            kind=kind,
            offering=offerings[offering_code],
            member_codes=sorted(users),
            source="manual",
            external_id=code,
            in_service_on=dt.date(2019 + rng.randint(0, 5), rng.randint(1, 12), 1),
            end_of_support_on=dt.date(2025 + rng.randint(0, 6), 12, 31),
        )
        session.add(component)
        for year in YEARS:
            if amount == 0:
                continue
            cents = round(amount * (1 + 0.03 * (year - 2024)) * 100)
            session.add(
                CostLine(
                    component=component,
                    fiscal_year=year,
                    section="operating",
                    nature=nature,
                    amount_cents=cents,
                    mode="indirect" if driver else "direct",
                    driver=drivers[driver] if driver else None,
                    last_fiscal_year=year,
                    allocation=[] if driver else _weights(users),
                    label=f"{name} {year}",
                )
            )
        if kind == "workstation":  # a purchase spread over 4 years
            session.add(
                CostLine(
                    component=component,
                    fiscal_year=2024,
                    section="investment",
                    nature="acquisition",
                    amount_cents=412_345_67,
                    mode="indirect",
                    driver=drivers["workstations"],
                    depreciation_years=4,
                    last_fiscal_year=2027,
                    label="Renouvellement de 520 postes (amorti sur 4 ans)",
                )
            )
    session.add(
        CostLine(
            component=_find(session, "san-netapp"),
            fiscal_year=2025,
            section="investment",
            nature="acquisition",
            amount_cents=180_000_00,
            mode="direct",
            depreciation_years=5,
            last_fiscal_year=2029,
            label="Extension de la baie (5 ans)",
            allocation=_weights(everyone),
        )
    )
    _usage(session, drivers, rng)
    _glpi_mappings(session)
    session.flush()
    demo_staffing.load(session)
    return True


def _glpi_mappings(session: Session) -> None:
    """Each member's GLPI entity and the agents' tag (the member code), when none is mapped;
    GLPI's root entity (id 0, where untagged inventories go) is the host's, the Métropole."""
    if session.scalar(select(func.count()).select_from(GlpiMemberMapping)):
        return
    session.add(GlpiMemberMapping(match="entity", value="0", member_code=GLPI_ROOT_MEMBER))
    for member, entity in GLPI_ENTITIES.items():
        session.add(
            GlpiMemberMapping(match="entity", value=f"{GLPI_ROOT} > {entity}", member_code=member)
        )
        session.add(GlpiMemberMapping(match="tag", value=member, member_code=member))


def _find(session: Session, code: str) -> Component:
    return next(c for c in session.new if isinstance(c, Component) and c.code == code)


def _usage(session: Session, drivers: dict[str, Driver], rng: random.Random) -> None:
    per_agent = {
        "storage_gb": 42,
        "mail_accounts": 1.1,
        "business_app_accounts": 0.15,
        "phone_lines": 0.8,
        "workstations": 0.9,
    }
    session.flush()
    for year in YEARS:
        for code, driver in drivers.items():
            for member, size in MEMBERS.items():
                growth = 1 + 0.05 * (year - 2024)
                quantity = Decimal(round(size * per_agent[code] * growth * rng.uniform(0.8, 1.2)))
                session.add(
                    UsageMeasurement(
                        fiscal_year=year,
                        driver_id=driver.id,
                        member_code=member,
                        quantity=max(quantity, Decimal(1)),
                        reference_date=dt.date(year, 12, 31)
                        if year < 2026
                        else dt.date(2026, 9, 30),
                        source="demo",
                    )
                )
