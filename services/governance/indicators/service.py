"""Rules of indicators: rates from numerator and denominator, aggregation across members."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from kit.errors import Conflict, ValidationFailed
from kit.identity import Principal
from services.governance.deps import record
from services.governance.fields import fmt_value
from services.governance.indicators import repository
from services.governance.indicators.schemas import (
    IndicatorCreate,
    IndicatorUpdate,
    MeasurementBatch,
)
from services.governance.models import Indicator, Measurement
from services.governance.models.plans import ALL_MEMBERS
from services.governance.plans import repository as plans

SIX_PLACES = Decimal("0.000001")


def rate_value(numerator: Decimal, denominator: Decimal, unit: str) -> Decimal:
    """numerator / denominator, in percent when the unit is ``%``, to 6 decimals (half-up)."""
    ratio = numerator / denominator * (100 if unit.strip() == "%" else 1)
    return ratio.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def aggregate(
    aggregation: str, unit: str, values: Sequence[tuple[Decimal, Decimal | None, Decimal | None]]
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Members' (value, numerator, denominator) → the overall (value, numerator, denominator).

    A rate is recomputed as Σnumerators / Σdenominators (never a mean of rates); a sum adds
    the values; a mean averages them."""
    if not values:
        return None, None, None
    if aggregation == "rate":
        num = sum((v[1] for v in values if v[1] is not None), Decimal(0))
        den = sum((v[2] for v in values if v[2] is not None), Decimal(0))
        return (rate_value(num, den, unit) if den else None), num, den
    total = sum((v[0] for v in values), Decimal(0))
    if aggregation == "sum":
        return total, None, None
    return (total / len(values)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP), None, None


def to_read(indicator: Indicator, **extra: Any) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "category": indicator.category,
        "axis_code": indicator.axis.code if indicator.axis else None,
        "is_rate": indicator.is_rate,
        "aggregation": indicator.aggregation,
        "baseline": indicator.baseline,
        "target": indicator.target,
        **extra,
    }


def measurement_read(indicator: Indicator, m: Measurement) -> dict[str, Any]:
    return {
        "indicator_code": indicator.code,
        "period": m.period,
        "member_code": None if m.scope == ALL_MEMBERS else m.scope,
        "value": m.value,
        "numerator": m.numerator,
        "denominator": m.denominator,
        "source": m.source,
    }


def create_indicator(session: Session, *, principal: Principal, data: IndicatorCreate) -> Indicator:
    if repository.by_code(session, data.code) is not None:
        raise Conflict(
            f"An indicator '{data.code}' already exists.",
            detail_fr=f"Un indicateur « {data.code} » existe déjà.",
            slug="indicator-exists",
        )
    axis = None
    if data.axis_code is not None:
        axis = plans.axis_by_code(session, data.axis_code)
        if axis is None:
            raise ValidationFailed(
                f"No axis '{data.axis_code}'.",
                detail_fr=f"L'axe « {data.axis_code} » n'existe pas.",
                errors=[
                    {
                        "field": "axis_code",
                        "message": "unknown axis",
                        "type": "unknown",
                        "message_fr": "Axe inconnu.",
                    }
                ],
            )
    indicator = Indicator(
        **data.model_dump(exclude={"axis_code", "aggregation"}),
        axis=axis,
        aggregation="rate" if data.is_rate else (data.aggregation or "sum"),
    )
    session.add(indicator)
    session.flush()
    record(
        session,
        principal,
        action="create",
        resource_type="indicator",
        resource_id=indicator.code,
        after=to_read(indicator),
    )
    return indicator


def update_indicator(
    session: Session, *, principal: Principal, indicator: Indicator, data: IndicatorUpdate
) -> Indicator:
    before = to_read(indicator)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is not None or field in {"baseline", "target"}:
            setattr(indicator, field, value)
    session.flush()
    record(
        session,
        principal,
        action="update",
        resource_type="indicator",
        resource_id=indicator.code,
        before=before,
        after=to_read(indicator),
    )
    return indicator


def _french(value: Decimal) -> str:
    """``1234.5`` → ``1234,5``: a value as a French reader writes it."""
    return format(value.normalize(), "f").replace(".", ",")


def _checked_value(indicator: Indicator, item: Any, index: int) -> Decimal:
    field = f"measurements.{index}"
    if indicator.is_rate:
        if item.numerator is None or item.denominator is None:
            raise ValidationFailed(
                f"{indicator.code} is a rate: give numerator and denominator.",
                detail_fr=f"L'indicateur « {indicator.name} » est un taux : donnez le numérateur "
                "et le dénominateur.",
                errors=[
                    {
                        "field": f"{field}.denominator",
                        "message": "a rate needs numerator and denominator",
                        "type": "missing",
                        "message_fr": "Un taux demande un numérateur et un dénominateur.",
                    }
                ],
            )
        computed = rate_value(item.numerator, item.denominator, indicator.unit)
        if item.value is not None and item.value.quantize(SIX_PLACES) != computed:
            raise ValidationFailed(
                f"value {item.value} is not numerator/denominator ({computed}).",
                detail_fr=f"La valeur {_french(item.value)} n'est pas le numérateur divisé par "
                f"le dénominateur ({_french(computed)}).",
                errors=[
                    {
                        "field": f"{field}.value",
                        "message": f"expected {computed}",
                        "type": "inconsistent",
                        "message_fr": f"{_french(computed)} est attendu.",
                    }
                ],
            )
        return computed
    if item.value is None:
        raise ValidationFailed(
            "value is required.",
            detail_fr="La valeur est obligatoire.",
            errors=[
                {
                    "field": f"{field}.value",
                    "message": "required",
                    "type": "missing",
                    "message_fr": "Obligatoire.",
                }
            ],
        )
    return Decimal(item.value)


def record_measurements(
    session: Session, *, principal: Principal, indicator: Indicator, batch: MeasurementBatch
) -> dict[str, int]:
    """Upsert keyed by (period, member): idempotent, so a machine may resend a batch. A token
    restricted to a member measures that member only (not another, not the overall value)."""
    principal.ensure_writes_only_its_member(item.member_code for item in batch.measurements)
    keyed: dict[tuple[dt.date, str], tuple[Decimal, Any]] = {}
    for index, item in enumerate(batch.measurements):
        keyed[item.period, item.member_code or ALL_MEMBERS] = (
            _checked_value(indicator, item, index),
            item,
        )
    existing = repository.measurements_for(session, indicator.id, [k[0] for k in keyed])
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for (period, scope), (value, item) in keyed.items():
        fields = {
            "value": value,
            "numerator": item.numerator,
            "denominator": item.denominator,
            "source": item.source,
        }
        row = existing.get((period, scope))
        if row is None:
            row = Measurement(indicator_id=indicator.id, period=period, scope=scope, **fields)
            session.add(row)
            counts["created"] += 1
            continue
        before = measurement_read(indicator, row)
        if all(_same(getattr(row, k), v) for k, v in fields.items()):
            counts["unchanged"] += 1
            continue
        for key, value_ in fields.items():
            setattr(row, key, value_)
        counts["updated"] += 1
        record(
            session,
            principal,
            action="update",
            resource_type="measurement",
            resource_id=f"{indicator.code}/{period}/{scope}",
            before=before,
            after=measurement_read(indicator, row),
        )
    session.flush()
    record(
        session,
        principal,
        action="ingest",
        resource_type="indicator",
        resource_id=indicator.code,
        after={**counts, "count": len(keyed)},
    )
    return counts


def _same(stored: Any, new: Any) -> bool:
    if isinstance(stored, Decimal) or isinstance(new, Decimal):
        return stored is not None and new is not None and Decimal(stored) == Decimal(new)
    return bool(stored == new)


def series(
    indicator: Indicator, rows: Sequence[Measurement], *, with_members: bool
) -> list[dict[str, Any]]:
    """Per period: the aggregate over members, the overall value reported as such if any."""
    by_period: dict[dt.date, list[Measurement]] = defaultdict(list)
    for row in rows:
        by_period[row.period].append(row)
    points = []
    for period in sorted(by_period):
        members = [m for m in by_period[period] if m.scope != ALL_MEMBERS]
        reported = next((m.value for m in by_period[period] if m.scope == ALL_MEMBERS), None)
        value, num, den = aggregate(
            indicator.aggregation,
            indicator.unit,
            [(m.value, m.numerator, m.denominator) for m in members],
        )
        points.append(
            {
                "period": period,
                "value": value if members else reported,
                "numerator": num,
                "denominator": den,
                "members": len(members),
                "reported": reported,
                "member_values": {m.scope: m.value for m in members} if with_members else None,
            }
        )
    return points


def latest(indicator: Indicator, rows: Sequence[Measurement]) -> dict[str, Any] | None:
    points = series(indicator, rows, with_members=False)
    if not points:
        return None
    last = points[-1]
    value = last["value"]
    return {
        "period": last["period"],
        "value": None if value is None else fmt_value(value),
        "members": last["members"],
    }
