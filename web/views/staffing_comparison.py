"""A member's bill beside hiring its own IT staff (billing's ``/comparisons``), as the member's
dashboard and the annual report show it: French figures, bars for an inline SVG chart."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from web.views.format import euros, number


@dataclass(frozen=True)
class ComparisonBar:
    label: str
    amount: str
    percent: int  # of the widest bar, 0–100
    own: bool  # the own-staff bar (another colour)


@dataclass(frozen=True)
class ProfileLine:
    label: str
    needed: str  # "0,1"
    hireable: str  # "0,5"
    yearly_cost: str
    cost: str
    reference: str  # "2025 — source"


@dataclass(frozen=True)
class StaffingComparison:
    year: int
    run_id: int
    kind_label: str
    bill: str
    payroll: str
    other_costs: str
    own_staff_cost: str
    gap: str
    gap_is_saving: bool  # own staff would cost more than the payroll share
    equivalent_posts_bill: str
    equivalent_posts_payroll: str
    average_cost: str
    skills: int
    skills_available: int
    hireable_posts: str
    services: list[str] = field(default_factory=list)
    profiles: list[ProfileLine] = field(default_factory=list)
    bars: list[ComparisonBar] = field(default_factory=list)


def _bars(pairs: list[tuple[str, str, bool]]) -> list[ComparisonBar]:
    amounts = [(label, Decimal(value), own) for label, value, own in pairs]
    widest = max((abs(a) for _, a, _ in amounts), default=Decimal(0)) or Decimal(1)
    return [
        ComparisonBar(
            label=label,
            amount=euros(str(amount)),
            percent=int((abs(amount) * 100 / widest).to_integral_value(rounding=ROUND_HALF_UP)),
            own=own,
        )
        for label, amount, own in amounts
    ]


def staffing_comparison(body: dict[str, Any], year: int) -> StaffingComparison:
    """The view of billing's comparison of one member (``GET /comparisons/{year}/{member}``)."""
    gap = Decimal(body["own_staff_minus_payroll"])
    run = body.get("run") or {}
    return StaffingComparison(
        year=year,
        run_id=int(run.get("id") or 0),
        kind_label="définitif" if run.get("kind") == "final" else "prévisionnel",
        bill=euros(body["bill"]),
        payroll=euros(body["payroll"]),
        other_costs=euros(body["other_costs"]),
        own_staff_cost=euros(body["own_staff_cost"]),
        gap=euros(str(abs(gap))),
        gap_is_saving=gap > 0,
        equivalent_posts_bill=number(body.get("equivalent_posts_bill")) or "—",
        equivalent_posts_payroll=number(body.get("equivalent_posts_payroll")) or "—",
        average_cost=euros(body.get("average_cost")) or "—",
        skills=int(body["skills"]),
        skills_available=int(body["skills_available"]),
        hireable_posts=number(body["hireable_posts"]),
        services=[s["name"] for s in body.get("services") or []],
        profiles=[
            ProfileLine(
                label=p["label"],
                needed=number(p["needed_fte"]),
                hireable=number(p["hireable_fte"]),
                yearly_cost=euros(p["yearly_cost"]),
                cost=euros(p["cost"]),
                reference=f"{p['reference_year']} — {p['source']}",
            )
            for p in body.get("profiles") or []
        ],
        bars=_bars(
            [
                (f"Votre facture {year}", body["bill"], False),
                ("dont quote-part de masse salariale", body["payroll"], False),
                ("Recrutement en propre des compétences utilisées", body["own_staff_cost"], True),
            ]
        ),
    )


def staffing_report(found: dict[str, Any] | None) -> dict[str, Any] | None:
    """The annual report's section: each member's bill beside hiring its own staff."""
    if not found or found.get("unavailable"):
        return found
    run = found.get("run") or {}
    return {
        "run_id": run.get("id"),
        "kind_label": "définitif" if run.get("kind") == "final" else "prévisionnel",
        "members": [
            {
                "name": m["name"],
                "bill": euros(m["bill"]),
                "payroll": euros(m["payroll"]),
                "posts": number(m.get("equivalent_posts_bill")) or "—",
                "skills": f"{m['skills']} sur {m['skills_available']}",
                "hireable": number(m["hireable_posts"]),
                "own_staff_cost": euros(m["own_staff_cost"]),
            }
            for m in found.get("members") or []
        ],
    }
