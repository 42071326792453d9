"""View models of the catalogue: offerings, IS components, drivers, cost lines, usage and the
reports of bulk loads — every code turned into its French label, dates and amounts French."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from web.views.catalogue_labels import (
    COMPONENT_KINDS,
    DOMAINS,
    FIELD_LABELS,
    ITEM_STATUSES,
    LIFECYCLE,
    MODES,
    NATURES,
    OFFERING_STATUSES,
    SECTIONS,
    label,
    source_label,
)
from web.views.format import date, euros, local_time, number

__all__ = ["COMPONENT_KINDS", "OFFERING_STATUSES", "ITEM_STATUSES"]


@dataclass(frozen=True)
class OfferingRow:
    code: str
    name: str
    domain: str
    domain_code: str
    description: str
    status: str
    status_label: str
    service_levels: list[tuple[str, str]]

    @classmethod
    def of(cls, item: dict[str, Any]) -> OfferingRow:
        return cls(
            item["code"],
            item["name"],
            label(DOMAINS, item.get("domain")),
            item.get("domain") or "",
            item.get("description") or "",
            item.get("status", ""),
            label(OFFERING_STATUSES, item.get("status")),
            [(s["indicator"], s["commitment"]) for s in item.get("service_levels") or []],
        )


def lifecycle(item: dict[str, Any], today: dt.date) -> str:
    """Where a component stands: planned, in service, support ending or over, retired."""
    if item.get("retired_on"):
        return "retired"
    start, end = item.get("in_service_on"), item.get("end_of_support_on")
    if start and dt.date.fromisoformat(start) > today:
        return "planned"
    if end:
        end_date = dt.date.fromisoformat(end)
        if end_date < today:
            return "unsupported"
        if end_date <= today + dt.timedelta(days=365):
            return "support_ending"
    return "in_service"


@dataclass(frozen=True)
class ComponentRow:
    code: str
    name: str
    kind_label: str
    service_code: str
    service_name: str
    members: int
    in_service_on: str
    end_of_support_on: str
    retired_on: str
    status_label: str
    lifecycle: str
    source: str
    source_code: str
    last_seen: str  # when an inventory load or an agent's push last carried it (Paris time)
    serial: str
    manufacturer: str
    model: str
    location: str

    @classmethod
    def of(
        cls,
        item: dict[str, Any],
        services: dict[str, str] | None = None,
        today: dt.date | None = None,
    ) -> ComponentRow:
        stage = lifecycle(item, today or dt.date.today())
        service = item.get("service_code") or ""
        return cls(
            item["code"],
            item["name"],
            label(COMPONENT_KINDS, item["kind"]),
            service,
            (services or {}).get(service, service),
            len(item.get("member_codes") or []),
            date(item.get("in_service_on")),
            date(item.get("end_of_support_on")),
            date(item.get("retired_on")),
            LIFECYCLE[stage],
            stage,
            source_label(item.get("source")),
            item.get("source") or "",
            local_time(item.get("last_seen_at")),
            item.get("serial") or "",
            item.get("manufacturer") or "",
            item.get("model") or "",
            item.get("location") or "",
        )


@dataclass(frozen=True)
class DriverRow:
    code: str
    label: str
    unit: str
    description: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> DriverRow:
        return cls(
            item["code"],
            item.get("label") or item["code"],
            item["unit"],
            item.get("description") or "",
        )


@dataclass(frozen=True)
class CostLineRow:
    id: int
    component_code: str
    component_name: str
    fiscal_year: int
    section: str
    nature: str
    amount: str
    amount_raw: str
    mode: str
    driver: str
    allocation: list[tuple[str, str]]
    depreciation_years: int | None
    yearly: list[tuple[int, str]]
    label: str
    reference: str

    @classmethod
    def of(
        cls,
        item: dict[str, Any],
        *,
        components: dict[str, str],
        drivers: dict[str, str],
        members: dict[str, str],
    ) -> CostLineRow:
        driver = item.get("driver_code")
        return cls(
            item["id"],
            item["component_code"],
            components.get(item["component_code"], item["component_code"]),
            item["fiscal_year"],
            label(SECTIONS, item["section"]),
            label(NATURES, item["nature"]),
            euros(item["amount"]),
            item["amount"],
            label(MODES, item["mode"]).split(" (")[0],
            drivers.get(driver, driver) if driver else "",
            [
                (members.get(a["member_code"], a["member_code"]), number(a["weight"]))
                for a in item.get("allocation") or []
            ],
            item.get("depreciation_years"),
            [(y["fiscal_year"], euros(y["amount"])) for y in item.get("yearly_amounts") or []],
            item.get("label") or "",
            item.get("external_id") or "",
        )


@dataclass(frozen=True)
class UsageRow:
    member: str
    member_code: str
    quantity: str
    reference_date: str
    source: str

    @classmethod
    def of(cls, item: dict[str, Any], members: dict[str, str]) -> UsageRow:
        code = item["member_code"]
        return cls(
            members.get(code, code),
            code,
            number(item["quantity"]),
            date(item.get("reference_date")),
            "saisie manuelle" if item.get("source") == "manual" else item.get("source") or "",
        )


@dataclass(frozen=True)
class ReportRow:
    row: int | None
    key: str
    status: str
    status_label: str
    detail: str
    errors: list[tuple[str, str]]  # every error of the row: (column label, message)


@dataclass(frozen=True)
class LoadReport:
    dry_run: bool
    summary: list[tuple[str, int]]
    rows: list[ReportRow]  # every row that was not unchanged, rejected first
    ignored_columns: list[str]

    @classmethod
    def of(cls, body: dict[str, Any], names: dict[str, str] | None = None) -> LoadReport:
        """``names``: code → label, to name each part of a row's key (``2026 storage_gb
        ludres`` → ``2026 Stockage Ludres``) instead of showing codes."""
        names = names or {}
        rows = [
            ReportRow(
                item.get("row"),
                " ".join(names.get(part, part) for part in str(item.get("key", "")).split(" ")),
                item["status"],
                label(ITEM_STATUSES, item["status"]),
                ", ".join(FIELD_LABELS.get(f, f) for f in item.get("changed_fields", [])),
                [
                    (FIELD_LABELS.get(e["field"], e["field"]), e["message"])
                    for e in item.get("errors", [])
                ],
            )
            for item in body.get("items", [])
            if item["status"] != "unchanged"
        ]
        rows.sort(key=lambda r: (r.status != "rejected", r.row or 0))
        return cls(
            dry_run=bool(body.get("dry_run")),
            summary=[(label(ITEM_STATUSES, k), v) for k, v in body.get("summary", {}).items()],
            rows=rows,
            ignored_columns=list(body.get("ignored_columns") or []),
        )
