"""View models of governance: meetings and decisions, master plans (axes, actions,
indicators), the project portfolio and the workload plan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from web.views.format import date, euros, number
from web.views.governance_labels import percent, quarter_label, team_label

LEVELS = {
    "political": "Politique",
    "strategic": "Stratégique",
    "user_committee": "Comité des utilisateurs",
    "project_committee": "Comité de projet",
}
MEETING_STATUSES = {"planned": "Prévue", "held": "Tenue", "cancelled": "Annulée"}
DECISION_STATUSES = {
    "open": "Ouverte",
    "in_progress": "En cours",
    "done": "Réalisée",
    "cancelled": "Abandonnée",
}
PROJECT_STATUSES = {
    "proposed": "Proposé",
    "active": "En cours",
    "on_hold": "Suspendu",
    "done": "Terminé",
    "cancelled": "Abandonné",
}
PRIORITIES = {"low": "Basse", "medium": "Moyenne", "high": "Haute", "critical": "Critique"}
PHASES = {
    "study": "Étude",
    "design": "Conception",
    "build": "Réalisation",
    "deploy": "Déploiement",
    "run": "Exploitation",
}
ACTION_STATUSES = {
    "planned": "Prévue",
    "in_progress": "En cours",
    "done": "Réalisée",
    "suspended": "Suspendue",
    "cancelled": "Abandonnée",
}
INDICATOR_CATEGORIES = {"plan": "Schéma directeur", "activity": "Activité", "quality": "Qualité"}


@dataclass(frozen=True)
class MeetingRow:
    id: int
    body_name: str
    level_label: str
    title: str
    held_on: str
    location: str
    status_label: str
    members_present: int
    members_invited: int
    agenda: list[str]
    minutes: str
    decisions: list[DecisionRow]
    members: list[tuple[str, bool]]  # (member's name, present)
    people: list[tuple[str, str, bool]]  # (name, role and member, present)
    status: str

    @classmethod
    def of(cls, item: dict[str, Any], names: dict[str, str] | None = None) -> MeetingRow:
        members = item.get("members") or []
        names = names or {}
        return cls(
            id=item["id"],
            body_name=item.get("body_name") or item.get("body_code", ""),
            level_label=LEVELS.get(item.get("level", ""), item.get("level", "")),
            title=item["title"],
            held_on=date(item.get("held_on")),
            location=item.get("location") or "",
            status_label=MEETING_STATUSES.get(item["status"], item["status"]),
            members_present=sum(1 for m in members if m.get("present")),
            members_invited=len(members),
            agenda=list(item.get("agenda") or []),
            minutes=item.get("minutes") or "",
            decisions=[DecisionRow.of(d, names) for d in item.get("decisions") or []],
            members=sorted(
                (
                    (names.get(m["member_code"], m["member_code"]), bool(m.get("present")))
                    for m in members
                ),
                key=lambda m: m[0].casefold(),
            ),
            people=[
                (
                    p["name"],
                    ", ".join(
                        x for x in (p.get("role"), names.get(p.get("member_code") or "", "")) if x
                    ),
                    bool(p.get("present")),
                )
                for p in item.get("people") or []
            ],
            status=item["status"],
        )


@dataclass(frozen=True)
class DecisionRow:
    id: int
    meeting_id: int
    number: int
    title: str
    owner: str
    due_on: str
    status_label: str
    overdue: bool
    member_code: str
    action_code: str
    member_name: str
    status: str

    @classmethod
    def of(cls, item: dict[str, Any], names: dict[str, str] | None = None) -> DecisionRow:
        member = item.get("member_code") or ""
        return cls(
            id=item["id"],
            meeting_id=item.get("meeting_id") or 0,
            number=item.get("number") or 0,
            title=item["title"],
            owner=item.get("owner") or "",
            due_on=date(item.get("due_on")),
            status_label=DECISION_STATUSES.get(item["status"], item["status"]),
            overdue=bool(item.get("overdue")),
            member_code=member,
            action_code=item.get("action_code") or "",
            member_name=(names or {}).get(member, member),
            status=item["status"],
        )


@dataclass(frozen=True)
class AxisRow:
    code: str
    position: int
    name: str
    actions: int
    actions_done: int
    progress: int
    indicators: list[str]

    @classmethod
    def of(cls, item: dict[str, Any]) -> AxisRow:
        return cls(
            code=item["code"],
            position=item["position"],
            name=item["name"],
            actions=item.get("actions", 0),
            actions_done=item.get("actions_done", 0),
            progress=item.get("progress", 0),
            indicators=list(item.get("indicators") or []),
        )


def days(value: Any) -> str:
    """Person-days without useless decimals: ``"15.00"`` → ``15``, ``"2.50"`` → ``2,5``."""
    if value in (None, ""):
        return ""
    return number(format(Decimal(str(value)).normalize(), "f"))


@dataclass(frozen=True)
class WorkloadRow:
    team: str
    quarter: str
    capacity: str
    planned: str
    load: str
    overloaded: bool
    projects: str

    @classmethod
    def of(cls, cell: dict[str, Any], projects: dict[str, str] | None = None) -> WorkloadRow:
        names = projects or {}
        return cls(
            team=team_label(cell["team"]),
            quarter=quarter_label(cell["quarter"]),
            capacity=days(cell.get("capacity")) or "non fixée",
            planned=days(cell.get("planned")),
            load=percent(cell["load"]) if cell.get("load") is not None else "—",
            overloaded=bool(cell.get("overloaded")),
            projects=", ".join(
                f"{names.get(code, code)} ({days(planned)}\u00a0j)"
                for code, planned in (cell.get("projects") or {}).items()
            ),
        )


@dataclass(frozen=True)
class ProjectRow:
    code: str
    name: str
    shared: bool
    status_label: str
    priority_label: str
    phase_label: str
    budget: str
    budget_raw: str
    starts_on: str
    ends_on: str
    next_milestone: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> ProjectRow:
        pending = sorted(
            (m for m in item.get("milestones") or [] if not m.get("done_on")),
            key=lambda m: m["due_on"],
        )
        return cls(
            code=item["code"],
            name=item["name"],
            shared=item.get("member_code") is None,
            status_label=PROJECT_STATUSES.get(item["status"], item["status"]),
            priority_label=PRIORITIES.get(item["priority"], item["priority"]),
            phase_label=PHASES.get(item["phase"], item["phase"]),
            budget=euros(item.get("budget")),
            budget_raw=item.get("budget") or "",
            starts_on=date(item.get("starts_on")),
            ends_on=date(item.get("ends_on")),
            next_milestone=(
                f"{pending[0]['name']} ({date(pending[0]['due_on'])})" if pending else ""
            ),
        )


@dataclass(frozen=True)
class ActionRow:
    code: str
    axis_name: str
    title: str
    owner: str
    status_label: str
    progress: int
    ends_on: str
    late: bool
    for_all: bool

    @classmethod
    def of(cls, item: dict[str, Any]) -> ActionRow:
        return cls(
            code=item["code"],
            axis_name=item.get("axis_name") or item.get("axis_code", ""),
            title=item["title"],
            owner=item.get("owner") or "",
            status_label=ACTION_STATUSES.get(item["status"], item["status"]),
            progress=int(item.get("progress") or 0),
            ends_on=date(item.get("ends_on")),
            late=bool(item.get("late")),
            for_all=not item.get("member_codes"),
        )


def value_with_unit(value: Any, unit: str) -> str:
    if value in (None, ""):
        return "—"
    shown = number(value, decimals=1 if unit == "%" else None)
    return f"{shown}\u00a0{unit}" if unit else shown


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    category_label: str
    unit: str
    period: str
    overall: str
    mine: str
    target: str
    better: str

    @classmethod
    def of(cls, item: dict[str, Any], series: dict[str, Any] | None, member: str) -> IndicatorRow:
        latest = item.get("latest") or {}
        mine = None
        for point in reversed((series or {}).get("points") or []):
            values = point.get("member_values") or {}
            if member in values:
                mine = values[member]
                break
        unit = item.get("unit") or ""
        return cls(
            code=item["code"],
            name=item["name"],
            category_label=INDICATOR_CATEGORIES.get(item["category"], item["category"]),
            unit=unit,
            period=date(latest.get("period")),
            overall=value_with_unit(latest.get("value"), unit),
            mine=value_with_unit(mine, unit),
            target=value_with_unit(item.get("target"), unit),
            better="plus haut" if item.get("direction") == "up" else "plus bas",
        )
