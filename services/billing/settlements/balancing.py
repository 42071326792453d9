"""The year-end balancing of a settlement on the attribution de compensation.

The final run's operating amount minus the deduction fixed in advance:
- positive: a *balancing title* for the difference, made through the normal chain of titles
  (prepared here, validated by a signatory: numbered, on a bordereau, its notice). Its origin key
  ``<year>:<member>:operating:ac-balance`` keeps it apart from the title the AC replaced, and
  the cap history reads the year from the final run, not from this partial title
  (``invoices.repository.net_titled_operating`` leaves it out);
- negative: a *reimbursement*, recorded on the settlement and exported as a mandate proposal
  for the expense software (the host pays the commune the excess deducted, on the AC account);
- zero: nothing but the record that the year is balanced.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict
from services.billing.engine.money import fmt
from services.billing.forecasts.pdf import euro
from services.billing.invoices import content, service
from services.billing.invoices.imputations import Account, resolve
from services.billing.invoices.registry import RegistryFacts
from services.billing.models import AuditEntry, CompensationSettlement, Invoice, Run
from services.billing.runs import repository as runs
from services.billing.settlements.service import SECTION, difference, ensure_open, final_row

BALANCE_KEY = "{year}:{member}:operating:ac-balance"
# the host pays back the excess deducted as attribution de compensation (M57 739211)
REIMBURSEMENT_ACCOUNT = Account("739211", "01", "014")


def balance_title(
    session: Session,
    *,
    settlement: CompensationSettlement,
    run: Run,
    cents: int,
    final_cents: int,
    facts: RegistryFacts,
    ctx: service.IssueContext,
) -> Invoice:
    member = facts.members.get(settlement.member_code)
    if member is None:
        raise Conflict(
            f"{settlement.member_code} is not in the registry.",
            detail_fr=f"{settlement.member_name} est absent du référentiel : pas de titre.",
            slug="unknown-debtor",
        )
    year = settlement.fiscal_year
    lines = [
        {
            "kind": "ac_balance",
            "section": SECTION,
            "amount": fmt(cents),
            "label": f"Solde {year} après imputation sur l'attribution de compensation",
        }
    ]
    accounts = resolve(member["kind"], service.configured_accounts(session, year))
    invoice = Invoice(
        kind="title",
        status="ready",
        origin_key=BALANCE_KEY.format(year=year, member=settlement.member_code),
        fiscal_year=year,
        section=SECTION,
        member_code=settlement.member_code,
        member_name=member["name"],
        run_id=run.id,
        total_cents=cents,
        lines=lines,
        object=(
            f"Solde du remboursement des frais du service commun informatique (DSIT) — "
            f"exercice {year} — après imputation sur l'attribution de compensation"
        ),
    )
    invoice.content = content.title_content(
        settings=ctx.settings,
        member=member,
        convention=facts.legal_basis.get(settlement.member_code, {}),
        lines=lines,
        cap=None,
        accounts=accounts,
        total_cents=cents,
    )
    invoice.content["calculation_basis"]["notes"].append(
        f"Contribution {year} de fonctionnement (calcul définitif n° {run.id}) : "
        f"{euro(fmt(final_cents))} ; imputée sur l'attribution de compensation "
        f"(délibération {settlement.deliberation_ref} du "
        f"{settlement.deliberated_on.strftime('%d/%m/%Y')}) : "
        f"{euro(fmt(settlement.deducted_cents))} ; solde dû : {euro(fmt(cents))}."
    )
    session.add(invoice)
    session.flush()
    service.mark_prepared(session, invoice, ctx)
    return invoice


def balance(
    session: Session,
    *,
    settlement: CompensationSettlement,
    facts: RegistryFacts,
    ctx: service.IssueContext,
) -> Invoice | None:
    """Balance the year (once): the balancing title prepared for a signatory, or the
    reimbursement recorded, from the current final run."""
    ctx.principal.ensure_writes_only_its_member([None])  # the DSIT's accounting (see service)
    ensure_open(settlement)
    run = runs.current_final(session, settlement.fiscal_year)
    row = final_row(session, settlement)
    if run is None or row is None or run.status != "succeeded":
        raise Conflict(
            f"No current final run of {settlement.fiscal_year} for {settlement.member_code}.",
            detail_fr=f"Aucun calcul définitif {settlement.fiscal_year} en vigueur pour "
            f"{settlement.member_name} : le solde se fait après le calcul définitif.",
            slug="settlement-no-final-run",
        )
    diff = difference(settlement, row)
    assert diff is not None
    invoice = None
    if diff > 0:
        invoice = balance_title(
            session, settlement=settlement, run=run, cents=diff,
            final_cents=row.operating_invoiced_cents, facts=facts, ctx=ctx,
        )  # fmt: skip
    settlement.balance_kind = "title" if diff > 0 else "reimbursement" if diff < 0 else "none"
    settlement.balance_cents = diff
    settlement.balance_run_id = run.id
    settlement.balance_invoice_id = invoice.id if invoice else None
    settlement.balanced_at = ctx.now
    settlement.balanced_by = ctx.principal.audit_name[:200]
    session.flush()
    audit.record(
        session,
        AuditEntry,
        principal=ctx.principal,
        action="balance",
        resource_type="compensation_settlement",
        resource_id=str(settlement.id),
        after={"kind": settlement.balance_kind, "balance": fmt(diff), "run_id": run.id},
    )
    return invoice


def reimbursement_row(settlement: CompensationSettlement, payee: dict[str, Any]) -> list[Any]:
    """A reimbursement as a mandate proposal's row (the columns of ``mandate_proposals``)."""
    assert settlement.balance_cents is not None
    assert settlement.balanced_at is not None
    year = settlement.fiscal_year
    return [
        f"{year}-AC-{settlement.member_code}",
        settlement.balanced_at.year,
        "",
        settlement.member_name,
        payee.get("siret") or "",
        REIMBURSEMENT_ACCOUNT.nature,
        REIMBURSEMENT_ACCOUNT.function,
        fmt(-settlement.balance_cents).replace(".", ","),
        "",
        "",
        year,
        f"Remboursement du trop imputé sur l'attribution de compensation {year} "
        f"(délibération {settlement.deliberation_ref}, calcul définitif n° "
        f"{settlement.balance_run_id})",
    ]
