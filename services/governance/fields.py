"""Field types shared by the governance schemas: codes, money, measured values."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
MemberCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$"),
    Field(description="A member's code in the registry"),
]
Text200 = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Text300 = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]

Money = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=2, ge=0),
    PlainSerializer(lambda v: f"{v:.2f}", return_type=str),
]


def fmt_value(value: Decimal) -> str:
    """A measured value as a plain decimal string without trailing zeros (``"99.5"``)."""
    text = format(value.normalize(), "f")
    return text


Value = Annotated[
    Decimal,
    Field(max_digits=20, decimal_places=6, allow_inf_nan=False),
    PlainSerializer(fmt_value, return_type=str),
]


def cents(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


def from_cents(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 100
