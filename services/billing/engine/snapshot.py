"""The inputs of a run as plain values, their canonical JSON document and its content hash.

A run computes from its snapshot only; the document is sorted and serialised canonically, so
the same inputs always give the same hash (whatever order the upstream services listed them in)
and the same snapshot always gives the same result to the cent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Member:
    code: str
    name: str = ""
    is_host: bool = False
    invoiced: bool = True
    joined_on: str | None = None  # ISO date
    left_on: str | None = None

    def participates_in(self, fiscal_year: int) -> bool:
        joined = self.joined_on is None or self.joined_on <= f"{fiscal_year}-12-31"
        still = self.left_on is None or self.left_on >= f"{fiscal_year}-01-01"
        return joined and still


@dataclass(frozen=True, slots=True)
class CostLine:
    cost_line_id: str
    component_code: str
    section: str  # operating | investment
    mode: str  # direct | indirect
    amount: str
    fiscal_year: int
    service_code: str | None = None
    driver_code: str | None = None
    nature: str | None = None
    allocation: tuple[tuple[str, str], ...] = ()  # (member_code, weight) for direct lines


@dataclass(frozen=True, slots=True)
class Parameters:
    payroll_envelope: str
    cap_enabled: bool = True
    cap_window: int = 3


@dataclass(frozen=True, slots=True)
class HistoryTotal:
    fiscal_year: int
    member_code: str
    operating_total: str
    source: str  # "import" (before Mutualis), "run:<id>" (a final run) or "titles" (net titled)


@dataclass(frozen=True, slots=True)
class Snapshot:
    fiscal_year: int
    parameters: Parameters
    members: tuple[Member, ...] = ()
    workstations: tuple[tuple[str, int], ...] = ()  # (member_code, count)
    drivers: tuple[tuple[str, str], ...] = ()  # (code, unit)
    cost_lines: tuple[CostLine, ...] = ()
    usage: tuple[tuple[str, str, str], ...] = ()  # (driver_code, member_code, quantity)
    history: tuple[HistoryTotal, ...] = ()
    # (kind, code, label): the catalogue's names of the components, services and drivers the
    # run uses, as they were when it ran (kind: "component" | "service" | "driver")
    labels: tuple[tuple[str, str, str], ...] = ()

    def names(self, kind: str) -> dict[str, str]:
        return {code: name for k, code, name in self.labels if k == kind and name}


def to_document(snapshot: Snapshot) -> dict[str, Any]:
    """The canonical JSON-able document (lists sorted on stable keys). ``labels`` is there only
    when the inputs carry names, so a snapshot taken before names were kept hashes as before."""
    doc = {
        "format": SNAPSHOT_FORMAT,
        "fiscal_year": snapshot.fiscal_year,
        "parameters": {
            "payroll_envelope": snapshot.parameters.payroll_envelope,
            "cap": {
                "enabled": snapshot.parameters.cap_enabled,
                "window": snapshot.parameters.cap_window,
            },
        },
        "members": [
            [m.code, m.name, m.is_host, m.invoiced, m.joined_on, m.left_on]
            for m in sorted(snapshot.members, key=lambda m: m.code)
        ],
        # tuples sort much faster than lists and serialise to the same JSON arrays
        "workstations": sorted(snapshot.workstations),
        "drivers": sorted(snapshot.drivers),
        "cost_lines": [
            [
                c.cost_line_id,
                c.component_code,
                c.service_code,
                c.fiscal_year,
                c.section,
                c.mode,
                c.driver_code,
                c.nature,
                c.amount,
                sorted(c.allocation),
            ]
            for c in sorted(snapshot.cost_lines, key=lambda c: c.cost_line_id)
        ],
        "usage": sorted(snapshot.usage),
        "history": sorted(
            [h.fiscal_year, h.member_code, h.operating_total, h.source] for h in snapshot.history
        ),
    }
    if snapshot.labels:
        doc["labels"] = sorted(snapshot.labels)
    return doc


def from_document(doc: dict[str, Any]) -> Snapshot:
    cap = doc["parameters"]["cap"]
    return Snapshot(
        fiscal_year=int(doc["fiscal_year"]),
        parameters=Parameters(
            payroll_envelope=doc["parameters"]["payroll_envelope"],
            cap_enabled=bool(cap["enabled"]),
            cap_window=int(cap["window"]),
        ),
        members=tuple(Member(*row) for row in doc["members"]),
        workstations=tuple((code, int(count)) for code, count in doc["workstations"]),
        drivers=tuple((code, unit) for code, unit in doc["drivers"]),
        cost_lines=tuple(
            CostLine(
                cost_line_id=row[0],
                component_code=row[1],
                service_code=row[2],
                fiscal_year=int(row[3]),
                section=row[4],
                mode=row[5],
                driver_code=row[6],
                nature=row[7],
                amount=row[8],
                allocation=tuple((code, weight) for code, weight in row[9]),
            )
            for row in doc["cost_lines"]
        ),
        usage=tuple((d, m, q) for d, m, q in doc["usage"]),
        history=tuple(HistoryTotal(int(y), m, t, s) for y, m, t, s in doc["history"]),
        labels=tuple((k, c, n) for k, c, n in doc.get("labels", ())),
    )


def canonical_bytes(doc: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8 as is: the same bytes as ``json.dumps(sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` (tested), about 3× faster (orjson)."""
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def content_hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
