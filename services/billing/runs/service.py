"""Rules of runs: launching (one current final run per year, replaced only with a reason)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kit import audit
from kit.errors import Conflict
from kit.i18n import wants_french
from kit.identity import Principal
from services.billing.engine.money import fmt
from services.billing.fiscal_years import repository as fiscal_years
from services.billing.history import repository as history
from services.billing.models import AuditEntry, Run, RunMember
from services.billing.runs import repository
from services.billing.runs.execution import fail_expired
from services.billing.runs.schemas import RunCreate

MEMBER_AMOUNTS = (
    "payroll",
    "direct_operating",
    "direct_investment",
    "indirect_operating",
    "indirect_investment",
    "operating",
    "cap_reduction",
    "operating_invoiced",
    "investment",
)


def get_run(session: Session, run_id: int) -> Run | None:
    """The run, shown failed as soon as its lease has expired (its process died)."""
    run = repository.get(session, run_id)
    if run is not None and run.status == "running":
        fail_expired(session)
    return run


def launch_run(session: Session, *, principal: Principal, data: RunCreate) -> Run:
    """Queue a run; a worker computes it. Refuses what would make two current final runs."""
    year = data.fiscal_year
    if fiscal_years.get(session, year) is None:
        raise Conflict(
            f"The fiscal year {year} has no parameters: PUT /fiscal-years/{year} "
            "(payroll envelope, cap) before launching a run.",
            detail_fr=f"L'exercice {year} n'est pas paramétré : renseignez son enveloppe de "
            "masse salariale et son plafond avant de lancer un calcul.",
            slug="fiscal-year-not-configured",
        )
    replaces = None
    if data.kind == "final":
        fail_expired(session)  # a run whose process died does not block its year
        active = repository.active_final(session, year)
        if active is not None:
            raise Conflict(
                f"The final run {active.id} of {year} is {active.status}: wait for it to finish.",
                detail_fr=f"Le calcul définitif n° {active.id} de {year} est en cours : "
                "attendez qu'il se termine.",
                slug="final-run-in-progress",
            )
        replaces = repository.current_final(session, year)
        if replaces is not None and not data.replacement_reason:
            raise Conflict(
                f"The run {replaces.id} is the current final run of {year}. To replace it, "
                "launch again with a replacement_reason; the old run is kept.",
                detail_fr=f"Le calcul n° {replaces.id} est le calcul définitif de {year}. Pour le "
                "remplacer, relancez en donnant le motif du remplacement ; l'ancien calcul est "
                "conservé.",
                slug="final-run-exists",
            )
    run = Run(
        fiscal_year=year,
        kind=data.kind,
        status="queued",
        progress=0,
        phase="queued",
        launched_by=principal.audit_name[:200],
        is_current=False,
        replaces_id=replaces.id if replaces else None,
        replacement_reason=data.replacement_reason if replaces else None,
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        AuditEntry,
        principal=principal,
        action="launch",
        resource_type="run",
        resource_id=str(run.id),
        after={"fiscal_year": year, "kind": data.kind, "reason": data.replacement_reason},
    )
    return run


def money(cents: dict[str, int] | None) -> dict[str, str] | None:
    return None if cents is None else {k: fmt(int(v)) for k, v in cents.items()}


def run_read(run: Run, *, principal: Principal) -> dict[str, Any]:
    """A run as the API shows it; a member-scoped principal does not see the run totals."""
    staff = principal.member is None
    return {
        "id": run.id,
        "fiscal_year": run.fiscal_year,
        "kind": run.kind,
        "status": run.status,
        "progress": run.progress,
        "phase": run.phase,
        "launched_by": run.launched_by if staff else None,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "snapshot_hash": run.snapshot_hash,
        "is_current": run.is_current,
        "replaces": run.replaces_id,
        "replacement_reason": run.replacement_reason,
        "replaced_by": run.replaced_by_id,
        "made_available_at": run.made_available_at,
        "problems": problems_read(run.problems),
        "totals": money(run.totals) if staff else None,
        "payroll": run.payroll,
        "timings": run.timings,
    }


def problems_read(problems: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """A failed run's problems in the language the request asked: they are stored in both
    (``message_fr``, ``fix_fr``: the worker that found them answered no request)."""
    if problems is None:
        return None
    french = wants_french()
    out = []
    for stored in problems:
        shown = {k: v for k, v in stored.items() if k not in ("message_fr", "fix_fr")}
        if french and stored.get("message_fr"):
            shown["message"], shown["fix"] = stored["message_fr"], stored.get("fix_fr") or ""
        out.append(shown)
    return out


def member_amounts(row: RunMember) -> dict[str, str]:
    return {name: fmt(getattr(row, f"{name}_cents")) for name in MEMBER_AMOUNTS}


def member_read(
    row: RunMember, run: Run, previous: dict[str, Any] | None, *, lines: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "run_id": run.id,
        "fiscal_year": run.fiscal_year,
        "kind": run.kind,
        "member_code": row.member_code,
        "name": row.name,
        "is_host": row.is_host,
        "invoiced": row.invoiced,
        "workstations": row.workstations,
        **member_amounts(row),
        "cap": row.cap,
        "previous_year": previous,
    }
    if lines:
        out["lines"] = row.lines
    return out


def previous_year(session: Session, run: Run, member_code: str) -> dict[str, Any] | None:
    """The member's previous year beside this one: its current final run, else imported history."""
    year = run.fiscal_year - 1
    row = repository.current_final_member(session, year, member_code)
    if row is not None:
        return {"fiscal_year": year, "source": f"run:{row.run_id}", **member_amounts(row)}
    imported = history.get(session, year, member_code)
    if imported is not None:
        total = fmt(imported.operating_total_cents)
        return {"fiscal_year": year, "source": "import", "operating_invoiced": total}
    return None
