"""A member's explanation kept as integers and references, formatted only when it is read.

``compute`` records each line as a tuple: a header shared by every member of the allocation (the
cost line, the pool or the payroll envelope, with the allocation's denominator Σw and how many
remainder cents it handed out) and the member's own integers (weight or usage, floor in cents,
remainder cent, remainder numerator, rank). ``format_lines`` turns them into the lines the API,
the web pages and the documents show (the same dictionaries as before, to the character).

A run stores each member's records as one zlib'd JSON blob (``encode`` / ``decode``, format
``v: 2``), self-contained: the component and service names it needs travel with it.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from services.billing.engine.allocation import rounding
from services.billing.engine.money import fmt
from services.billing.labels import CAP_LINE, NATURES, PAYROLL_LINE, label

FORMAT = 2

# header of the payroll allocation: (envelope_str, total_workstations, rate_str, envelope_cents,
#   denominator, leftover); row: (header, workstations, floor, extra, remainder, rank)
# header of a direct cost line: (cost_line_id, component_code, service_code, nature, section,
#   line_cents, total_weight_str, denominator, leftover); row: (header, weight_str, floor, extra,
#   remainder, rank)
# header of a pool: (pool, driver_code, driver_label, unit, section, amount_cents,
#   total_usage_str, unit_price, denominator, leftover); row: (header, usage_str, floor, extra,
#   remainder, rank)
Row = Sequence[Any]


def _rounding(row: Row, amount_cents: int, denominator: int, leftover: int) -> dict[str, object]:
    return rounding(row[2], row[3], row[4], denominator, row[5], leftover, amount_cents < 0)


def direct_label(
    components: Mapping[str, str],
    services: Mapping[str, str],
    component: str,
    nature: str | None,
    service: str | None,
) -> str:
    """ "Boucle fibre métropolitaine — hébergement": the component's name and what is paid."""
    name = components.get(component, component)
    what = label(NATURES, nature) if nature else (services.get(service, service) if service else "")
    return f"{name} — {what}" if what else name


def format_lines(
    payroll: Row | None,
    direct: Sequence[Row],
    indirect: Sequence[Row],
    cap_cents: int | None,
    cap_basis: dict[str, Any] | None,
    components: Mapping[str, str],
    services: Mapping[str, str],
) -> list[dict[str, Any]]:
    """The member's explained lines: payroll share, direct lines, indirect lines, cap."""
    lines: list[dict[str, Any]] = []
    if payroll is not None:
        head = payroll[0]
        cents = payroll[2] + payroll[3]
        lines.append(
            {
                "line": 1,
                "amount": fmt(cents),
                "kind": "payroll",
                "section": "operating",
                "label": PAYROLL_LINE,
                "basis": {
                    "payroll_envelope": head[0],
                    "total_workstations": head[1],
                    "rate_per_workstation": head[2],
                    "workstations": payroll[1],
                },
                "rounding": _rounding(payroll, head[3], head[4], head[5]),
            }
        )
    for row in direct:
        line_id, component, service, nature, section, line_cents, total, denom, left = row[0]
        lines.append(
            {
                "line": len(lines) + 1,
                "amount": fmt(row[2] + row[3]),
                "kind": "direct",
                "section": section,
                "label": direct_label(components, services, component, nature, service),
                "basis": {
                    "cost_line_id": line_id,
                    "component_code": component,
                    "component_name": components.get(component, component),
                    "service_code": service,
                    "service_name": services.get(service, service) if service else "",
                    "nature": nature,
                    "nature_label": label(NATURES, nature),
                    "line_amount": fmt(line_cents),
                    "weight": row[1],
                    "total_weight": total,
                },
                "rounding": _rounding(row, line_cents, denom, left),
            }
        )
    for row in indirect:
        pool, driver, driver_label, unit, section, amount, total_usage, price, denom, left = row[0]
        lines.append(
            {
                "line": len(lines) + 1,
                "amount": fmt(row[2] + row[3]),
                "kind": "indirect",
                "section": section,
                "label": f"{driver_label} ({unit})" if unit else driver_label,
                "basis": {
                    "pool": pool,
                    "driver_code": driver,
                    "driver_label": driver_label,
                    "unit": unit,
                    "pool_amount": fmt(amount),
                    "usage": row[1],
                    "total_usage": total_usage,
                    "unit_price": price,
                },
                "rounding": _rounding(row, amount, denom, left),
            }
        )
    if cap_cents:
        lines.append(
            {
                "line": len(lines) + 1,
                "amount": fmt(cap_cents),
                "kind": "cap",
                "section": "operating",
                "label": CAP_LINE,
                "basis": cap_basis,
            }
        )
    return lines


def encode(
    payroll: Row | None,
    direct: Sequence[Row],
    indirect: Sequence[Row],
    cap_cents: int | None,
    components: Mapping[str, str],
    services: Mapping[str, str],
) -> bytes:
    """One member's records as a zlib'd JSON blob, with the names its lines show."""
    return compress(document(payroll, direct, indirect, cap_cents, components, services))


def compress(data: bytes) -> bytes:
    """zlib, fastest level (releases the GIL: a run compresses its members in threads)."""
    return zlib.compress(data, 1)


def document(
    payroll: Row | None,
    direct: Sequence[Row],
    indirect: Sequence[Row],
    cap_cents: int | None,
    components: Mapping[str, str],
    services: Mapping[str, str],
) -> bytes:
    """One member's records as JSON (``encode`` before compression)."""
    used_components: dict[str, str] = {}
    used_services: dict[str, str] = {}
    for row in direct:
        head = row[0]
        if head[1] in components:
            used_components[head[1]] = components[head[1]]
        if head[2] in services:
            used_services[head[2]] = services[head[2]]
    records = {
        "v": FORMAT,
        "payroll": payroll,
        "direct": direct,
        "indirect": indirect,
        "cap": cap_cents,
        "components": used_components,
        "services": used_services,
    }
    return orjson.dumps(records)


def decode(blob: bytes, cap_basis: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The member's explained lines from its stored blob (``cap_basis``: its ``cap`` column)."""
    document = orjson.loads(zlib.decompress(blob))
    if document.get("v") != FORMAT:
        raise ValueError(f"unknown explanation format {document.get('v')!r}")
    return format_lines(
        document["payroll"],
        document["direct"],
        document["indirect"],
        document["cap"],
        cap_basis,
        document["components"],
        document["services"],
    )
