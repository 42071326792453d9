"""Exact money: integer cents inside, strings with two decimals outside (never a float)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
UNIT_PRICE_PLACES = 8  # unit prices are informative and carry at least 6 decimals


class MoneyError(ValueError):
    """A value that is not an amount to the cent."""


def to_cents(value: str | Decimal | int) -> int:
    """``"1234.56"`` → ``123456``; refuses anything finer than a cent or not a number."""
    if type(value) is str:  # the usual form, read without Decimal (hot path: every cost line)
        whole, dot, part = value.partition(".")
        digits = whole[1:] if whole[:1] == "-" else whole
        if dot and len(part) == 2 and digits.isdecimal() and part.isdecimal():
            return int(whole + part)
    try:
        amount = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise MoneyError(f"{value!r} is not an amount") from exc
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not an amount")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise MoneyError(f"{value!r} has more than two decimals")
    return int(cents)


def fmt(cents: int) -> str:
    """``123456`` → ``"1234.56"`` (two decimals, sign kept)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def euros(cents: int) -> str:
    """``123456`` → ``"1 234,56 €"``: an amount as a French reader reads it (refusals)."""
    whole, part = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{'-' if cents < 0 else ''}{grouped},{part:02d} €"


def ratio(numerator: int | Decimal, denominator: int | Decimal, places: int) -> str:
    """``numerator / denominator`` rounded half-up to ``places`` decimals, as a string."""
    value = Decimal(numerator) / Decimal(denominator)
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def cents_ratio(numerator: int, denominator: int | Decimal, places: int = UNIT_PRICE_PLACES) -> str:
    """An amount in cents divided by a quantity, in euros with ``places`` decimals."""
    return ratio(Decimal(numerator) / 100, denominator, places)


def round_half_up_cents(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` cents rounded half-up (away from zero on halves)."""
    value = Decimal(numerator) / Decimal(denominator)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
