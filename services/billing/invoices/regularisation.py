"""Regularising the titles of a year after its final run was replaced.

When a final run whose titles were issued is replaced (a corrected input, a late change), the
members owe what the new run says. Member by member, section by section and line by line, the
difference between what is still titled (the original title and its corrections,
``remaining_by_line``) and the new run's accounting lines gives at most two corrections: a
complementary title for the lines that went up, a reduction (a cancellation when nothing is left,
a mandate once the original's exercice is closed) for the lines that went down. Each correction
carries its own lines and accounts, and the original's bases plus the new run's. The finance
user sees them (``GET``) and confirms (``POST``); nothing is issued without the confirmation.

Members of the new run without an issued title get their title by the ordinary issuing; titles
that would have to disappear (a member no longer billed) are cancelled here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from kit.errors import Conflict
from services.billing.engine.money import fmt
from services.billing.invoices import content, corrections, repository, service
from services.billing.invoices.imputations import accounting_lines, resolve
from services.billing.invoices.schemas import CorrectionCreate, CorrectionLine
from services.billing.models import Invoice, Run, RunMember


@dataclass
class Proposal:
    """The corrections that bring one issued title to the new run."""

    original: Invoice
    titled: dict[str, int]  # line kind → cents still titled
    new: dict[str, int]  # line kind → cents of the new run
    up: dict[str, int] = field(default_factory=dict)  # complementary title, per line
    down: dict[str, int] = field(default_factory=dict)  # reduction, per line

    def as_dict(self) -> dict[str, Any]:
        kinds = sorted(set(self.titled) | set(self.new))
        down_kind = "cancellation" if sum(self.new.values()) == 0 else "reduction"
        return {
            "original_id": self.original.id,
            "original_reference": self.original.reference,
            "member_code": self.original.member_code,
            "member_name": self.original.member_name,
            "section": self.original.section,
            "titled": fmt(sum(self.titled.values())),
            "new": fmt(sum(self.new.values())),
            "lines": [
                {
                    "line_kind": k,
                    "titled": fmt(self.titled.get(k, 0)),
                    "new": fmt(self.new.get(k, 0)),
                    "difference": fmt(self.new.get(k, 0) - self.titled.get(k, 0)),
                }
                for k in kinds
            ],
            "corrections": [
                *(
                    [{"kind": "complementary", "amount": fmt(sum(self.up.values()))}]
                    if self.up
                    else []
                ),
                *(
                    [{"kind": down_kind, "amount": fmt(sum(self.down.values()))}]
                    if self.down
                    else []
                ),
            ],
        }


def ensure_replacement(run: Run) -> None:
    service.ensure_issuable_run(run)


def new_lines(session: Session, row: RunMember | None, original: Invoice) -> dict[str, int]:
    """The accounting lines (per line kind, cents) the new run gives the original's debtor."""
    if row is None or not row.invoiced:
        return {}
    total = getattr(row, service.SECTION_AMOUNT[original.section])
    if total == 0:
        return {}
    accounts = resolve(
        original.content["debtor"]["kind"],
        service.configured_accounts(session, original.fiscal_year),
    )
    lines = content.section_lines(row.lines, original.section)
    return {
        line["line_kind"]: int(line["amount_cents"])
        for line in accounting_lines(lines, accounts, total_cents=total)
    }


def proposals(session: Session, run: Run) -> list[Proposal]:
    """What replacing the issued titles of ``run``'s year by ``run`` needs, title by title."""
    ensure_replacement(run)
    rows = {r.member_code: r for r in repository.run_members(session, run.id, None)}
    out = []
    for original in repository.issued_originals(session, run.fiscal_year):
        if original.run_id == run.id:
            continue  # titled from this very run
        previous = list(repository.corrections_of(session, original.id))
        titled = {k: c for k, c in corrections.remaining_by_line(original, previous).items() if c}
        new = new_lines(session, rows.get(original.member_code), original)
        proposal = Proposal(original, titled, new)
        for kind in set(titled) | set(new):
            difference = new.get(kind, 0) - titled.get(kind, 0)
            if difference > 0:
                proposal.up[kind] = difference
            elif difference < 0:
                proposal.down[kind] = -difference
        if proposal.up or proposal.down:
            out.append(proposal)
    return out


def regularise(
    session: Session,
    *,
    run: Run,
    reason: str,
    ctx: service.IssueContext,
) -> list[Invoice]:
    """Prepare the corrections of every proposal (complements first, then reductions) for
    the signatory's validation."""
    made = []
    found = proposals(session, run)
    if not found:
        raise Conflict(
            f"The titles of {run.fiscal_year} already say what run {run.id} says: "
            "nothing to regularise.",
            detail_fr=f"Les titres de {run.fiscal_year} disent déjà ce que dit le calcul "
            f"n° {run.id} : rien à régulariser.",
            slug="nothing-to-regularise",
        )
    for proposal in found:
        why = (
            f"Régularisation : calcul définitif n° {run.id} remplaçant le n° "
            f"{proposal.original.run_id} — {reason}"
        )[:2000]
        for kind, by_line in (("complementary", proposal.up), ("reduction", proposal.down)):
            if not by_line:
                continue
            if kind == "reduction" and not proposal.new:
                data = CorrectionCreate(kind="cancellation", reason=why)
            else:
                data = CorrectionCreate(
                    kind=kind,
                    lines=[
                        CorrectionLine(line_kind=k, amount=fmt(c))
                        for k, c in sorted(by_line.items())
                    ],
                    reason=why,
                )
            made.append(
                corrections.correct(session, original=proposal.original, data=data, ctx=ctx)
            )
    return made
