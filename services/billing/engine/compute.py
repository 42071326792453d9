"""Compute every member's lines from a snapshot: payroll share, direct, indirect, cap.

Each line carries its explanation (basis and rounding), so that the explained amounts add up
to the member totals, and the member totals to the run totals, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.billing.engine.allocation import Share, allocate
from services.billing.engine.cap import apply_cap, window_years
from services.billing.engine.money import cents_ratio, fmt
from services.billing.engine.snapshot import Snapshot
from services.billing.engine.validation import Prepared, prepare
from services.billing.labels import CAP_LINE, NATURES, PAYROLL_LINE, label

AMOUNT_FIELDS = (
    "payroll",
    "direct_operating",
    "direct_investment",
    "indirect_operating",
    "indirect_investment",
    "cap_reduction",
)


@dataclass
class MemberResult:
    code: str
    name: str
    is_host: bool
    invoiced: bool
    workstations: int | None
    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AMOUNT_FIELDS, 0))
    lines: list[dict[str, Any]] = field(default_factory=list)
    cap: dict[str, Any] | None = None

    @property
    def operating(self) -> int:
        a = self.amounts
        return a["payroll"] + a["direct_operating"] + a["indirect_operating"]

    @property
    def operating_invoiced(self) -> int:
        return self.operating + self.amounts["cap_reduction"]

    @property
    def investment(self) -> int:
        return self.amounts["direct_investment"] + self.amounts["indirect_investment"]

    def totals(self) -> dict[str, int]:
        return {
            **self.amounts,
            "operating": self.operating,
            "operating_invoiced": self.operating_invoiced,
            "investment": self.investment,
        }

    def add_line(self, line: dict[str, Any], cents: int, bucket: str) -> None:
        self.amounts[bucket] += cents
        self.lines.append({"line": len(self.lines) + 1, "amount": fmt(cents), **line})


@dataclass
class RunResult:
    fiscal_year: int
    members: list[MemberResult]
    payroll: dict[str, Any]
    pools: list[dict[str, Any]]
    totals: dict[str, int]


def _payroll(prepared: Prepared, results: dict[str, MemberResult]) -> dict[str, Any]:
    total = sum(prepared.workstations.values())
    envelope = prepared.envelope_cents
    info = {
        "payroll_envelope": fmt(envelope),
        "total_workstations": total,
        "rate_per_workstation": cents_ratio(envelope, total) if total else None,
    }
    if not total:
        return info
    for code, share in allocate(envelope, prepared.workstations).items():
        basis = {**info, "workstations": prepared.workstations[code]}
        line = {"kind": "payroll", "section": "operating", "label": PAYROLL_LINE}
        results[code].add_line(
            {**line, "basis": basis, "rounding": share.rounding()}, share.cents, "payroll"
        )
    return info


@dataclass(frozen=True)
class Names:
    """The catalogue's names in the snapshot; a code without a name is shown as itself."""

    components: dict[str, str]
    services: dict[str, str]
    drivers: dict[str, str]

    @classmethod
    def of(cls, snapshot: Snapshot) -> Names:
        return cls(snapshot.names("component"), snapshot.names("service"), snapshot.names("driver"))

    def component(self, code: str) -> str:
        return self.components.get(code, code)

    def service(self, code: str | None) -> str:
        return self.services.get(code, code) if code else ""

    def driver(self, code: str) -> str:
        return self.drivers.get(code, code)


def direct_label(names: Names, component: str, nature: str | None, service: str | None) -> str:
    """ "Boucle fibre métropolitaine — hébergement": the component's name and what is paid."""
    what = label(NATURES, nature) if nature else names.service(service)
    return f"{names.component(component)} — {what}" if what else names.component(component)


def _direct(prepared: Prepared, results: dict[str, MemberResult], names: Names) -> None:
    for parsed in prepared.direct:
        line = parsed.line
        if not parsed.weights:
            continue
        total_weight = sum(parsed.weights.values(), Decimal(0))
        shares = allocate(parsed.cents, parsed.weights)
        for code, share in shares.items():  # one line per member: order across members is moot
            basis = {
                "cost_line_id": line.cost_line_id,
                "component_code": line.component_code,
                "component_name": names.component(line.component_code),
                "service_code": line.service_code,
                "service_name": names.service(line.service_code),
                "nature": line.nature,
                "nature_label": label(NATURES, line.nature),
                "line_amount": fmt(parsed.cents),
                "weight": str(parsed.weights[code]),
                "total_weight": str(total_weight),
            }
            entry = {
                "kind": "direct",
                "section": line.section,
                "label": direct_label(names, line.component_code, line.nature, line.service_code),
                "basis": basis,
                "rounding": share.rounding(),
            }
            results[code].add_line(entry, share.cents, f"direct_{line.section}")


def _indirect(
    prepared: Prepared, results: dict[str, MemberResult], names: Names
) -> list[dict[str, Any]]:
    pools: list[dict[str, Any]] = []
    for (driver, section), lines in sorted(prepared.pools.items()):
        amount = sum(p.cents for p in lines)
        usage = {m: q for m, q in prepared.usage.get(driver, {}).items() if q > 0}
        total_usage = sum(usage.values(), Decimal(0))
        unit = prepared.units[driver]
        pool = {
            "pool": f"{driver}/{section}",
            "driver_code": driver,
            "driver_label": names.driver(driver),
            "unit": unit,
            "section": section,
            "amount": fmt(amount),
            "total_usage": str(total_usage),
            "unit_price": cents_ratio(amount, total_usage) if usage else None,
            "members": len(usage),
            "cost_lines": [
                {
                    "cost_line_id": p.line.cost_line_id,
                    "component_code": p.line.component_code,
                    "component_name": names.component(p.line.component_code),
                    "service_code": p.line.service_code,
                    "amount": fmt(p.cents),
                }
                for p in lines
            ],
        }
        pools.append(pool)
        if not usage:
            continue  # a zero pool nobody uses (a non-zero one is refused by validation)
        shares: dict[str, Share] = allocate(amount, usage)
        for code, share in shares.items():  # one line per member: order across members is moot
            basis = {
                "pool": pool["pool"],
                "driver_code": driver,
                "driver_label": pool["driver_label"],
                "unit": unit,
                "pool_amount": pool["amount"],
                "usage": str(usage[code]),
                "total_usage": pool["total_usage"],
                "unit_price": pool["unit_price"],
            }
            entry = {
                "kind": "indirect",
                "section": section,
                "label": f"{pool['driver_label']} ({unit})" if unit else pool["driver_label"],
                "basis": basis,
                "rounding": share.rounding(),
            }
            results[code].add_line(entry, share.cents, f"indirect_{section}")
    return pools


def _cap(snapshot: Snapshot, prepared: Prepared, results: dict[str, MemberResult]) -> None:
    params = snapshot.parameters
    if not params.cap_enabled:
        return
    years = window_years(snapshot.fiscal_year, params.cap_window)
    for code, result in results.items():
        if not result.invoiced:
            continue
        history = prepared.history.get(code, {})
        outcome = apply_cap(
            operating_cents=result.operating,
            history={year: cents for year, (cents, _source) in history.items()},
            years=years,
        )
        result.cap = {
            "window": years,
            "history": [
                {"fiscal_year": y, "operating_total": fmt(history[y][0]), "source": history[y][1]}
                for y in outcome.years_used
            ],
            "ceiling": fmt(outcome.ceiling_cents) if outcome.ceiling_cents is not None else None,
            "operating_before_cap": fmt(result.operating),
            "reduction": fmt(outcome.reduction_cents),
        }
        if outcome.reduction_cents:
            entry = {
                "kind": "cap",
                "section": "operating",
                "label": CAP_LINE,
                "basis": result.cap,
            }
            result.add_line(entry, outcome.reduction_cents, "cap_reduction")


def run_totals(members: list[MemberResult]) -> dict[str, int]:
    totals = dict.fromkeys((*AMOUNT_FIELDS, "operating", "operating_invoiced", "investment"), 0)
    host_share = not_invoiced = invoiced = 0
    for member in members:
        for key, value in member.totals().items():
            totals[key] += value
        share = member.operating_invoiced + member.investment
        if member.is_host:
            host_share += share
        if member.invoiced:
            invoiced += share
        else:
            not_invoiced += share
    cap_absorbed = -totals["cap_reduction"]
    return {
        **totals,
        "host_share": host_share,
        "cap_absorbed": cap_absorbed,
        "host_absorbs": not_invoiced + cap_absorbed,
        "invoiced_total": invoiced,
    }


def compute(snapshot: Snapshot) -> RunResult:
    """Every member's lines and totals; raises ``InputProblems`` on inputs that cannot be billed."""
    prepared = prepare(snapshot)
    results = {
        code: MemberResult(
            code=code,
            name=member.name,
            is_host=member.is_host,
            invoiced=member.invoiced and not member.is_host,
            workstations=prepared.workstations.get(code),
        )
        for code, member in sorted(prepared.members.items())
    }
    names = Names.of(snapshot)
    payroll = _payroll(prepared, results)
    _direct(prepared, results, names)
    pools = _indirect(prepared, results, names)
    _cap(snapshot, prepared, results)
    members = list(results.values())
    return RunResult(snapshot.fiscal_year, members, payroll, pools, run_totals(members))
