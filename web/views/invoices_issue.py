"""View models of issuing titles: the BP rule, where each member's BP stands, and what an
issue answered (issued, waiting and why, skipped, bordereaux)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web.views.billing import SECTIONS
from web.views.format import date, euros
from web.views.invoices import TitleRow, prepared_by

WAITING_REASONS = {
    "bp-not-voted": "budget primitif non voté",
    "already-issued": "déjà émis",
    "unknown-debtor": "débiteur inconnu du registre",
    "adhesion-deliberation-missing": "délibération d'adhésion non enregistrée",
    "chorus-reference-missing": "code service ou engagement juridique Chorus Pro manquant",
    "settled-by-compensation": "réglé par l'attribution de compensation",
}
BP_RULE = (
    "Règle du budget primitif : un titre n'est préparé pour la signature que si le budget "
    "primitif de l'adhérent pour l'exercice est voté (date enregistrée au registre) au plus "
    "tard le jour de l'émission. "
    "Sinon il reste en attente ; la DSIT peut le forcer en indiquant un motif, qui est conservé."
)


@dataclass(frozen=True)
class Waiting:
    invoice_id: int
    member_code: str
    member_name: str
    section_label: str
    total: str
    reason: str
    detail: str


@dataclass(frozen=True)
class IssueOutcome:
    prepared: list[TitleRow]
    issued: list[TitleRow]
    waiting: list[Waiting]
    skipped: list[Waiting]
    bordereaux: list[str]
    warnings: list[str]
    liquidated: list[TitleRow]
    liquidation_batch: str

    @classmethod
    def of(cls, body: dict[str, Any]) -> IssueOutcome:
        def waiting(w: dict[str, Any]) -> Waiting:
            return Waiting(
                invoice_id=w.get("invoice_id") or 0,
                member_code=w["member_code"],
                member_name=w.get("member_name") or w["member_code"],
                section_label=SECTIONS.get(w["section"], w["section"]),
                total=euros(w.get("total")),
                reason=WAITING_REASONS.get(w["reason"], w["reason"]),
                detail=w.get("detail") or "",
            )

        return cls(
            prepared=[TitleRow.of(i) for i in body.get("prepared") or []],
            issued=[TitleRow.of(i) for i in body.get("issued") or []],
            waiting=[waiting(w) for w in body.get("waiting") or []],
            skipped=[waiting(s) for s in body.get("skipped") or []],
            bordereaux=[
                f"Bordereau n°{b['number']} (type {b['type']}, exercice {b['exercice']}, "
                f"services {b['fiscal_year']}) — {euros(b['total'])} — {b['file_name']}"
                for b in body.get("bordereaux") or []
            ],
            warnings=[str(w.get("detail", "")) for w in body.get("warnings") or []],
            liquidated=[TitleRow.of(i) for i in body.get("liquidated") or []],
            liquidation_batch=str(body.get("liquidation_batch") or ""),
        )


@dataclass(frozen=True)
class PreparedRow:
    """A title or correction in the signatory's parapheur: what it is, for whom, how much,
    and who prepared it (and why it was forced, if it was)."""

    row: TitleRow
    object: str
    prepared: str
    forced_reason: str
    forecast_reason: str
    reason: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> PreparedRow:
        return cls(
            row=TitleRow.of(item),
            object=item.get("object") or "",
            prepared=prepared_by(item),
            forced_reason=item.get("forced_reason") or "",
            forecast_reason=item.get("forecast_reason") or "",
            reason=item.get("reason") or "",
        )


@dataclass(frozen=True)
class BpStatus:
    """A member of a final run that will get titles, and where its BP stands."""

    code: str
    name: str
    operating: str
    investment: str
    bp_voted_on: str
    voted: bool


def bp_statuses(members: list[dict[str, Any]], calendars: dict[str, str | None]) -> list[BpStatus]:
    return [
        BpStatus(
            code=m["member_code"],
            name=m.get("name") or m["member_code"],
            operating=euros(m.get("operating_invoiced")),
            investment=euros(m.get("investment")),
            bp_voted_on=date(calendars.get(m["member_code"])),
            voted=bool(calendars.get(m["member_code"])),
        )
        for m in members
        if m.get("invoiced") and not m.get("is_host")
    ]
