"""View models of the Hélios follow-up page: bordereaux and where they are, what an
acknowledgement (PES_ACQUIT) did, what a payments import did, overdue titles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web.views.format import date, euros, number, timestamp
from web.views.invoices import BORDEREAU_STATES

BORDEREAU_TYPES = {"01": "ordinaire", "02": "annulation / réduction"}
OUTCOMES = {
    "accepted": "Pris en charge",
    "rejected": "Rejeté",
    "unchanged": "Inchangé (déjà connu)",
    "unknown": "Inconnu de Mutualis",
    "ambiguous": "Ambigu",
    "conflict": "Contredit un accusé précédent",
}
KINDS = {"bordereau": "Bordereau", "attachment": "Pièce jointe", "other": "Autre élément"}


def error_text(error: dict[str, Any]) -> str:
    """``ERREUR_SIRET — SIRET DU DEBITEUR INCONNU (pièce 4)``, then Mutualis' explanation."""
    where = ", ".join(
        part
        for part in (
            f"pièce {error['piece']}" if error.get("piece") else "",
            f"ligne {error['line']}" if error.get("line") else "",
        )
        if part
    )
    text = " — ".join(p for p in (error.get("code"), error.get("label")) if p)
    if where:
        text += f" ({where})"
    if error.get("explanation"):
        text += f" : {error['explanation']}"
    return text


@dataclass(frozen=True)
class BordereauRow:
    id: int
    label: str
    state: str
    state_label: str
    titles: str
    total: str
    issued_on: str
    sent: str
    acknowledged: str
    errors: list[str]
    resent: str
    can_send: bool
    can_resend: bool

    @classmethod
    def of(cls, item: dict[str, Any]) -> BordereauRow:
        count = len(item.get("invoice_ids") or [])
        resent = ""
        if item.get("resent_as_id"):
            resent = "renvoyé sur un nouveau bordereau"
        elif item.get("resent_from_id"):
            resent = "renvoi d'un bordereau rejeté"
        return cls(
            id=item["id"],
            label=f"n° {item['number']} — exercice {item['exercice']}, budget "
            f"{item['budget_code']}, {BORDEREAU_TYPES.get(item['type'], item['type'])}",
            state=item["state"],
            state_label=BORDEREAU_STATES.get(item["state"], item["state"]),
            titles=f"{number(count)} pièce{'s' if count > 1 else ''}",
            total=euros(item.get("total")),
            issued_on=date(str(item.get("issued_on") or "")),
            sent=timestamp(item.get("sent_at")),
            acknowledged=timestamp(item.get("acknowledged_at")),
            errors=[error_text(e) for e in item.get("errors") or []],
            resent=resent,
            can_send=item["state"] in ("validated", "signed"),
            can_resend=item["state"] == "rejected" and not item.get("resent_as_id"),
        )


@dataclass(frozen=True)
class ReportLine:
    kind_label: str
    outcome: str
    outcome_label: str
    message: str
    errors: list[str]


def report_lines(report: dict[str, Any]) -> list[ReportLine]:
    return [
        ReportLine(
            kind_label=KINDS.get(i["kind"], i["kind"]),
            outcome=i["outcome"],
            outcome_label=OUTCOMES.get(i["outcome"], i["outcome"]),
            message=i.get("message_fr") or "",
            errors=[error_text(e) for e in i.get("errors") or []],
        )
        for i in report.get("items") or []
    ]


@dataclass(frozen=True)
class OverdueRow:
    invoice_id: int
    reference: str
    member_name: str
    issued_on: str
    due: str
    paid: str
    outstanding: str
    age: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> OverdueRow:
        days = int(item["age_days"])
        return cls(
            invoice_id=item["invoice_id"],
            reference=item.get("reference") or "",
            member_name=item.get("member_name") or item["member_code"],
            issued_on=date(str(item.get("issued_on") or "")),
            due=euros(item["due"]),
            paid=euros(item["paid"]),
            outstanding=euros(item["outstanding"]),
            age=f"{number(days)} jour{'s' if days > 1 else ''}",
        )


def import_summary(result: dict[str, Any]) -> tuple[str, list[str]]:
    """What a payments import did, in French: a sentence and the lines it refused."""
    created, unchanged = len(result.get("created") or []), len(result.get("unchanged") or [])
    rejected = result.get("rejected") or []
    sentence = (
        f"{created} encaissement{'s' if created > 1 else ''} enregistré{'s' if created > 1 else ''}"
        f", {unchanged} déjà connu{'s' if unchanged > 1 else ''}, {len(rejected)} refusé"
        f"{'s' if len(rejected) > 1 else ''}."
    )
    lines = [
        (f"Ligne {r['line']} : " if r.get("line") else "") + str(r.get("message_fr") or "")
        for r in rejected
    ]
    return sentence, lines


def acquit_summary(item: dict[str, Any]) -> str:
    """``pescg… reçu le 02/12/2026 10:00:00 : pris en charge 1, rejeté 1``."""
    counts = (item.get("report") or {}).get("counts") or {}
    parts = ", ".join(
        f"{OUTCOMES.get(k, k).lower()} {number(v)}" for k, v in sorted(counts.items())
    )
    name = item.get("file_name") or "(sans nom)"
    return f"{name} reçu le {timestamp(item.get('received_at'))}" + (f" : {parts}" if parts else "")
