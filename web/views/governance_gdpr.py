"""View models of the GDPR registers: the processor register, the members' records, breaches
with their 72-hour clock and data-subject requests with their deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web.views.format import date, number
from web.views.governance_labels import local_time

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
LEGAL_BASES = {
    "consent": "Consentement",
    "contract": "Contrat",
    "legal_obligation": "Obligation légale",
    "vital_interests": "Intérêts vitaux",
    "public_task": "Mission d'intérêt public",
    "legitimate_interests": "Intérêts légitimes",
}


@dataclass(frozen=True)
class ProcessingRow:
    id: int
    category_name: str
    controller_code: str
    processing: str
    sub_processors: str
    security: str

    @classmethod
    def of(cls, item: dict[str, Any], names: dict[str, str] | None = None) -> ProcessingRow:
        code = item["controller_code"]
        return cls(
            id=item["id"],
            category_name=item["category_name"],
            controller_code=(names or {}).get(code, code),
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
    def of(cls, item: dict[str, Any], names: dict[str, str] | None = None) -> BreachRow:
        """Timestamps shown in Paris time (the API gives them in UTC)."""
        flags = list(item.get("flags") or [])
        remaining = item.get("hours_remaining")
        code = item["controller_code"]
        return cls(
            id=item["id"],
            reference=item["reference"],
            controller_code=(names or {}).get(code, code),
            title=item["title"],
            risk_label=RISKS.get(item.get("risk", ""), item.get("risk", "")),
            aware_at=local_time(item.get("aware_at")),
            deadline_at=local_time(item.get("deadline_at")),
            hours_remaining=(
                f"{number(str(remaining), decimals=1)}\u00a0h" if remaining is not None else ""
            ),
            notified_at=local_time(item.get("authority_notified_at")),
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
    def of(cls, item: dict[str, Any], names: dict[str, str] | None = None) -> RequestRow:
        alert = item.get("alert") or ""
        code = item["controller_code"]
        return cls(
            id=item["id"],
            reference=item["reference"],
            controller_code=(names or {}).get(code, code),
            kind_label=REQUEST_KINDS.get(item["kind"], item["kind"]),
            received_on=date(item.get("received_on")),
            due_on=date(item.get("due_on")),
            extended=bool(item.get("extended")),
            answered_on=date(item.get("answered_on")),
            outcome_label=OUTCOMES.get(item.get("outcome") or "", ""),
            alert=alert,
            alert_label=REQUEST_ALERTS.get(alert, ""),
        )


@dataclass(frozen=True)
class GdprRecordRow:
    id: int
    name: str
    purposes: str
    legal_basis: str
    retention: str
    complete: bool
    missing: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> GdprRecordRow:
        completeness = item.get("completeness") or {}
        return cls(
            id=item["id"],
            name=item["name"],
            purposes=item.get("purposes") or "",
            legal_basis=LEGAL_BASES.get(item.get("legal_basis") or "", "non renseignée"),
            retention=item.get("retention") or "",
            complete=bool(completeness.get("complete")),
            missing=", ".join(completeness.get("missing") or []),
        )
