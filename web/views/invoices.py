"""View models of revenue titles (titres de recettes): a row of the list, a title's page, what
an issue answered, and the BP status of each member of a final run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from web.views.billing import SECTIONS, ExplainedLine, explained_line, unit_price
from web.views.format import date, euros, number, timestamp

STATUSES = {
    "ready": "En attente",
    "prepared": "À valider par un signataire",
    "rejected": "Refusé par le signataire",
    "liquidated": "Remis au logiciel financier",
    "issued": "Émis",
    "cancelled": "Annulé",
}
# where a title is on the way to Hélios and back (services/billing/invoices/states.py)
STATES = {
    "ready": "À préparer",
    "prepared": "Préparé",
    "validated": "Validé",
    "signed": "Signé",
    "sent": "Transmis",
    "accepted": "Pris en charge",
    "rejected": "Rejeté",
    "partly_paid": "Partiellement payé",
    "paid": "Payé",
    "cancelled": "Annulé",
}
BORDEREAU_STATES = {k: STATES[k] for k in ("validated", "signed", "sent", "accepted", "rejected")}
KINDS = {
    "title": "Titre",
    "reduction": "Réduction",
    "cancellation": "Annulation",
    "complementary": "Titre complémentaire",
    "mandate": "Proposition de mandat d'annulation",
}
CORRECTION_KINDS = {
    "reduction": "Réduction (partielle)",
    "cancellation": "Annulation (tout le solde)",
    "complementary": "Titre complémentaire",
}
IMPUTATION_KINDS = {
    "payroll": "Quote-part de masse salariale (personnel mis à disposition)",
    "operating": "Autres frais de fonctionnement",
    "investment": "Investissement",
}


@dataclass(frozen=True)
class TitleRow:
    id: int
    reference: str
    kind_label: str
    status: str
    status_label: str
    fiscal_year: int
    exercice: int | None
    section_label: str
    member_code: str
    member_name: str
    total: str
    balance: str
    issued_on: str
    state: str
    state_label: str
    paid: str  # "" when the piece is not paid by a debtor (a reduction, a waiting title)
    outstanding: str
    has_pdf: bool
    has_facturx: bool  # every issued piece but a cancellation mandate (expense side)
    waiting_reason: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> TitleRow:
        return cls(
            id=item["id"],
            reference=item.get("reference") or f"(en attente n°{item['id']})",
            kind_label=KINDS.get(item["kind"], item["kind"]),
            status=item["status"],
            status_label=STATUSES.get(item["status"], item["status"]),
            fiscal_year=item["fiscal_year"],
            exercice=item.get("exercice"),
            section_label=SECTIONS.get(item["section"], item["section"]),
            member_code=item["member_code"],
            member_name=item.get("member_name") or item["member_code"],
            total=euros(item.get("total")),
            balance=euros(item.get("balance")),
            issued_on=date(item.get("issued_on")),
            state=item.get("state") or "",
            state_label=STATES.get(item.get("state") or "", ""),
            paid=euros(item["paid"]) if item.get("paid") is not None else "",
            outstanding=euros(item["outstanding"]) if item.get("outstanding") is not None else "",
            has_pdf="pdf" in (item.get("documents") or {}),
            has_facturx="pdf" in (item.get("documents") or {}) and item["kind"] != "mandate",
            waiting_reason=item.get("waiting_reason") or "",
        )


@dataclass(frozen=True)
class MemberTitle:
    """A title on a member's dashboard, with the explanation of each of its lines."""

    row: TitleRow
    lines: list[ExplainedLine]
    corrections: list[CorrectionRow]


@dataclass(frozen=True)
class CorrectionRow:
    id: int
    kind_label: str
    reference: str
    total: str
    issued_on: str
    reason: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> CorrectionRow:
        return cls(
            id=item["id"],
            kind_label=KINDS.get(item["kind"], item["kind"]),
            reference=item.get("reference") or "",
            total=euros(item.get("total")),
            issued_on=date(item.get("issued_on")),
            reason=item.get("reason") or "",
        )


def member_title(item: dict[str, Any]) -> MemberTitle:
    return MemberTitle(
        row=TitleRow.of(item),
        lines=[explained_line(line) for line in item.get("lines") or []],
        corrections=[CorrectionRow.of(c) for c in item.get("corrections") or []],
    )


@dataclass(frozen=True)
class Basis:
    """The bases de liquidation of a title, as sentences a debtor can check."""

    payroll: list[str] = field(default_factory=list)
    direct: list[str] = field(default_factory=list)
    drivers: list[str] = field(default_factory=list)
    cap: str = ""


def basis(raw: dict[str, Any] | None) -> Basis:
    raw = raw or {}
    cap = raw.get("cap")
    return Basis(
        payroll=[
            f"{number(p['workstations'])} postes × {unit_price(p['rate_per_workstation'])} "
            f"(enveloppe {euros(p['payroll_envelope'])} sur {number(p['total_workstations'])} "
            f"postes) = {euros(p['amount'])}"
            for p in raw.get("payroll") or []
        ],
        direct=[
            f"{d.get('component_name') or d['component_code']} (ligne de coût "
            f"n°{d['cost_line_id']}, "
            f"{euros(d['line_amount'])}) : poids {number(d['weight'])} sur "
            f"{number(d['total_weight'])} = {euros(d['amount'])}"
            for d in raw.get("direct") or []
        ],
        drivers=[
            f"{d.get('driver_label') or d['driver_code']} : {number(d['quantity'])} "
            f"{d.get('unit') or ''} × {unit_price(d['unit_price'])} (coût réparti "
            f"{euros(d['pool_amount'])} sur "
            f"{number(d['total_usage'])}) = {euros(d['amount'])}"
            for d in raw.get("drivers") or []
        ],
        cap=(
            f"Plafond {euros(cap.get('ceiling'))} (moyenne des exercices "
            f"{', '.join(str(y) for y in cap.get('years') or [])}) ; fonctionnement avant "
            f"plafond {euros(cap.get('operating_before_cap'))} ; écrêtement "
            f"{euros(cap.get('reduction'))}"
            if cap
            else ""
        ),
    )


@dataclass(frozen=True)
class Imputation:
    line_kind: str
    label: str
    nature: str
    function: str
    chapter: str
    amount: str


def imputations(raw: list[dict[str, Any]] | None) -> list[Imputation]:
    return [
        Imputation(
            line_kind=str(a.get("line_kind") or ""),
            label=IMPUTATION_KINDS.get(a.get("line_kind") or "", str(a.get("line_kind") or "")),
            nature=str(a.get("nature") or ""),
            function=str(a.get("function") or ""),
            chapter=str(a.get("chapter") or ""),
            amount=euros(a.get("amount")),
        )
        for a in raw or []
    ]


def signed_by(signatory: dict[str, Any]) -> str:
    """ "Marie Exemple, Vice-présidente déléguée aux finances (arrêté n° …)"."""
    who = ", ".join(v for v in (signatory.get("name"), signatory.get("function")) if v)
    delegation = signatory.get("delegation")
    return f"{who} ({delegation})" if who and delegation else who


def prepared_by(item: dict[str, Any]) -> str:
    """Who prepared it and when; the account's name only (not its internal number)."""
    who = str(item.get("prepared_by") or "")
    if "(" in who and who.endswith(")"):
        who = who[who.index("(") + 1 : -1]
    when = timestamp(item.get("prepared_at"))
    return f"par {who}, le {when}" if who and when else ""


@dataclass(frozen=True)
class TitleView:
    row: TitleRow
    raw: dict[str, Any]
    object: str
    signatory: str
    prepared: str
    issued_at: str
    forced_reason: str
    forecast_reason: str
    reason: str
    original_id: int | None
    debtor: dict[str, Any]
    address: str
    imputation: list[Imputation]
    basis: Basis
    lines: list[ExplainedLine]
    corrections: list[CorrectionRow]
    bordereau: str
    bordereau_id: int | None
    pes_sha256: str
    correctable: bool
    pes_signed: str = ""
    payments: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls, item: dict[str, Any], pes_sha256: str = "", bordereau: dict[str, Any] | None = None
    ) -> TitleView:
        content = item.get("content") or {}
        debtor = content.get("debtor") or {}
        address = debtor.get("address") or {}
        signatory = item.get("signatory") or {}
        b = item.get("bordereau")
        return cls(
            row=TitleRow.of(item),
            raw=item,
            object=item.get("object") or "",
            signatory=signed_by(signatory),
            prepared=prepared_by(item),
            issued_at=timestamp(item.get("issued_at")),
            forced_reason=item.get("forced_reason") or "",
            forecast_reason=item.get("forecast_reason") or "",
            reason=item.get("reason") or "",
            original_id=item.get("original_id"),
            debtor=debtor,
            address=" ".join(
                str(address.get(k) or "") for k in ("line", "postal_code", "city")
            ).strip(),
            imputation=imputations(content.get("imputation")),
            basis=basis(content.get("calculation_basis")),
            lines=[explained_line(line) for line in item.get("lines") or []],
            corrections=[CorrectionRow.of(c) for c in item.get("corrections") or []],
            bordereau=f"Bordereau n°{b['number']} (type {b['type']})" if b else "",
            bordereau_id=b["id"] if b else None,
            pes_sha256=pes_sha256,
            correctable=item["kind"] == "title" and item["status"] == "issued",
            pes_signed=pes_signature(bordereau or {}),
            payments=[
                f"{date(p['paid_on'])} : {euros(p['amount'])} ({p['reference']}"
                f"{', PES Retour' if p['source'] == 'pes_retour' else ''})"
                for p in item.get("payments") or []
            ],
        )


def pes_signature(bordereau: dict[str, Any]) -> str:
    """Who signed the bordereau's PES and when (Paris time): the file sent to Hélios."""
    if not bordereau.get("signed_at"):
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(bordereau["signed_at"]))
        when = moment.astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y à %H:%M")
    except ValueError:
        when = str(bordereau["signed_at"])
    who = bordereau.get("signed_by") or "?"
    return f"signé électroniquement (XAdES, politique Hélios) le {when} par {who}"
