"""The comparison of a member's bill with hiring its own IT staff: pure computation.

The rules (docs/decisions.md, "Compared with hiring one's own staff"):

- **Services used**: the catalogue services of the member's non-zero lines in the run — a
  direct line's service, and for an indirect line every service of its pool's cost lines. The
  payroll share has no service: it pays for the DSIT's staff across all its domains.
- **Need per profile**: for each service used and each profile it needs, the need of the
  member's size band — the need with the greatest ``min_workstations`` not above the member's
  workstation count (none below: no need for that size). Summed over the services.
- **Hireable share**: a body cannot hire 0.1 RSSI. Each needed profile is rounded up to the
  tenth of a post, and to at least the profile's ``min_fte`` (by default half a post).
- **Own staff cost**: each profile's hireable share × its reference yearly employer cost,
  rounded half-up to the cent, summed.
- **Equivalent posts**: an amount ÷ the average yearly cost of the profiles the member draws on,
  weighted by their needed shares (all profiles alike when the member draws on none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from services.billing.engine.money import fmt, to_cents

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Profile:
    code: str
    label: str
    yearly_cost_cents: int
    reference_year: int
    source: str
    min_fte: Decimal


@dataclass(frozen=True)
class Need:
    service_code: str
    service_name: str
    profile_code: str
    min_workstations: int
    fte: Decimal


@dataclass(frozen=True)
class Bill:
    """The member's figures in the run the comparison stands on."""

    member_code: str
    name: str
    workstations: int | None
    payroll_cents: int
    total_cents: int  # operating after the cap + investment
    lines: tuple[Mapping[str, Any], ...] = ()


@dataclass
class ProfileNeed:
    profile: Profile
    needed: Decimal = Decimal(0)
    services: list[str] = field(default_factory=list)

    @property
    def hireable(self) -> Decimal:
        rounded = self.needed.quantize(TENTH, rounding=ROUND_CEILING)
        return max(rounded, self.profile.min_fte)

    @property
    def cost_cents(self) -> int:
        exact = self.hireable * self.profile.yearly_cost_cents
        return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def services_used(
    lines: Iterable[Mapping[str, Any]], pools: Iterable[Mapping[str, Any]]
) -> set[str]:
    """The services of the member's non-zero direct and indirect lines."""
    by_pool = {
        p["pool"]: {c["service_code"] for c in p.get("cost_lines") or () if c.get("service_code")}
        for p in pools
    }
    used: set[str] = set()
    for line in lines:
        if to_cents(str(line.get("amount") or "0")) == 0:
            continue
        basis = line.get("basis") or {}
        if line.get("kind") == "direct" and basis.get("service_code"):
            used.add(str(basis["service_code"]))
        elif line.get("kind") == "indirect":
            used |= by_pool.get(basis.get("pool"), set())
    return used


def band_needs(needs: Iterable[Need], workstations: int) -> dict[tuple[str, str], Need]:
    """Per (service, profile), the need of the size band ``workstations`` falls in."""
    chosen: dict[tuple[str, str], Need] = {}
    for need in needs:
        if need.min_workstations > workstations:
            continue
        key = (need.service_code, need.profile_code)
        if key not in chosen or need.min_workstations > chosen[key].min_workstations:
            chosen[key] = need
    return chosen


def average_cost(
    profiles: Iterable[ProfileNeed], every: Iterable[Profile]
) -> tuple[Decimal | None, str | None]:
    """The average yearly cost (cents) weighted by needed shares, else of every profile."""
    drawn = [p for p in profiles if p.needed > 0]
    weight = sum((p.needed for p in drawn), Decimal(0))
    if weight:
        total = sum((p.needed * p.profile.yearly_cost_cents for p in drawn), Decimal(0))
        return total / weight, "needs"
    costs = [Decimal(p.yearly_cost_cents) for p in every]
    if costs:
        return sum(costs, Decimal(0)) / len(costs), "all_profiles"
    return None, None


def posts(cents: int, average: Decimal | None) -> str | None:
    if not average:
        return None
    return str((Decimal(cents) / average).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def compare(
    bill: Bill,
    *,
    pools: Iterable[Mapping[str, Any]],
    profiles: Iterable[Profile],
    needs: Iterable[Need],
) -> dict[str, Any]:
    """The comparison of one member's bill, as the API returns it (amounts as strings)."""
    every = {p.code: p for p in profiles}
    needs = list(needs)
    used = services_used(bill.lines, pools)
    names = {n.service_code: n.service_name for n in needs}
    drawn: dict[str, ProfileNeed] = {}
    chosen = band_needs((n for n in needs if n.service_code in used), bill.workstations or 0)
    for (service, code), need in sorted(chosen.items()):
        if code not in every or need.fte <= 0:
            continue
        entry = drawn.setdefault(code, ProfileNeed(every[code]))
        entry.needed += need.fte
        entry.services.append(service)
    average, basis = average_cost(drawn.values(), every.values())
    own = sum(p.cost_cents for p in drawn.values())
    return {
        "member_code": bill.member_code,
        "name": bill.name,
        "workstations": bill.workstations,
        "bill": fmt(bill.total_cents),
        "payroll": fmt(bill.payroll_cents),
        "other_costs": fmt(bill.total_cents - bill.payroll_cents),
        "average_cost": None
        if average is None
        else fmt(int(average.to_integral_value(ROUND_HALF_UP))),
        "average_basis": basis,
        "equivalent_posts_bill": posts(bill.total_cents, average),
        "equivalent_posts_payroll": posts(bill.payroll_cents, average),
        "skills": len(drawn),
        "skills_available": len(every),
        "needed_posts": _plain(sum((p.needed for p in drawn.values()), Decimal(0))),
        "hireable_posts": _plain(sum((p.hireable for p in drawn.values()), Decimal(0))),
        "own_staff_cost": fmt(own),
        "own_staff_minus_payroll": fmt(own - bill.payroll_cents),
        "profiles": [
            {
                "code": p.profile.code,
                "label": p.profile.label,
                "yearly_cost": fmt(p.profile.yearly_cost_cents),
                "reference_year": p.profile.reference_year,
                "source": p.profile.source,
                "min_fte": _plain(p.profile.min_fte),
                "needed_fte": _plain(p.needed),
                "hireable_fte": _plain(p.hireable),
                "cost": fmt(p.cost_cents),
                "services": p.services,
            }
            for p in sorted(drawn.values(), key=lambda p: (-p.cost_cents, p.profile.code))
        ],
        "services": [{"code": s, "name": names.get(s, s)} for s in sorted(used)],
        "services_without_needs": sorted(used - {s for s, _ in chosen}),
    }


def _cents(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _plain(value: Decimal) -> str:
    """``Decimal("10.0")`` → ``"10"`` (never ``"1E+1"``), ``Decimal("0.50")`` → ``"0.5"``."""
    return format(value.normalize(), "f")
