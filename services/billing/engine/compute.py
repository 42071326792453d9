"""Compute every member's lines from a snapshot: payroll share, direct, indirect, cap.

Each line carries its explanation (basis and rounding), so that the explained amounts add up
to the member totals, and the member totals to the run totals, exactly. The explanation is
kept as integers and references (``engine/explanation.py``) and formatted into the lines the
reader sees only when ``MemberResult.lines`` is read: a run of 250,000 lines formats none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.billing.engine import explanation
from services.billing.engine.allocation import allocate_rows
from services.billing.engine.cap import apply_cap, window_years
from services.billing.engine.explanation import Row
from services.billing.engine.money import cents_ratio, fmt
from services.billing.engine.snapshot import Snapshot
from services.billing.engine.validation import Prepared, prepare

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
    cap: dict[str, Any] | None = None
    # the explanation as records (engine/explanation.py), formatted by ``lines`` when read
    payroll_row: Row | None = None
    direct_rows: list[Row] = field(default_factory=list)
    indirect_rows: list[Row] = field(default_factory=list)
    cap_cents: int | None = None
    names: Names | None = field(default=None, repr=False)

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

    def _records(self) -> tuple[Row | None, list[Row], list[Row], int | None]:
        """What the explanation is made of, in the order ``explanation`` takes it."""
        return (self.payroll_row, self.direct_rows, self.indirect_rows, self.cap_cents)

    def _names(self) -> tuple[dict[str, str], dict[str, str]]:
        names = self.names or Names({}, {}, {})
        return names.components, names.services

    @property
    def lines(self) -> list[dict[str, Any]]:
        """The explained lines (formatted now: call once and keep the list)."""
        return explanation.format_lines(*self._records(), self.cap, *self._names())

    def explanation_json(self) -> bytes:
        """The explanation's records as JSON, before compression (``encoded``)."""
        return explanation.document(*self._records(), *self._names())

    def encoded(self) -> bytes:
        """The explanation as a run stores it (a zlib'd blob: ``explanation.decode``)."""
        return explanation.encode(*self._records(), *self._names())


@dataclass
class RunResult:
    fiscal_year: int
    members: list[MemberResult]
    payroll: dict[str, Any]
    pools: list[dict[str, Any]]
    totals: dict[str, int]


def _payroll(prepared: Prepared, results: dict[str, MemberResult]) -> dict[str, Any]:
    counts = prepared.workstations
    total = sum(counts.values())
    envelope = prepared.envelope_cents
    rate = cents_ratio(envelope, total) if total else None
    info = {
        "payroll_envelope": fmt(envelope),
        "total_workstations": total,
        "rate_per_workstation": rate,
    }
    if not total:
        return info
    denominator, leftover, rows = allocate_rows(envelope, counts)
    head = (info["payroll_envelope"], total, rate, envelope, denominator, leftover)
    for code, floor, extra, remainder, rank in rows:
        result = results[code]
        result.payroll_row = (head, counts[code], floor, extra, remainder, rank)
        result.amounts["payroll"] += floor + extra
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
    return explanation.direct_label(names.components, names.services, component, nature, service)


def _direct(prepared: Prepared, results: dict[str, MemberResult]) -> None:
    buckets = {"operating": "direct_operating", "investment": "direct_investment"}
    rows_of = {code: result.direct_rows for code, result in results.items()}
    amounts_of = {code: result.amounts for code, result in results.items()}
    for parsed in prepared.direct:
        line = parsed.line
        weights = parsed.weights
        if not weights:
            continue
        denominator, leftover, rows = allocate_rows(parsed.cents, weights)
        head = (
            line.cost_line_id,
            line.component_code,
            line.service_code,
            line.nature,
            line.section,
            parsed.cents,
            str(sum(weights.values())),  # an int's digits are its Decimal's: same text
            denominator,
            leftover,
        )
        bucket = buckets[line.section]
        for code, floor, extra, remainder, rank in rows:  # order across members is moot
            rows_of[code].append((head, str(weights[code]), floor, extra, remainder, rank))
            amounts_of[code][bucket] += floor + extra


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
        denominator, leftover, rows = allocate_rows(amount, usage)
        head = (
            pool["pool"],
            driver,
            pool["driver_label"],
            unit,
            section,
            amount,
            pool["total_usage"],
            pool["unit_price"],
            denominator,
            leftover,
        )
        bucket = f"indirect_{section}"
        for code, floor, extra, remainder, rank in rows:  # order across members is moot
            result = results[code]
            result.indirect_rows.append((head, str(usage[code]), floor, extra, remainder, rank))
            result.amounts[bucket] += floor + extra
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
            result.cap_cents = outcome.reduction_cents
            result.amounts["cap_reduction"] += outcome.reduction_cents


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
    for result in results.values():
        result.names = names
    payroll = _payroll(prepared, results)
    _direct(prepared, results)
    pools = _indirect(prepared, results, names)
    _cap(snapshot, prepared, results)
    members = list(results.values())
    return RunResult(snapshot.fiscal_year, members, payroll, pools, run_totals(members))
