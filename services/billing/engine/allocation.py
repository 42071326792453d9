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
        numerator = abs(self.floor_cents) * self.denominator + self.remainder  # cents × Σw
        scale = 10**places
        # integer arithmetic (hot path: one call per line of a run)
        scaled = (2 * numerator * scale // 100 + self.denominator) // (2 * self.denominator)
        whole, fraction = divmod(scaled, scale)
        sign = "-" if self.negative and scaled else ""
        return f"{sign}{whole}.{fraction:0{places}d}"

    def rounding(self) -> dict[str, object]:
        """How the cent was reached, for the explanation of a line."""
        return {
            "exact": self.exact(),
            "floored": fmt(self.floor_cents),
            "remainder_cent": fmt(self.extra_cent),
            "remainder_rank": self.rank,
            "remainder_cents_distributed": self.leftover_cents,
        }


def scale_weights(weights: Mapping[str, Decimal | int]) -> dict[str, int]:
    """Weights as integers with the same ratios (decimal weights times a power of ten)."""
    places = 0
    for weight in weights.values():
        if isinstance(weight, Decimal):
            exponent = weight.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > places:
                places = -exponent
    factor = 10**places
    scaled: dict[str, int] = {}
    for code, weight in weights.items():
        value = weight * factor
        if value < 0:
            raise ValueError(f"negative weight for {code}")
        scaled[code] = int(value)
    return scaled


def allocate(amount_cents: int, weights: Mapping[str, Decimal | int]) -> dict[str, Share]:
    """Split ``amount_cents`` over ``weights`` (member code → weight ≥ 0).

    Raises ``ZeroWeights`` when Σw is zero. A negative amount (a credit) is split like its
    absolute value and negated, so credits and charges round the same way.
    """
    scaled = scale_weights(weights)
    total = sum(scaled.values())
    if total <= 0:
        raise ZeroWeights("the weights add up to zero")
    sign = -1 if amount_cents < 0 else 1
    amount = abs(amount_cents)
    floors: dict[str, int] = {}
    remainders: dict[str, int] = {}
    for code, weight in scaled.items():
        floors[code], remainders[code] = divmod(amount * weight, total)
    leftover = amount - sum(floors.values())
    order = sorted(scaled, key=lambda code: (-remainders[code], code))
    shares: dict[str, Share] = {}
    for rank, code in enumerate(order, start=1):
        extra = 1 if rank <= leftover else 0
        shares[code] = Share(
            cents=sign * (floors[code] + extra),
            floor_cents=sign * floors[code],
            extra_cent=sign * extra,
            remainder=remainders[code],
            denominator=total,
            rank=rank,
            leftover_cents=leftover,
            negative=sign < 0,
        )
    return shares
