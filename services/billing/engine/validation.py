"""Checks and parses a snapshot before anything is computed, collecting every problem.

A run either bills everything or fails with the full list of what to fix: nothing is silently
dropped (an unused pool, a member without workstations, a line for an unknown member…).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from services.billing.engine.money import MoneyError, to_cents
from services.billing.engine.problems import InputProblems, Problem
from services.billing.engine.snapshot import CostLine, Member, Snapshot

SECTIONS = ("operating", "investment")
_MISSING: Decimal | None = Decimal("-1")  # sentinel: never a valid (parsed) quantity


@dataclass
class ParsedLine:
    line: CostLine
    cents: int
    weights: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Prepared:
    """The snapshot parsed into exact values, ready for ``compute``."""

    envelope_cents: int
    members: dict[str, Member]  # participating members, by code
    workstations: dict[str, int]
    units: dict[str, str]  # driver code → unit
    direct: list[ParsedLine]
    pools: dict[tuple[str, str], list[ParsedLine]]  # (driver, section) → lines
    usage: dict[str, dict[str, Decimal]]  # driver → member → Σ quantity
    history: dict[str, dict[int, tuple[int, str]]]  # member → year → (cents, source)


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() and number >= 0 else None


class _Checker:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.year = snapshot.fiscal_year
        self.problems: list[Problem] = []

    def add(self, code: str, message: str, fix: str, **ref: object) -> None:
        self.problems.append(Problem(code, message, fix, dict(ref)))

    def members(self) -> dict[str, Member]:
        known: dict[str, Member] = {}
        for member in self.snapshot.members:
            if member.participates_in(self.year):
                known[member.code] = member
        hosts = [m.code for m in known.values() if m.is_host]
        if len(hosts) > 1:
            self.add(
                "several-hosts",
                f"Several members are marked as host for {self.year}: {', '.join(hosts)}.",
                "Keep is_host on the Métropole only, in the registry.",
                members=hosts,
            )
        return known

    def unknown_member(self, code: str, what: str, **ref: object) -> None:
        self.add(
            "unknown-member",
            f"{what} names member '{code}', which is not a member taking part in {self.year}.",
            f"Create the member '{code}' in the registry (or fix its joined_on/left_on dates), "
            "or correct the member code in the catalogue.",
            member_code=code,
            **ref,
        )

    def workstations(self, members: dict[str, Member]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for code, count in self.snapshot.workstations:
            if code not in members:
                self.unknown_member(code, f"The workstation count {count}")
            elif count < 0:
                self.add(
                    "negative-workstations",
                    f"Member '{code}' has a negative workstation count ({count}) for {self.year}.",
                    "Correct the workstation count in the registry.",
                    member_code=code,
                )
            else:
                counts[code] = counts.get(code, 0) + count
        for code, member in sorted(members.items()):
            if code not in counts and (member.invoiced or member.is_host):
                self.add(
                    "missing-workstations",
                    f"Member '{code}' has no workstation count for {self.year}: its payroll "
                    "share cannot be computed.",
                    f"Record the workstation count of '{code}' for {self.year} in the registry "
                    f"(PUT /members/{code}/workstations/{self.year}).",
                    member_code=code,
                )
        return counts

    def cost_line(
        self, line: CostLine, members: dict[str, Member], units: dict[str, str]
    ) -> ParsedLine | None:
        ref: dict[str, object] = {
            "cost_line_id": line.cost_line_id,
            "component_code": line.component_code,
        }
        where = f"Cost line {line.cost_line_id} ({line.component_code})"
        before = len(self.problems)
        cents = 0
        try:
            cents = to_cents(line.amount)
        except MoneyError as exc:
            self.add(
                "bad-amount", f"{where}: {exc}.", "Correct its amount in the catalogue.", **ref
            )
        if line.fiscal_year != self.year:
            self.add(
                "wrong-fiscal-year",
                f"{where} is for {line.fiscal_year}, not {self.year}.",
                "Correct its fiscal year in the catalogue.",
                **ref,
            )
        if line.section not in SECTIONS:
            self.add(
                "bad-section",
                f"{where} has section '{line.section}'.",
                "Set its section to operating or investment in the catalogue.",
                **ref,
            )
        parsed = ParsedLine(line, cents)
        if line.mode == "direct":
            self._direct_weights(line, parsed, members, where, ref)
        elif line.mode == "indirect":
            if not line.driver_code or line.driver_code not in units:
                self.add(
                    "unknown-driver",
                    f"{where} is indirect but its driver '{line.driver_code}' is not defined.",
                    "Give it a driver defined in the catalogue (GET /drivers).",
                    driver_code=line.driver_code,
                    **ref,
                )
        else:
            self.add(
                "bad-mode",
                f"{where} has mode '{line.mode}'.",
                "Set its mode to direct or indirect.",
                **ref,
            )
        return parsed if len(self.problems) == before else None

    def _direct_weights(
        self,
        line: CostLine,
        parsed: ParsedLine,
        members: dict[str, Member],
        where: str,
        ref: dict[str, object],
    ) -> None:
        for code, raw in line.allocation:
            weight = _decimal(raw)
            if code not in members:
                self.unknown_member(code, where, **ref)
            elif weight is None:
                self.add(
                    "bad-weight",
                    f"{where}: the weight '{raw}' of '{code}' is not a number ≥ 0.",
                    "Correct the allocation key of the line in the catalogue.",
                    member_code=code,
                    **ref,
                )
            else:
                parsed.weights[code] = parsed.weights.get(code, Decimal(0)) + weight
        if sum(parsed.weights.values(), Decimal(0)) == 0 and parsed.cents != 0:
            self.add(
                "zero-weights",
                f"{where} is direct but its weights add up to zero: nobody would pay it.",
                "Give the line an allocation key with at least one positive weight.",
                **ref,
            )

    def usage(
        self, members: dict[str, Member], units: dict[str, str]
    ) -> dict[str, dict[str, Decimal]]:
        totals: dict[str, dict[str, Decimal]] = defaultdict(dict)
        parsed: dict[str, Decimal | None] = {}  # measurements repeat values: parse each once
        for driver, code, raw in self.snapshot.usage:
            quantity = parsed.get(raw, _MISSING)
            if quantity is _MISSING:
                quantity = parsed[raw] = _decimal(raw)
            if driver not in units:
                self.add(
                    "unknown-driver",
                    f"A usage measurement of '{code}' is for driver '{driver}', which is not "
                    "defined.",
                    "Define the driver in the catalogue or correct the measurement.",
                    driver_code=driver,
                    member_code=code,
                )
            elif code not in members:
                self.unknown_member(code, f"A usage measurement of '{driver}'", driver_code=driver)
            elif quantity is None:
                self.add(
                    "bad-quantity",
                    f"The usage of '{driver}' by '{code}' is '{raw}', not a number ≥ 0.",
                    "Correct the measurement in the catalogue.",
                    driver_code=driver,
                    member_code=code,
                )
            else:
                per = totals[driver]
                per[code] = per.get(code, Decimal(0)) + quantity
        return totals

    def pools(
        self, pools: dict[tuple[str, str], list[ParsedLine]], usage: dict[str, dict[str, Decimal]]
    ) -> None:
        for (driver, section), lines in sorted(pools.items()):
            amount = sum(p.cents for p in lines)
            used = any(q > 0 for q in usage.get(driver, {}).values())
            if amount != 0 and not used:
                ids = [p.line.cost_line_id for p in lines]
                self.add(
                    "pool-without-usage",
                    f"The pool ({driver}, {section}) holds {len(ids)} cost line(s) but no member "
                    f"used '{driver}' in {self.year}: nobody would pay it.",
                    f"Record the {self.year} usage of '{driver}' in the catalogue "
                    "(PUT /usage/{year}/{driver_code}), or move these lines to direct mode.",
                    driver_code=driver,
                    section=section,
                    cost_line_ids=ids[:20],
                )


def prepare(snapshot: Snapshot) -> Prepared:
    """Parse and check ``snapshot``; raise ``InputProblems`` listing every problem found."""
    checker = _Checker(snapshot)
    members = checker.members()
    counts = checker.workstations(members)
    envelope = 0
    try:
        envelope = to_cents(snapshot.parameters.payroll_envelope)
    except MoneyError as exc:
        checker.add(
            "bad-envelope", f"The payroll envelope: {exc}.", "Correct the fiscal year parameters."
        )
    if envelope and not any(counts.values()):
        checker.add(
            "no-workstations",
            f"The payroll envelope of {snapshot.fiscal_year} cannot be shared: no workstations.",
            "Record the workstation counts of the members in the registry.",
        )
    units = dict(snapshot.drivers)
    direct: list[ParsedLine] = []
    pools: dict[tuple[str, str], list[ParsedLine]] = defaultdict(list)
    for line in snapshot.cost_lines:
        parsed = checker.cost_line(line, members, units)
        if parsed is None:
            continue
        if line.mode == "direct":
            direct.append(parsed)
        else:
            pools[(str(line.driver_code), line.section)].append(parsed)
    usage = checker.usage(members, units)
    checker.pools(pools, usage)
    if checker.problems:
        raise InputProblems(checker.problems)
    history: dict[str, dict[int, tuple[int, str]]] = defaultdict(dict)
    for entry in snapshot.history:
        history[entry.member_code][entry.fiscal_year] = (
            to_cents(entry.operating_total),
            entry.source,
        )
    direct.sort(key=lambda p: p.line.cost_line_id)
    return Prepared(envelope, members, counts, units, direct, dict(pools), dict(usage), history)
