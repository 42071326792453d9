"""View models of a member's service catalogue: what the member subscribes to, what each
service costs it in the year's run, and why (allocation key or driver, share, cost of the year).

Every amount comes from the run's explanation of the member's lines. A direct line names its
service; an indirect pool mixes components of several services, so the member's share of a pool
is split over the pool's cost lines in proportion to their amounts, to the cent, the remaining
cents going to the largest remainders (the billing allocation rule), so the services and the
costs outside any service always add up to what the run charges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from web.views.billing import KINDS, NATURES, SECTIONS, unit_price
from web.views.catalogue_labels import DOMAINS, OFFERING_STATUSES, label
from web.views.dashboard import dec, money
from web.views.format import date, euros, number, timestamp
from web.views.governance_labels import percent

CENT = Decimal("0.01")
NO_SERVICE = ""  # the group of the components attached to no service of the catalogue


def share_percent(part: Decimal, whole: Decimal) -> str:
    return percent(str(part * 100 / whole)) if whole else "—"


def split_cents(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``amount`` over ``weights``: each exact share floored to the cent, the remaining cents
    one each to the largest fractional remainders (first come first on ties)."""
    total = sum(weights, Decimal(0))
    if not weights or total == 0:
        return [Decimal(0) for _ in weights]
    exact = [amount * w / total for w in weights]
    shares = [e.quantize(CENT, rounding=ROUND_FLOOR) for e in exact]
    left = int(((amount - sum(shares, Decimal(0))) / CENT).to_integral_value())
    ranked = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in ranked[:left]:
        shares[i] += CENT
    return shares


@dataclass(frozen=True)
class DirectShare:
    """A direct cost line: the member's share by the allocation key set at purchase."""

    component: str
    nature: str
    section: str
    line_amount: str  # the cost of the year, every member together
    weight: str
    total_weight: str
    share: str  # the member's weight over the total, in percent
    amount: str  # what the member pays of it


@dataclass(frozen=True)
class IndirectShare:
    """The part of a driver's pool that comes from this service's components."""

    driver: str
    unit: str
    section: str
    service_amount: str  # the service's cost lines in the pool, every member together
    pool_amount: str
    usage: str
    total_usage: str
    share: str  # the member's usage over the total, in percent
    unit_price: str
    amount: str  # what the member pays of the service's part


@dataclass
class ServiceCost:
    code: str
    name: str
    domain: str
    description: str
    status_label: str
    subscribed_since: str | None  # None: no subscription recorded
    service_levels: list[tuple[str, str]] = field(default_factory=list)
    direct: list[DirectShare] = field(default_factory=list)
    indirect: list[IndirectShare] = field(default_factory=list)
    cents: Decimal = Decimal(0)

    @property
    def subscribed(self) -> bool:
        return self.subscribed_since is not None

    @property
    def total(self) -> str:
        return euros(money(self.cents))

    @property
    def costs_something(self) -> bool:
        return bool(self.direct or self.indirect)


@dataclass(frozen=True)
class MemberCatalogue:
    member_code: str
    member_name: str
    year: int
    run_label: str  # "calcul prévisionnel n°12 du 01/02/2026 10:00:00", empty without a run
    services: list[ServiceCost]
    other: ServiceCost | None  # components attached to no service
    summary: list[tuple[str, str]]  # the reconciliation with the run's total
    total: str

    @property
    def subscribed(self) -> list[ServiceCost]:
        return [s for s in self.services if s.subscribed]

    @property
    def billed_without_subscription(self) -> list[ServiceCost]:
        return [s for s in self.services if not s.subscribed and s.costs_something]


def offering(item: dict[str, Any], since: str | None) -> ServiceCost:
    return ServiceCost(
        code=item["code"],
        name=item["name"],
        domain=label(DOMAINS, item.get("domain")),
        description=item.get("description") or "",
        status_label=label(OFFERING_STATUSES, item.get("status")),
        subscribed_since=since,
        service_levels=[
            (s["indicator"], s["commitment"]) for s in item.get("service_levels") or []
        ],
    )


def _direct(line: dict[str, Any]) -> DirectShare:
    basis = line.get("basis") or {}
    weight, total_weight = dec(basis.get("weight")), dec(basis.get("total_weight"))
    return DirectShare(
        component=str(basis.get("component_name") or basis.get("component_code") or ""),
        nature=NATURES.get(basis.get("nature") or "", basis.get("nature") or ""),
        section=SECTIONS.get(line["section"], line["section"]),
        line_amount=euros(basis.get("line_amount")),
        weight=number(basis.get("weight")),
        total_weight=number(basis.get("total_weight")),
        share=share_percent(weight, total_weight),
        amount=euros(line["amount"]),
    )


def _indirect(
    line: dict[str, Any], pool: dict[str, Any]
) -> list[tuple[str, IndirectShare, Decimal]]:
    """The member's share of a pool, split by service: (service code, share, amount)."""
    basis = line.get("basis") or {}
    cost_lines = pool.get("cost_lines") or []
    by_service: dict[str, Decimal] = {}
    for c in cost_lines:
        code = c.get("service_code") or NO_SERVICE
        by_service[code] = by_service.get(code, Decimal(0)) + dec(c["amount"])
    codes = sorted(by_service)
    amounts = split_cents(dec(line["amount"]), [by_service[c] for c in codes])
    usage, total_usage = dec(basis.get("usage")), dec(basis.get("total_usage"))
    return [
        (
            code,
            IndirectShare(
                driver=str(basis.get("driver_label") or basis.get("driver_code") or ""),
                unit=str(basis.get("unit") or ""),
                section=SECTIONS.get(line["section"], line["section"]),
                service_amount=euros(money(by_service[code])),
                pool_amount=euros(basis.get("pool_amount")),
                usage=number(basis.get("usage")),
                total_usage=number(basis.get("total_usage")),
                share=share_percent(usage, total_usage),
                unit_price=unit_price(basis.get("unit_price")),
                amount=euros(money(amount)),
            ),
            amount,
        )
        for code, amount in zip(codes, amounts, strict=True)
    ]


def member_catalogue(
    *,
    member_code: str,
    member_name: str,
    year: int,
    offerings: list[dict[str, Any]],
    subscriptions: dict[str, str | None],
    run: dict[str, Any] | None,
    explanation: dict[str, Any] | None,
) -> MemberCatalogue:
    """``subscriptions``: the member's, by service code, with their start date (ISO or None);
    ``explanation``: the run's explanation of the member's lines (None without a run)."""
    services = {
        o["code"]: offering(
            o, date(subscriptions[o["code"]]) if o["code"] in subscriptions else None
        )
        for o in offerings
    }
    other = ServiceCost(NO_SERVICE, "Composants rattachés à aucun service", "", "", "", None)

    def group(code: str | None) -> ServiceCost:
        code = code or NO_SERVICE
        if code == NO_SERVICE:
            return other
        if code not in services:  # a service withdrawn from the catalogue since the run
            services[code] = ServiceCost(code, code, "", "", "", None)
        return services[code]

    lines = (explanation or {}).get("lines") or []
    pools = {p["pool"]: p for p in (explanation or {}).get("pools") or []}
    for line in lines:
        if line["kind"] == "direct":
            target = group((line.get("basis") or {}).get("service_code"))
            target.direct.append(_direct(line))
            target.cents += dec(line["amount"])
        elif line["kind"] == "indirect":
            pool = pools.get((line.get("basis") or {}).get("pool", ""), {})
            for code, share, amount in _indirect(line, pool):
                target = group(code)
                target.indirect.append(share)
                target.cents += amount
    totals = (explanation or {}).get("totals") or {}
    of_services = sum((s.cents for s in services.values()), Decimal(0))
    summary = [
        ("Services du catalogue", euros(money(of_services))),
        ("Composants rattachés à aucun service", euros(money(other.cents))),
        ("Quote-part de masse salariale", euros(totals.get("payroll"))),
        ("Écrêtement (plafonnement)", euros(totals.get("cap_reduction"))),
    ]
    total = dec(totals.get("operating_invoiced")) + dec(totals.get("investment"))
    run_label = ""
    if run is not None:
        kind = KINDS.get(run["kind"], run["kind"]).lower()
        when = timestamp(run.get("finished_at") or run.get("created_at"))
        run_label = f"calcul {kind} n°{run['id']} du {when} (UTC)"
    ordered = sorted(services.values(), key=lambda s: (not s.subscribed, s.name.lower()))
    return MemberCatalogue(
        member_code=member_code,
        member_name=member_name,
        year=year,
        run_label=run_label,
        services=ordered,
        other=other if other.costs_something else None,
        summary=summary if explanation else [],
        total=euros(money(total)) if explanation else "",
    )
