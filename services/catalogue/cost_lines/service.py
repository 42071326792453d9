"""Rules of cost lines (billing rules, DESIGN.md): a direct line carries fixed weights with a
positive sum, an indirect line names its driver, only an investment may be spread."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kit.audit import record
from kit.errors import ValidationFailed
from kit.french import quoted
from kit.identity import Principal
from services.catalogue.common import from_cents, to_cents
from services.catalogue.components import repository as components
from services.catalogue.cost_lines.schemas import (
    AllocationWeight,
    CostLineCreate,
    CostLineRead,
    CostLineUpdate,
    YearlyAmount,
    YearlyCostLineRead,
)
from services.catalogue.cost_lines.spreading import share_for_year, spread_cents
from services.catalogue.drivers import repository as drivers
from services.catalogue.models import Allocation, AuditEntry, CostLine


def rule_errors(
    *,
    mode: str,
    section: str,
    driver_code: str | None,
    allocation: list[AllocationWeight],
    depreciation_years: int | None,
) -> list[dict[str, str]]:
    """Per-field errors of a cost line against the billing rules (empty when it is valid)."""
    errors: list[dict[str, str]] = []

    def add(field: str, message: str, kind: str, french: str) -> None:
        errors.append({"field": field, "message": message, "type": kind, "message_fr": french})

    if mode == "direct":
        if not allocation or sum((a.weight for a in allocation), Decimal(0)) <= 0:
            add(
                "allocation",
                "A direct cost line needs its allocation key: weights per member, "
                "at least one of them positive (here they are empty or all zero).",
                "empty-weights",
                "Un coût direct a besoin de sa clé de répartition (poids par adhérent, au moins "
                "un positif).",
            )
        if driver_code is not None:
            add(
                "driver_code",
                "A direct cost line has no driver (its weights are fixed).",
                "not-allowed",
                "Un coût direct n'a pas d'inducteur (ses poids sont fixes).",
            )
        members = [a.member_code for a in allocation]
        if len(members) != len(set(members)):
            add(
                "allocation",
                "A member appears twice in the allocation key.",
                "duplicate",
                "Un adhérent figure deux fois dans la clé de répartition.",
            )
    else:
        if driver_code is None:
            add(
                "driver_code",
                "An indirect cost line needs a driver (storage GB, accounts…) "
                "whose measured usage will share it.",
                "missing",
                "Un coût indirect a besoin de son inducteur (Go, comptes…) dont l'usage mesuré "
                "le répartit.",
            )
        if allocation:
            add(
                "allocation",
                "An indirect cost line has no fixed weights: usage of its driver shares it.",
                "not-allowed",
                "Un coût indirect n'a pas de clé de répartition : l'usage de son inducteur le "
                "répartit.",
            )
    if depreciation_years is not None and section != "investment":
        add(
            "depreciation_years",
            "Only an investment line can be spread over years.",
            "not-allowed",
            "Seul un investissement s'amortit sur plusieurs années.",
        )
    return errors


def yearly_amounts(line: CostLine) -> list[YearlyAmount]:
    shares = spread_cents(line.amount_cents, line.depreciation_years or 1)
    return [
        YearlyAmount(fiscal_year=line.fiscal_year + i, amount=from_cents(c))
        for i, c in enumerate(shares)
    ]


def _allocation(line: CostLine, member: str | None) -> list[AllocationWeight]:
    return [
        AllocationWeight(member_code=a.member_code, weight=a.weight)
        for a in sorted(line.allocation, key=lambda a: a.member_code)
        if member is None or a.member_code == member
    ]


def to_read(line: CostLine, *, member: str | None = None) -> CostLineRead:
    return CostLineRead(
        id=line.id,
        component_code=line.component.code,
        service_code=line.component.offering.code if line.component.offering else None,
        fiscal_year=line.fiscal_year,
        section=line.section,
        nature=line.nature,
        amount=from_cents(line.amount_cents),
        mode=line.mode,
        driver_code=line.driver.code if line.driver else None,
        allocation=_allocation(line, member),
        depreciation_years=line.depreciation_years,
        yearly_amounts=yearly_amounts(line),
        label=line.label,
        source=line.source or "manual",
        external_id=line.external_id,
        created_at=line.created_at,
        updated_at=line.updated_at,
    )


def to_yearly(line: CostLine, year: int, *, member: str | None = None) -> YearlyCostLineRead:
    cents = share_for_year(line.amount_cents, line.fiscal_year, line.depreciation_years, year)
    return YearlyCostLineRead(
        cost_line_id=line.id,
        component_code=line.component.code,
        component_name=line.component.name,
        service_code=line.component.offering.code if line.component.offering else None,
        service_name=line.component.offering.name if line.component.offering else None,
        fiscal_year=year,
        section=line.section,
        mode=line.mode,
        driver_code=line.driver.code if line.driver else None,
        nature=line.nature,
        amount=from_cents(cents),
        allocation=_allocation(line, member),
        line_fiscal_year=line.fiscal_year,
        line_amount=from_cents(line.amount_cents),
        depreciation_years=line.depreciation_years,
    )


def apply_fields(session: Session, line: CostLine, data: CostLineCreate) -> None:
    """Check ``data`` against the rules and the stored references, then set it on ``line``."""
    errors = rule_errors(
        mode=data.mode,
        section=data.section,
        driver_code=data.driver_code,
        allocation=data.allocation,
        depreciation_years=data.depreciation_years,
    )
    component = components.get_by_code(session, data.component_code)
    if component is None:
        errors.append(
            {
                "field": "component_code",
                "type": "unknown",
                "message": f"No component '{data.component_code}'",
                "message_fr": f"Aucun composant ne porte le code {quoted(data.component_code)}.",
            }
        )
    driver = drivers.get_by_code(session, data.driver_code) if data.driver_code else None
    if data.driver_code and driver is None:
        errors.append(
            {
                "field": "driver_code",
                "type": "unknown",
                "message": f"No driver '{data.driver_code}'",
                "message_fr": f"Aucun inducteur ne porte le code {quoted(data.driver_code)}.",
            }
        )
    if errors:
        fields = ", ".join(sorted({e["field"] for e in errors}))
        raise ValidationFailed(
            f"The cost line breaks the billing rules ({fields}): "
            + " ".join(e["message"] for e in errors),
            detail_fr="La ligne de coût enfreint les règles de facturation : "
            + " ".join(e["message_fr"] for e in errors),
            errors=errors,
            slug="invalid-cost-line",
        )
    assert component is not None
    line.component = component
    line.driver = driver
    line.fiscal_year = data.fiscal_year
    line.section = data.section
    line.nature = data.nature
    line.amount_cents = to_cents(data.amount)
    line.mode = data.mode
    line.depreciation_years = data.depreciation_years
    line.last_fiscal_year = data.fiscal_year + (data.depreciation_years or 1) - 1
    line.label = data.label
    wanted = {a.member_code: a.weight for a in data.allocation}
    line.allocation = [a for a in line.allocation if a.member_code in wanted]
    for a in line.allocation:
        a.weight = wanted.pop(a.member_code)
    line.allocation.extend(Allocation(member_code=m, weight=w) for m, w in wanted.items())


def create_cost_line(
    session: Session, *, principal: Principal, data: CostLineCreate
) -> CostLineRead:
    line = CostLine()
    apply_fields(session, line, data)
    session.add(line)
    session.flush()
    session.refresh(line)
    result = to_read(line)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="create",
        resource_type="cost_line",
        resource_id=str(line.id),
        after=result,
    )
    return result


def update_cost_line(
    session: Session, *, principal: Principal, line: CostLine, data: CostLineUpdate
) -> CostLineRead:
    before = to_read(line)
    merged: dict[str, Any] = before.model_dump(
        include=set(CostLineCreate.model_fields)
    ) | data.model_dump(exclude_unset=True)
    apply_fields(session, line, CostLineCreate.model_validate(merged))
    session.flush()
    session.refresh(line)
    after = to_read(line)
    record(
        session,
        AuditEntry,
        principal=principal,
        action="update",
        resource_type="cost_line",
        resource_id=str(line.id),
        before=before,
        after=after,
    )
    return after


def delete_cost_line(session: Session, *, principal: Principal, line: CostLine) -> None:
    before = to_read(line)
    session.delete(line)
    session.flush()
    record(
        session,
        AuditEntry,
        principal=principal,
        action="delete",
        resource_type="cost_line",
        resource_id=str(before.id),
        before=before,
    )
