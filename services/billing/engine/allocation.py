"""Largest-remainder allocation to the cent (DESIGN.md, "Allocation").

Exact shares A·w/Σw are floored to the cent; the cents left go one each to the largest
fractional remainders, ties broken by member code ascending. Weights are scaled to integers
first, so the whole computation is exact integer arithmetic: the shares add up to A, always.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from services.billing.engine.money import fmt


class ZeroWeights(ValueError):
    """The weights add up to zero: the amount could not go to anyone."""


@dataclass(frozen=True, slots=True)
class Share:
    """One member's part of an allocation, with what an auditor needs to redo it."""

    cents: int
    floor_cents: int
    extra_cent: int  # -1, 0 or 1: the remainder cent this member received
    remainder: int  # numerator of the fractional cent left by the floor (over ``denominator``)
    denominator: int  # Σw once scaled to integers
    rank: int  # 1-based rank of this remainder among the allocation's members
    leftover_cents: int  # how many remainder cents the allocation handed out
    negative: bool  # the allocated amount was a credit

    def exact(self, places: int = 8) -> str:
        """The exact share in euros, rounded half-up to ``places`` decimals for display."""
        return exact_share(
            self.floor_cents, self.remainder, self.denominator, self.negative, places
        )

    def rounding(self) -> dict[str, object]:
        """How the cent was reached, for the explanation of a line."""
        return rounding(
            self.floor_cents,
            self.extra_cent,
            self.remainder,
            self.denominator,
            self.rank,
            self.leftover_cents,
            self.negative,
        )


def exact_share(
    floor_cents: int, remainder: int, denominator: int, negative: bool, places: int = 8
) -> str:
    """The exact share A·w/Σw in euros (from its floor and remainder), half-up to ``places``."""
    numerator = abs(floor_cents) * denominator + remainder  # cents × Σw
    scale = 10**places
    scaled = (2 * numerator * scale // 100 + denominator) // (2 * denominator)
    whole, fraction = divmod(scaled, scale)
    sign = "-" if negative and scaled else ""
    return f"{sign}{whole}.{fraction:0{places}d}"


def rounding(
    floor_cents: int,
    extra_cent: int,
    remainder: int,
    denominator: int,
    rank: int,
    leftover: int,
    negative: bool,
) -> dict[str, object]:
    """How a share's cent was reached (the integers an allocation keeps), as an auditor reads it."""
    return {
        "exact": exact_share(floor_cents, remainder, denominator, negative),
        "floored": fmt(floor_cents),
        "remainder_cent": fmt(extra_cent),
        "remainder_rank": rank,
        "remainder_cents_distributed": leftover,
    }


def scale_weights(weights: Mapping[str, Decimal | int]) -> dict[str, int]:
    """Weights as integers with the same ratios (decimal weights times a power of ten)."""
    places = 0
    for weight in weights.values():
        if isinstance(weight, Decimal) and not str(weight).isdecimal():  # str(): fast test
            exponent = weight.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > places:
                places = -exponent
    scaled: dict[str, int] = {}
    if places == 0:  # the usual case: whole weights, no multiplication
        for code, weight in weights.items():
            if weight < 0:
                raise ValueError(f"negative weight for {code}")
            scaled[code] = int(weight)
        return scaled
    factor = 10**places
    for code, weight in weights.items():
        value = weight * factor
        if value < 0:
            raise ValueError(f"negative weight for {code}")
        scaled[code] = int(value)
    return scaled


def allocate_rows(
    amount_cents: int, weights: Mapping[str, Decimal | int]
) -> tuple[int, int, list[tuple[str, int, int, int, int]]]:
    """The allocation as plain integers, for the engine's hot path: ``(denominator, leftover,
    rows)`` with one ``(code, floor_cents, extra_cent, remainder, rank)`` per member in rank
    order (floor and extra signed like the amount). ``allocate`` gives the same as ``Share``s."""
    scaled = scale_weights(weights)
    total = sum(scaled.values())
    if total <= 0:
        raise ZeroWeights("the weights add up to zero")
    sign = -1 if amount_cents < 0 else 1
    amount = -amount_cents if sign < 0 else amount_cents
    if len(scaled) == 1:  # one member pays it all: nothing to round
        ((code, weight),) = scaled.items()
        floor, remainder = divmod(amount * weight, total)
        extra = amount - floor
        return total, extra, [(code, sign * floor, sign * extra, remainder, 1)]
    parts = []
    floored = 0
    for code, weight in scaled.items():
        floor, remainder = divmod(amount * weight, total)
        floored += floor
        parts.append((-remainder, code, floor))
    parts.sort()
    leftover = amount - floored
    rows = []
    rank = 0
    for negative_remainder, code, floor in parts:
        rank += 1
        extra = 1 if rank <= leftover else 0
        rows.append((code, sign * floor, sign * extra, -negative_remainder, rank))
    return total, leftover, rows


def allocate(amount_cents: int, weights: Mapping[str, Decimal | int]) -> dict[str, Share]:
    """Split ``amount_cents`` over ``weights`` (member code → weight ≥ 0).

    Raises ``ZeroWeights`` when Σw is zero. A negative amount (a credit) is split like its
    absolute value and negated, so credits and charges round the same way.
    """
    total, leftover, rows = allocate_rows(amount_cents, weights)
    negative = amount_cents < 0
    return {
        code: Share(
            cents=floor + extra,
            floor_cents=floor,
            extra_cent=extra,
            remainder=remainder,
            denominator=total,
            rank=rank,
            leftover_cents=leftover,
            negative=negative,
        )
        for code, floor, extra, remainder, rank in rows
    }
