"""View models of the catalogue: offerings, IS components and an inventory load's report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web.views.format import date

COMPONENT_KINDS = {
    "application": "Application",
    "server": "Serveur",
    "workstation": "Poste de travail",
    "licence": "Licence",
    "network": "Réseau",
    "storage": "Stockage",
    "telephony": "Téléphonie",
    "other": "Autre",
}
COMPONENT_STATUSES = {"in_service": "En service", "retired": "Retiré", "planned": "Prévu"}
OFFERING_STATUSES = {"draft": "Brouillon", "active": "Actif", "retired": "Retiré"}
ITEM_STATUSES = {
    "created": "créé",
    "updated": "modifié",
    "unchanged": "inchangé",
    "rejected": "rejeté",
    "retired": "retiré",
    "deleted": "supprimé",
}


@dataclass(frozen=True)
class OfferingRow:
    code: str
    name: str
    domain: str
    description: str
    status_label: str
    service_levels: list[tuple[str, str]]

    @classmethod
    def of(cls, item: dict[str, Any]) -> OfferingRow:
        return cls(
            item["code"],
            item["name"],
            item.get("domain") or "",
            item.get("description") or "",
            OFFERING_STATUSES.get(item.get("status", ""), item.get("status", "")),
            [(s["indicator"], s["commitment"]) for s in item.get("service_levels") or []],
        )


@dataclass(frozen=True)
class ComponentRow:
    code: str
    name: str
    kind_label: str
    service_code: str
    members: int
    in_service_on: str
    end_of_support_on: str
    status_label: str
    source: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> ComponentRow:
        return cls(
            item["code"],
            item["name"],
            COMPONENT_KINDS.get(item["kind"], item["kind"]),
            item.get("service_code") or "",
            len(item.get("member_codes") or []),
            date(item.get("in_service_on")),
            date(item.get("end_of_support_on")),
            COMPONENT_STATUSES.get(item.get("status", ""), item.get("status", "")),
            item.get("source") or "",
        )


@dataclass(frozen=True)
class ReportRow:
    row: int | None
    key: str
    status: str
    status_label: str
    detail: str


@dataclass(frozen=True)
class LoadReport:
    dry_run: bool
    summary: list[tuple[str, int]]
    rows: list[ReportRow]  # every row that was not unchanged, rejected first

    @classmethod
    def of(cls, body: dict[str, Any]) -> LoadReport:
        rows = [
            ReportRow(
                item.get("row"),
                item.get("key", ""),
                item["status"],
                ITEM_STATUSES.get(item["status"], item["status"]),
                "; ".join(f"{e['field']} : {e['message']}" for e in item.get("errors", []))
                or ", ".join(item.get("changed_fields", [])),
            )
            for item in body.get("items", [])
            if item["status"] != "unchanged"
        ]
        rows.sort(key=lambda r: (r.status != "rejected", r.row or 0))
        return cls(
            dry_run=bool(body.get("dry_run")),
            summary=[(ITEM_STATUSES.get(k, k), v) for k, v in body.get("summary", {}).items()],
            rows=rows,
        )
