"""The explanation of a member's lines in a run: every amount back to its inputs."""

from __future__ import annotations

from typing import Any

from services.billing.engine.money import fmt, to_cents
from services.billing.engine.workstations import workstations_note
from services.billing.models import Run, RunMember
from services.billing.runs.service import member_amounts


def explain(run: Run, row: RunMember) -> dict[str, Any]:
    """Lines with their basis and rounding, the pools they draw on, the cap, and the check that
    the lines add up to the member's totals to the cent."""
    used = {line["basis"]["pool"] for line in row.lines if line["kind"] == "indirect"}
    pools = [p for p in run.pools or [] if p["pool"] in used]
    by_section = {"operating": 0, "investment": 0}
    for line in row.lines:
        by_section[line["section"]] += to_cents(line["amount"])
    operating_ok = by_section["operating"] == row.operating_invoiced_cents
    investment_ok = by_section["investment"] == row.investment_cents
    return {
        "run_id": run.id,
        "fiscal_year": run.fiscal_year,
        "kind": run.kind,
        "snapshot_hash": run.snapshot_hash,
        "member_code": row.member_code,
        "totals": member_amounts(row),
        "payroll": run.payroll,
        "lines": row.lines,
        "pools": pools,
        "cap": row.cap,
        # sentences for a reader, e.g. why two workstation counts differ (engine/workstations.py)
        "notes": [note] if (note := workstations_note(row.lines)) else [],
        "check": {
            "operating_lines": fmt(by_section["operating"]),
            "investment_lines": fmt(by_section["investment"]),
            "adds_up": operating_ok and investment_ok,
        },
    }
