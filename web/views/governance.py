"""View models of governance: meetings and decisions, master plans, portfolio and workload,
and the GDPR registers (processor register, breaches and their 72-hour clock, requests)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from web.views.dashboard import ACTION_STATUSES, ActionRow, ProjectRow
from web.views.format import date, number, timestamp

__all__ = ["ACTION_STATUSES", "ActionRow", "ProjectRow"]

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
RISKS = {"none": "Aucun risque", "risk": "Risque", "high_risk": "Risque élevé"}
BREACH_FLAGS = {
    "controller-not-informed": "Responsable de traitement non informé",
    "authority-notification-due": "Notification CNIL à faire",
    "authority-notification-overdue": "Notification CNIL en retard (72 h dépassées)",
    "authority-notified-late": "CNIL notifiée après 72 h",
    "people-to-inform": "Personnes concernées à informer",
}
REQUEST_KINDS = {
    "access": "Accès",
    "rectification": "Rectification",
    "erasure": "Effacement",
    "restriction": "Limitation",
    "portability": "Portabilité",
    "objection": "Opposition",
}
REQUEST_ALERTS = {
    "due-soon": "Échéance proche",
    "overdue": "En retard",
    "answered-late": "Répondue en retard",
}
OUTCOMES = {"granted": "Accordée", "partial": "Partielle", "refused": "Refusée"}


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

    @classmethod
    def of(cls, item: dict[str, Any]) -> MeetingRow:
        members = item.get("members") or []
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
            decisions=[DecisionRow.of(d) for d in item.get("decisions") or []],
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

    @classmethod
    def of(cls, item: dict[str, Any]) -> DecisionRow:
        return cls(
            id=item["id"],
            meeting_id=item.get("meeting_id") or 0,
            number=item.get("number") or 0,
            title=item["title"],
            owner=item.get("owner") or "",
            due_on=date(item.get("due_on")),
            status_label=DECISION_STATUSES.get(item["status"], item["status"]),
            overdue=bool(item.get("overdue")),
            member_code=item.get("member_code") or "",
            action_code=item.get("action_code") or "",
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
    def of(cls, cell: dict[str, Any]) -> WorkloadRow:
        return cls(
            team=cell["team"],
            quarter=cell["quarter"],
            capacity=days(cell.get("capacity")) or "non fixée",
            planned=days(cell.get("planned")),
            load=f"{cell['load']}\u00a0%" if cell.get("load") is not None else "—",
            overloaded=bool(cell.get("overloaded")),
            projects=", ".join(
                f"{code} ({days(planned)}\u00a0j)"
                for code, planned in (cell.get("projects") or {}).items()
            ),
        )


@dataclass(frozen=True)
class ProcessingRow:
    id: int
    category_name: str
    controller_code: str
    processing: str
    sub_processors: str
    security: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> ProcessingRow:
        return cls(
            id=item["id"],
            category_name=item["category_name"],
            controller_code=item["controller_code"],
            processing=item.get("processing_carried_out") or "",
            sub_processors=", ".join(item.get("sub_processors") or []) or "aucun",
            security=item.get("security_measures") or "",
        )


@dataclass(frozen=True)
class BreachRow:
    id: int
    reference: str
    controller_code: str
    title: str
    risk_label: str
    aware_at: str
    deadline_at: str
    hours_remaining: str
    notified_at: str
    flags: list[str]
    urgent: bool
    closed: bool

    @classmethod
    def of(cls, item: dict[str, Any]) -> BreachRow:
        flags = list(item.get("flags") or [])
        remaining = item.get("hours_remaining")
        return cls(
            id=item["id"],
            reference=item["reference"],
            controller_code=item["controller_code"],
            title=item["title"],
            risk_label=RISKS.get(item.get("risk", ""), item.get("risk", "")),
            aware_at=timestamp(item.get("aware_at")),
            deadline_at=timestamp(item.get("deadline_at")),
            hours_remaining=(f"{number(str(remaining))}\u00a0h" if remaining is not None else ""),
            notified_at=timestamp(item.get("authority_notified_at")),
            flags=[BREACH_FLAGS.get(f, f) for f in flags],
            urgent=any(f.startswith("authority-notif") for f in flags),
            closed=bool(item.get("closed_at")),
        )


@dataclass(frozen=True)
class RequestRow:
    id: int
    reference: str
    controller_code: str
    kind_label: str
    received_on: str
    due_on: str
    extended: bool
    answered_on: str
    outcome_label: str
    alert: str
    alert_label: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> RequestRow:
        alert = item.get("alert") or ""
        return cls(
            id=item["id"],
            reference=item["reference"],
            controller_code=item["controller_code"],
            kind_label=REQUEST_KINDS.get(item["kind"], item["kind"]),
            received_on=date(item.get("received_on")),
            due_on=date(item.get("due_on")),
            extended=bool(item.get("extended")),
            answered_on=date(item.get("answered_on")),
            outcome_label=OUTCOMES.get(item.get("outcome") or "", ""),
            alert=alert,
            alert_label=REQUEST_ALERTS.get(alert, ""),
        )
