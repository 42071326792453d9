"""The rules of settlement on the attribution de compensation (AC, CGCT L5211-4-2).

A member *commune* may have the reimbursement of the shared IT service deducted from the AC the
host EPCI (the Métropole, the only body paying ACs) pays it, instead of receiving a title. The
choice is per year, with the deliberation that decided it. The deduction is fixed in advance
(the operating amount of the forecast made available, the previous year's final run, or an
amount the deliberation sets); the year's final run says what is owed, and the year-end
balancing makes the difference: a balancing title when the run says more, a reimbursement
(a mandate proposal on the AC account) when it says less. Only the *operating* title is replaced
(the AC de fonctionnement); the investment title is issued as usual."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict, ValidationFailed
from kit.identity import Principal
from services.billing.engine.money import fmt, to_cents
from services.billing.forecasts.overrun import notified_forecast
from services.billing.forecasts.pdf import euro
from services.billing.invoices import repository as invoices
from services.billing.models import AuditEntry, CompensationSettlement, RunMember
from services.billing.runs import repository as runs
from services.billing.settlements import repository
from services.billing.settlements.schemas import SettlementCreate, SettlementUpdate

SECTION = "operating"  # the part settled through the AC; investment is titled as usual
BASIS_LABELS = {
    "forecast": "montant prévisionnel mis à disposition",
    "previous_year": "calcul définitif de l'année précédente",
    "amount": "montant fixé par la délibération",
}
KIND_LABELS = {
    "ccas": "un centre communal d'action sociale",
    "syndicat": "un syndicat",
    "etablissement_public": "un établissement public",
    "association": "une association",
    "metropole": "l'EPCI hôte, qui verse les attributions de compensation",
    "other": "un organisme qui n'est pas une commune",
}


def _field(field: str, english: str, french: str, slug: str) -> ValidationFailed:
    return ValidationFailed(
        english,
        detail_fr=french,
        slug=slug,
        errors=[{"field": field, "message": english, "type": slug, "message_fr": french}],
    )


def ensure_commune(member: dict[str, Any] | None, code: str) -> dict[str, Any]:
    """Only a member commune receives an AC from the host EPCI."""
    if member is None:
        raise _field(
            "member_code",
            f"No member {code} in the registry.",
            f"Le membre « {code} » n'existe pas dans le référentiel.",
            "unknown-member",
        )
    if member["kind"] != "commune" or member.get("is_host"):
        what = KIND_LABELS.get(member["kind"], "un organisme qui n'est pas une commune")
        raise _field(
            "member_code",
            f"Only a member commune settles through its attribution de compensation "
            f"(CGCT L5211-4-2); {member['name']} is a {member['kind']}.",
            "Seule une commune membre peut régler sa contribution par imputation sur son "
            f"attribution de compensation (art. L5211-4-2 du CGCT) : {member['name']} est {what}.",
            "settlement-not-a-commune",
        )
    return member


def deduction(
    session: Session, *, basis: str, fiscal_year: int, member_code: str, amount: str | None
) -> tuple[int, int | None]:
    """The deduction fixed in advance (cents) and the run it comes from."""
    if basis == "amount":
        assert amount is not None
        return to_cents(amount), None
    row: RunMember | None = None
    if basis == "forecast":
        forecast = notified_forecast(session, fiscal_year)
        if forecast is not None:
            row = next(iter(invoices.run_members(session, forecast.id, [member_code])), None)
        if row is None:
            raise _field(
                "basis",
                f"No forecast of {fiscal_year} was made available for {member_code}.",
                f"Aucun prévisionnel {fiscal_year} n'a été mis à disposition pour ce membre : "
                "choisissez une autre base ou fixez le montant.",
                "settlement-no-forecast",
            )
    else:
        row = runs.current_final_member(session, fiscal_year - 1, member_code)
        if row is None:
            raise _field(
                "basis",
                f"No final run of {fiscal_year - 1} for {member_code}.",
                f"Aucun calcul définitif {fiscal_year - 1} pour ce membre : choisissez une "
                "autre base ou fixez le montant.",
                "settlement-no-previous-year",
            )
    return row.operating_invoiced_cents, row.run_id


def _attachment(settlement: CompensationSettlement, data: SettlementUpdate) -> None:
    """The file as sent: left as it is when the body does not name it, removed by a null."""
    if "attachment_base64" not in data.model_fields_set:
        return
    settlement.attachment_name = data.attachment_name
    settlement.attachment_media_type = data.attachment_media_type
    if data.attachment_base64 is None:
        settlement.attachment = None
        return
    try:
        settlement.attachment = base64.b64decode(data.attachment_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _field(
            "attachment_base64",
            "The attached file is not base64.",
            "Le fichier joint n'est pas lisible (base64 attendu).",
            "settlement-attachment",
        ) from exc


def _apply(session: Session, settlement: CompensationSettlement, data: SettlementUpdate) -> None:
    settlement.deliberation_ref = data.deliberation_ref.strip()
    settlement.deliberated_on = data.deliberated_on
    settlement.deliberating_body = data.deliberating_body.strip()
    settlement.basis = data.basis
    settlement.deducted_cents, settlement.basis_run_id = deduction(
        session,
        basis=data.basis,
        fiscal_year=settlement.fiscal_year,
        member_code=settlement.member_code,
        amount=data.deducted_amount,
    )
    _attachment(settlement, data)


def ensure_not_titled(session: Session, fiscal_year: int, member_code: str) -> None:
    """A title already validated for the year cannot be replaced by the AC (cancel it first);
    one still waiting (``ready``) is withdrawn: the AC replaces it."""
    existing = invoices.original(session, f"{fiscal_year}:{member_code}:{SECTION}")
    if existing is None:
        return
    if existing.status == "ready":
        session.delete(existing)
        return
    raise Conflict(
        f"The operating title {existing.reference or existing.id} of {fiscal_year} exists "
        f"({existing.status}): cancel it before settling through the AC.",
        detail_fr=f"Le titre de fonctionnement {fiscal_year} de ce membre existe déjà "
        f"(n° {existing.reference or existing.id}) : annulez-le avant de choisir l'imputation "
        "sur l'attribution de compensation.",
        slug="settlement-already-titled",
    )


def ensure_dsit(principal: Principal) -> None:
    """The choice is recorded by the DSIT once the commune's deliberation reached it, like the
    rest of its accounting of every member: a token restricted to one member writes none of it
    (403), even for its own member."""
    principal.ensure_writes_only_its_member([None])


def create(
    session: Session, *, data: SettlementCreate, member: dict[str, Any], principal: Principal
) -> CompensationSettlement:
    ensure_dsit(principal)
    ensure_commune(member, data.member_code)
    found = repository.of_member(session, data.fiscal_year, data.member_code)
    if found is not None:
        raise Conflict(
            f"{data.member_code} already has its {data.fiscal_year} choice ({found.id}).",
            detail_fr=f"Le choix de {member['name']} pour {data.fiscal_year} est déjà enregistré "
            f"(délibération {found.deliberation_ref}) : modifiez-le plutôt.",
            slug="settlement-exists",
        )
    ensure_not_titled(session, data.fiscal_year, data.member_code)
    settlement = CompensationSettlement(
        fiscal_year=data.fiscal_year,
        member_code=data.member_code,
        member_name=str(member["name"])[:200],
        recorded_by=principal.audit_name[:200],
    )
    _apply(session, settlement, data)
    session.add(settlement)
    session.flush()
    _audit(session, principal, "create", settlement)
    return settlement


def ensure_open(settlement: CompensationSettlement) -> None:
    if settlement.balanced_at is not None:
        raise Conflict(
            f"The {settlement.fiscal_year} settlement of {settlement.member_code} is balanced.",
            detail_fr=f"L'imputation {settlement.fiscal_year} de {settlement.member_name} est "
            "soldée : elle ne se modifie plus.",
            slug="settlement-balanced",
        )


def update(
    session: Session,
    *,
    settlement: CompensationSettlement,
    data: SettlementUpdate,
    principal: Principal,
) -> CompensationSettlement:
    ensure_dsit(principal)
    ensure_open(settlement)
    _apply(session, settlement, data)
    session.flush()
    _audit(session, principal, "update", settlement)
    return settlement


def delete(session: Session, *, settlement: CompensationSettlement, principal: Principal) -> None:
    """Withdraw the choice (before the balancing): the year's title is then issued as usual."""
    ensure_dsit(principal)
    ensure_open(settlement)
    _audit(session, principal, "delete", settlement)
    session.delete(settlement)
    session.flush()


def _audit(
    session: Session, principal: Principal, action: str, settlement: CompensationSettlement
) -> None:
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action=action,
        resource_type="compensation_settlement",
        resource_id=str(settlement.id),
        after={
            "fiscal_year": settlement.fiscal_year,
            "member_code": settlement.member_code,
            "deliberation_ref": settlement.deliberation_ref,
            "basis": settlement.basis,
            "deducted": fmt(settlement.deducted_cents),
        },
    )


def settled_members(session: Session, fiscal_year: int) -> dict[str, CompensationSettlement]:
    """The hook of issuing: the members whose operating title of the year is replaced."""
    return repository.of_year(session, fiscal_year)


def skip_detail(settlement: CompensationSettlement) -> str:
    return (
        "Réglé par l'attribution de compensation (art. L5211-4-2 du CGCT) : délibération "
        f"{settlement.deliberation_ref} du {settlement.deliberated_on.strftime('%d/%m/%Y')}, "
        f"{euro(fmt(settlement.deducted_cents))} imputés ; le solde est fait en fin d'année."
    )


def difference(settlement: CompensationSettlement, row: RunMember | None) -> int | None:
    return None if row is None else row.operating_invoiced_cents - settlement.deducted_cents


def balance_kind(diff: int | None) -> str | None:
    if diff is None:
        return None
    return "title" if diff > 0 else "reimbursement" if diff < 0 else "none"


def explanation(settlement: CompensationSettlement, row: RunMember | None, payer: str) -> str:
    """What the member's dashboard says, in French."""
    year = settlement.fiscal_year
    text = (
        f"Votre contribution {year} est réglée par imputation sur votre attribution de "
        f"compensation, versée par {payer} (délibération {settlement.deliberation_ref} du "
        f"{settlement.deliberated_on.strftime('%d/%m/%Y')}, {settlement.deliberating_body}) : "
        f"{euro(fmt(settlement.deducted_cents))} en sont déduits, sans titre de recettes pour "
        "la section de fonctionnement."
    )
    diff = difference(settlement, row)
    if diff is None or row is None:
        return text + (
            " Le calcul définitif de l'année dira le montant dû ; la différence sera soldée en "
            "fin d'année."
        )
    final = euro(fmt(row.operating_invoiced_cents))
    if diff > 0:
        return text + (
            f" Le calcul définitif fixe votre contribution à {final} : un titre de solde de "
            f"{euro(fmt(diff))} est émis en fin d'année."
        )
    if diff < 0:
        return text + (
            f" Le calcul définitif fixe votre contribution à {final} : {euro(fmt(-diff))} vous "
            "sont remboursés en fin d'année."
        )
    return text + f" Le calcul définitif fixe votre contribution à {final} : aucun solde."


def final_row(session: Session, settlement: CompensationSettlement) -> RunMember | None:
    return runs.current_final_member(session, settlement.fiscal_year, settlement.member_code)


def statement(session: Session, settlement: CompensationSettlement, payer: str) -> dict[str, Any]:
    row = final_row(session, settlement)
    diff = difference(settlement, row)
    return {
        "settlement": read(settlement),
        "payer": payer,
        "final_run_id": row.run_id if row else None,
        "final_amount": fmt(row.operating_invoiced_cents) if row else None,
        "investment_titled": fmt(row.investment_cents) if row else None,
        "difference": None if diff is None else fmt(diff),
        "balance_kind": settlement.balance_kind or balance_kind(diff),
        "explanation": explanation(settlement, row, payer),
    }


def read(settlement: CompensationSettlement) -> dict[str, Any]:
    return {
        "id": settlement.id,
        "fiscal_year": settlement.fiscal_year,
        "member_code": settlement.member_code,
        "member_name": settlement.member_name,
        "deliberation_ref": settlement.deliberation_ref,
        "deliberated_on": settlement.deliberated_on,
        "deliberating_body": settlement.deliberating_body,
        "attachment_name": settlement.attachment_name,
        "has_attachment": settlement.attachment is not None,
        "basis": settlement.basis,
        "basis_label": BASIS_LABELS[settlement.basis],
        "basis_run_id": settlement.basis_run_id,
        "deducted": fmt(settlement.deducted_cents),
        "recorded_by": settlement.recorded_by,
        "balance_kind": settlement.balance_kind,
        "balance": None if settlement.balance_cents is None else fmt(settlement.balance_cents),
        "balance_invoice_id": settlement.balance_invoice_id,
        "balanced_at": settlement.balanced_at,
        "balanced_by": settlement.balanced_by,
        "created_at": settlement.created_at or dt.datetime.now(dt.UTC),
    }
