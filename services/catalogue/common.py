"""Small shared pieces of the catalogue: money, exact decimals, enumerations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints

CENT = Decimal("0.01")

Section = Literal["operating", "investment"]
Mode = Literal["direct", "indirect"]
Nature = Literal["acquisition", "maintenance", "licence", "subscription", "hosting", "service"]
ComponentKind = Literal[
    "application",
    "server",
    "virtual_machine",
    "workstation",
    "licence",
    "network",
    "printer",
    "storage",
    "telephony",
    "other",
]
OfferingStatus = Literal["draft", "active", "retired"]

Code = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_.-]*$"
    ),
]
MemberCode = Code


def _reject_float(value: object) -> object:
    # a float has already lost exactness: money and weights come as strings or integers
    if isinstance(value, float):
        return str(value)
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_reject_float),
    Field(ge=0, max_digits=15, decimal_places=2),
    PlainSerializer(lambda v: f"{v.quantize(CENT)}", return_type=str),
]
Quantity = Annotated[
    Decimal,
    BeforeValidator(_reject_float),
    Field(ge=0, max_digits=20, decimal_places=6),
    PlainSerializer(lambda v: format_quantity(v), return_type=str),
]


def to_cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_quantity(value: Decimal) -> str:
    """An exact decimal without trailing zeros nor exponent (``"12.5"``, ``"3"``)."""
    text = format(value.normalize(), "f")
    return text
