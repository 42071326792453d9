"""View models of a member's dashboard: the estimated cost of the year and its split, the
member's projects, master-plan actions, indicators and GDPR records.

Amounts stay strings or ``Decimal`` from end to end: sums of a split are exact decimal sums of
the two-decimal strings billing sent, shown with the shared French formatting helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from web.views.billing import KINDS, SECTIONS, ExplainedLine, explained_line
from web.views.format import date, euros, number, timestamp
from web.views.governance import ActionRow, IndicatorRow, ProjectRow
from web.views.governance_gdpr import BreachRow, GdprRecordRow, RequestRow
from web.views.invoices import MemberTitle
from web.views.staffing_comparison import StaffingComparison

# the bars of the split chart: (member amount key, label)
CHART_PARTS = (
    ("payroll", "Masse salariale"),
    ("direct_operating", "Coûts directs (fonctionnement)"),
    ("indirect_operating", "Coûts indirects (fonctionnement)"),
    ("cap_reduction", "Écrêtement"),
    ("investment", "Investissement"),
)
SUMMARY_PARTS = (
    ("payroll", "Quote-part de masse salariale"),
    ("direct_operating", "Coûts directs — fonctionnement"),
    ("indirect_operating", "Coûts indirects — fonctionnement"),
    ("operating", "Fonctionnement avant plafonnement"),
    ("cap_reduction", "Écrêtement (plafonnement)"),
    ("operating_invoiced", "Fonctionnement après plafonnement"),
    ("direct_investment", "Coûts directs — investissement"),
    ("indirect_investment", "Coûts indirects — investissement"),
    ("investment", "Investissement"),
)


def dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def money(value: Decimal) -> str:
    """An exact decimal as billing would send it: a string with two decimals."""
    return f"{value.quantize(Decimal('0.01')):f}"


@dataclass(frozen=True)
class Bar:
    label: str
    amount: str  # shown
    percent: int  # of the widest bar, 0–100
    negative: bool
    y: int  # vertical position in the SVG, in px


@dataclass(frozen=True)
class SplitRow:
    code: str
    label: str
    detail: str
    section: str
    raw: str  # two decimals, for exports
    shown: str


@dataclass(frozen=True)
class CapView:
    window: str
    history: list[tuple[int, str]]
    ceiling: str
    before: str
    reduction: str
    saving: str  # the reduction as a positive amount, for sentences
    applies: bool


@dataclass(frozen=True)
class Estimate:
    run_id: int
    fiscal_year: int
    kind: str
    kind_label: str
    run_date: str
    member_code: str
    summary: list[tuple[str, str]]
    total: str
    bars: list[Bar]
    services: list[SplitRow]
    components: list[SplitRow]
    drivers: list[SplitRow]
    lines: list[ExplainedLine]
    cap: CapView | None
    workstations: str
    rate_per_workstation: str

    @property
    def is_forecast(self) -> bool:
        return self.kind == "forecast"

    @property
    def chart_height(self) -> int:
        return 36 * len(self.bars)


def chart(result: dict[str, Any]) -> list[Bar]:
    amounts = [(label, dec(result.get(key))) for key, label in CHART_PARTS]
    widest = max((abs(a) for _, a in amounts), default=Decimal(0)) or Decimal(1)
    return [
        Bar(
            label=label,
            amount=euros(money(amount)),
            percent=int((abs(amount) * 100 / widest).to_integral_value()),
            negative=amount < 0,
            y=36 * index,
        )
        for index, (label, amount) in enumerate(amounts)
    ]


def _group(
    lines: Iterable[dict[str, Any]],
    key: str,
    labels: dict[str, str],
    detail: str = "",
    *,
    name_key: str = "",
) -> list[SplitRow]:
    """Amounts summed by ``key`` and section, labelled by the name the run carried
    (``name_key`` of the basis: the catalogue's name when the run computed), else by
    ``labels`` (today's catalogue), never by the code alone when a name is known."""
    sums: dict[tuple[str, str], Decimal] = {}
    details: dict[tuple[str, str], str] = {}
    names: dict[str, str] = dict(labels)
    for line in lines:
        basis = line.get("basis") or {}
        group = (str(basis.get(key) or ""), line.get("section", ""))
        sums[group] = sums.get(group, Decimal(0)) + dec(line["amount"])
        if name_key and basis.get(name_key) and basis.get(name_key) != group[0]:
            names[group[0]] = str(basis[name_key])
        if detail and basis.get(detail):
            details[group] = str(basis[detail])
    return [
        SplitRow(
            code=code,
            label=names.get(code, code) or "Sans rattachement",
            detail=details.get((code, section), ""),
            section=SECTIONS.get(section, section),
            raw=money(total),
            shown=euros(money(total)),
        )
        for (code, section), total in sorted(sums.items())
    ]


def _cap(cap: dict[str, Any] | None) -> CapView | None:
    if not cap:
        return None
    reduction = dec(cap.get("reduction"))
    return CapView(
        window=", ".join(str(y) for y in cap.get("window") or []),
        history=[(h["fiscal_year"], euros(h["operating_total"])) for h in cap.get("history") or []],
        ceiling=euros(cap.get("ceiling")) if cap.get("ceiling") else "aucun (pas d'historique)",
        before=euros(cap.get("operating_before_cap")),
        reduction=euros(money(reduction)),
        saving=euros(money(-reduction)),
        applies=reduction != 0,
    )


def estimate(
    run: dict[str, Any],
    result: dict[str, Any],
    *,
    service_names: dict[str, str],
    component_names: dict[str, str],
) -> Estimate:
    lines = result.get("lines") or []
    direct = [line for line in lines if line["kind"] == "direct"]
    indirect = [line for line in lines if line["kind"] == "indirect"]
    payroll = next((line for line in lines if line["kind"] == "payroll"), None)
    payroll_basis = (payroll or {}).get("basis") or {}
    total = dec(result["operating_invoiced"]) + dec(result["investment"])
    return Estimate(
        run_id=run["id"],
        fiscal_year=run["fiscal_year"],
        kind=run["kind"],
        kind_label=KINDS.get(run["kind"], run["kind"]),
        run_date=timestamp(run.get("finished_at") or run.get("created_at")),
        member_code=result["member_code"],
        summary=[(label, euros(result.get(key))) for key, label in SUMMARY_PARTS],
        total=euros(money(total)),
        bars=chart(result),
        services=_group(direct, "service_code", service_names, name_key="service_name"),
        components=_group(
            direct, "component_code", component_names, "service_name", name_key="component_name"
        ),
        drivers=_group(indirect, "driver_code", {}, "unit", name_key="driver_label"),
        lines=[explained_line(line) for line in lines],
        cap=_cap(result.get("cap")),
        workstations=number(payroll_basis.get("workstations")),
        rate_per_workstation=euros(payroll_basis.get("rate_per_workstation")),
    )


@dataclass(frozen=True)
class PaySummary:
    """What the member pays on this year's budget: its titles of the exercice, what it paid
    (the comptable's recoveries brought back into Mutualis) and what it still owes."""

    year: int
    total: str  # still owed
    paid: str
    titled: str
    items: list[str]


# what a member sees of its titles: those validated and issued (a prepared or refused one is
# not a title yet; a liquidated one waits for the number of the financial software)
VISIBLE_TO_MEMBERS = ("issued", "cancelled")


def year_to_pay(body_items: list[dict[str, Any]], year: int) -> PaySummary | None:
    """What the member pays on this year's budget: every title and complementary title taken
    on the exercice ``year`` with what it owed (reductions deducted), paid and still owes;
    None when no title is issued on it yet."""
    from web.views.invoices import STATES

    pieces = [
        i
        for i in body_items
        if i["kind"] in ("title", "complementary")
        and i["status"] in VISIBLE_TO_MEMBERS
        and i["exercice"] == year
    ]
    if not pieces:
        return None
    paid = sum((dec(i.get("paid")) for i in pieces), Decimal("0.00"))
    owed = sum((dec(i.get("outstanding")) for i in pieces), Decimal("0.00"))
    return PaySummary(
        year=year,
        total=euros(money(owed)),
        paid=euros(money(paid)),
        titled=euros(money(owed + paid)),
        items=[
            f"{i['reference']} ({SECTIONS.get(i['section'], i['section']).lower()}, services "
            f"{i['fiscal_year']}), émis le {date(str(i['issued_on']))} : reste "
            f"{euros(i.get('outstanding') or '0.00')}, payé {euros(i.get('paid') or '0.00')}"
            f" — {STATES.get(i.get('state') or '', '').lower()}"
            for i in sorted(pieces, key=lambda i: str(i["issued_on"]))
        ],
    )


@dataclass
class MemberDashboard:
    member_code: str
    member_name: str
    year: int
    workstations: str = ""
    workstations_date: str = ""
    estimate: Estimate | None = None
    projects: list[ProjectRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    records: list[GdprRecordRow] = field(default_factory=list)
    breaches: list[BreachRow] = field(default_factory=list)
    requests: list[RequestRow] = field(default_factory=list)
    titles: list[MemberTitle] = field(default_factory=list)
    pay: PaySummary | None = None
    dm_notice: str = ""  # the final amount exceeds the notified forecast: a DM may be needed
    staffing: StaffingComparison | None = None  # the bill beside hiring one's own IT staff
    ac_notice: str = ""  # settled through the attribution de compensation (CGCT L5211-4-2)
