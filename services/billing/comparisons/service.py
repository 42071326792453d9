"""A year's comparisons: the run they stand on, the catalogue's references, each member's."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit.errors import NotFound
from kit.identity import Principal
from services.billing.comparisons import repository, staffing
from services.billing.comparisons.staffing import Need, Profile
from services.billing.models import Run, RunMember
from services.billing.runs import repository as runs


def run_or_404(session: Session, year: int) -> Run:
    run = repository.run_of_year(session, year)
    if run is None:
        raise NotFound(
            f"No succeeded run of {year}: the comparison stands on the year's final run, else "
            "its latest forecast.",
            detail_fr=f"Aucun calcul de {year} n'a abouti : la comparaison s'appuie sur le calcul "
            "définitif de l'exercice, à défaut sur son dernier calcul prévisionnel.",
            slug="run-not-found",
        )
    return run


def bill_of(row: RunMember) -> staffing.Bill:
    return staffing.Bill(
        member_code=row.member_code,
        name=row.name,
        workstations=row.workstations,
        payroll_cents=row.payroll_cents,
        total_cents=row.operating_invoiced_cents + row.investment_cents,
        lines=tuple(row.lines or ()),
    )


def run_info(run: Run) -> dict[str, Any]:
    return {"id": run.id, "kind": run.kind, "finished_at": run.finished_at}


def member_rows(session: Session, run: Run, principal: Principal) -> list[RunMember]:
    rows: list[RunMember] = []
    after: str | None = None
    while True:
        page = runs.members_page(
            session, run.id, limit=1000, after=after, member_code=principal.member
        )
        rows.extend(page[:1000])
        if len(page) <= 1000:
            return rows
        after = page[999].member_code


def comparisons(
    session: Session,
    *,
    year: int,
    principal: Principal,
    references: tuple[list[Profile], list[Need]],
    member: str | None = None,
) -> dict[str, Any]:
    """Every member's comparison of the year (a member's contact: its own), or one member's."""
    run = run_or_404(session, year)
    profiles, needs = references
    if member is not None:
        principal.ensure_member(member)
        row = runs.member(session, run.id, member)
        if row is None:
            raise NotFound(
                f"The run {run.id} has no result for '{member}'.",
                detail_fr=f"Le calcul n° {run.id} n'a pas de résultat pour l'adhérent "
                f"« {member} ».",
                slug="member-not-found",
            )
        rows = [row]
    else:
        rows = member_rows(session, run, principal)
    items = [
        staffing.compare(bill_of(r), pools=run.pools or [], profiles=profiles, needs=needs)
        for r in rows
    ]
    return {
        "fiscal_year": year,
        "run": run_info(run),
        "minimum_rule": "each needed profile rounded up to the tenth of a post and to at least "
        "its min_fte",
        "items": items,
    }
