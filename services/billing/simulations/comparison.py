"""Comparing a simulation's result with its base, member by member and line by line (pure).

Both sides come from ``compute()`` (its public ``RunResult``): the base is the run's own
snapshot computed again, which gives the run's stored results to the cent (the same snapshot
always does; tests/billing/test_simulations_api.py checks it against the stored run), so the
comparison does not depend on how the run stores its results. Lines are matched by what they
charge: the payroll share, a direct cost line (by its id), an indirect pool (driver and
section), the cap.
"""

from __future__ import annotations

from typing import Any

from services.billing.engine.compute import MemberResult, RunResult
from services.billing.engine.money import fmt, to_cents

AMOUNTS = (
    "payroll",
    "direct_operating",
    "direct_investment",
    "indirect_operating",
    "indirect_investment",
    "operating",
    "cap_reduction",
    "operating_invoiced",
    "investment",
    "total",
)


def member_amounts(member: MemberResult | None) -> dict[str, int]:
    """The member's amounts in cents; ``total`` is its bill (operating invoiced + investment)."""
    if member is None:
        return dict.fromkeys(AMOUNTS, 0)
    totals = member.totals()
    out = {key: int(totals[key]) for key in AMOUNTS if key != "total"}
    out["total"] = out["operating_invoiced"] + out["investment"]
    return out


def line_key(line: dict[str, Any]) -> str:
    basis = line.get("basis") or {}
    kind = str(line.get("kind"))
    if kind == "direct":
        return f"direct:{basis.get('cost_line_id')}"
    if kind == "indirect":
        return f"indirect:{basis.get('pool') or line.get('label')}"
    return kind


def compare_lines(
    base: MemberResult | None, simulated: MemberResult | None
) -> list[dict[str, Any]]:
    """Every line of either side, in the order of the simulation then the base's lines gone."""
    base_lines = {line_key(ln): ln for ln in (base.lines if base else [])}
    sim_lines = {line_key(ln): ln for ln in (simulated.lines if simulated else [])}
    keys = list(sim_lines) + [k for k in base_lines if k not in sim_lines]
    out = []
    for key in keys:
        b, s = base_lines.get(key), sim_lines.get(key)
        shown = s or b
        assert shown is not None
        b_cents = to_cents(b["amount"]) if b else 0
        s_cents = to_cents(s["amount"]) if s else 0
        out.append(
            {
                "key": key,
                "kind": shown["kind"],
                "section": shown["section"],
                "label": shown["label"],
                "base": b["amount"] if b else None,
                "simulated": s["amount"] if s else None,
                "difference": fmt(s_cents - b_cents),
            }
        )
    return out


def compare_member(
    code: str, base: MemberResult | None, simulated: MemberResult | None, *, lines: bool
) -> dict[str, Any]:
    shown = simulated or base
    assert shown is not None
    b, s = member_amounts(base), member_amounts(simulated)
    out: dict[str, Any] = {
        "member_code": code,
        "name": shown.name,
        "is_host": shown.is_host,
        "invoiced": shown.invoiced,
        "in_base": base is not None,
        "in_simulation": simulated is not None,
        "workstations": {
            "base": base.workstations if base else None,
            "simulated": simulated.workstations if simulated else None,
        },
        "base": {k: fmt(v) for k, v in b.items()},
        "simulated": {k: fmt(v) for k, v in s.items()},
        "difference": {k: fmt(s[k] - b[k]) for k in AMOUNTS},
    }
    if lines:
        out["lines"] = compare_lines(base, simulated)
    return out


def compare(
    base: RunResult, simulated: RunResult, *, only: str | None = None, lines: bool = False
) -> list[dict[str, Any]]:
    """Every member of either side (by code), or only ``only``."""
    by_base = {m.code: m for m in base.members}
    by_sim = {m.code: m for m in simulated.members}
    codes = sorted(set(by_base) | set(by_sim))
    if only is not None:
        codes = [c for c in codes if c == only]
    return [compare_member(c, by_base.get(c), by_sim.get(c), lines=lines) for c in codes]


def compare_totals(base: RunResult, simulated: RunResult) -> dict[str, dict[str, str]]:
    keys = [k for k in base.totals if k in simulated.totals]
    return {
        "base": {k: fmt(int(base.totals[k])) for k in keys},
        "simulated": {k: fmt(int(simulated.totals[k])) for k in keys},
        "difference": {k: fmt(int(simulated.totals[k]) - int(base.totals[k])) for k in keys},
    }
