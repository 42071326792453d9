"""View models of the notifications sent to a member and of the development mailbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web.views.format import local_time
from web.views.registry import ROLES

KINDS = {
    "forecast_available": "Notification prévisionnelle",
    "titles_issued": "Titres de recettes émis",
    "correction_issued": "Correction de titre émise",
    "title_rejected": "Titre rejeté par le comptable public",
    "title_overdue": "Titre impayé après l'échéance",
    "convention_deadline": "Échéance de convention",
    "decision_due": "Décision ou action à échéance",
    "breach_clock": "Violation de données : délai de notification",
    "gdpr_request_due": "Demande RGPD à échéance",
}


def _server(delivery: dict[str, Any]) -> str:
    code, answer = delivery.get("smtp_code"), delivery.get("smtp_answer")
    if code or answer:
        return f"{code or ''} {answer or ''}".strip()
    return str(delivery.get("last_error") or "pas de réponse du serveur")


def delivery_state(delivery: dict[str, Any]) -> tuple[str, str]:
    """(css class, French state) of one delivery: sent with its date, waiting, or failed with
    the server's last answer."""
    status, attempts = delivery["status"], delivery.get("attempts", 0)
    if status == "sent":
        return "ok", f"envoyé le {local_time(delivery.get('sent_at'))}"
    if status in ("queued", "sending"):
        if not attempts:
            return "waiting", "en attente d'envoi"
        retry = local_time(delivery.get("next_attempt_at"))
        return "waiting", (
            f"en attente : nouvel essai le {retry} ({attempts} essai{'s' if attempts > 1 else ''}"
            f", dernier message du serveur : {_server(delivery)})"
        )
    if status == "dead":
        return "failed", (
            f"échec après {attempts} essais — dernier message du serveur : {_server(delivery)}"
        )
    return "failed", f"échec — dernier message du serveur : {_server(delivery)}"


RETRYABLE = ("dead", "failed")


@dataclass(frozen=True)
class DeliveryRow:
    email: str
    role: str
    state_class: str
    state: str
    id: int = 0
    retryable: bool = False  # dead or failed: an administrator may send it again

    @classmethod
    def of(cls, item: dict[str, Any]) -> DeliveryRow:
        css, state = delivery_state(item)
        role = ROLES.get(item["role"], item["role"])
        return cls(item["email"], role, css, state, int(item.get("id") or 0),
                   item["status"] in RETRYABLE)  # fmt: skip


@dataclass(frozen=True)
class NotificationRow:
    requested: str
    kind: str
    subject: str
    attachments: list[dict[str, str]]
    deliveries: list[DeliveryRow]

    @classmethod
    def of(cls, item: dict[str, Any]) -> NotificationRow:
        files = [{"filename": a["filename"], "sha256": a["sha256"]} for a in item["attachments"]]
        return cls(
            local_time(item["created_at"]),
            KINDS.get(item["kind"], "Notification"),
            item["subject"],
            files,
            [DeliveryRow.of(d) for d in item["deliveries"]],
        )


@dataclass(frozen=True)
class MailRow:
    id: int
    received: str
    to: str
    subject: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> MailRow:
        return cls(
            item["id"],
            local_time(item["received_at"]),
            ", ".join(item["rcpt_tos"]),
            item["subject"],
        )
