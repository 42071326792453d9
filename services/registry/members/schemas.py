"""Pydantic schemas of members."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as siret_number

MemberKind = Literal[
    "metropole", "commune", "ccas", "syndicat", "etablissement_public", "association", "other"
]
MemberCodeStr = Annotated[
    str, Field(min_length=2, max_length=60, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
]
Name = Annotated[str, Field(min_length=1, max_length=200)]


def validate_siret(value: str) -> str:
    """A SIRET with its Luhn checksum (python-stdnum); spaces are allowed on input."""
    try:
        return str(siret_number.validate(value))
    except StdnumError as exc:
        raise ValueError(f"not a valid SIRET ({exc})") from exc


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line: Annotated[str, Field(min_length=1, max_length=200)]
    postal_code: Annotated[str, Field(pattern=r"^\d{5}$")]
    city: Annotated[str, Field(min_length=1, max_length=100)]


class MemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: MemberCodeStr
    name: Name
    kind: MemberKind
    siret: str
    address: Address
    is_host: bool = False
    invoiced: bool | None = Field(
        None, description="Defaults to true, and to false for the host (never invoiced)."
    )
    joined_on: dt.date
    left_on: dt.date | None = None

    _siret = field_validator("siret")(validate_siret)


class MemberUpdate(BaseModel):
    """Fields to change (PATCH); the code never changes."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    kind: MemberKind | None = None
    siret: str | None = None
    address: Address | None = None
    is_host: bool | None = None
    invoiced: bool | None = None
    joined_on: dt.date | None = None
    left_on: dt.date | None = None

    @field_validator("siret")
    @classmethod
    def _siret(cls, value: str | None) -> str | None:
        return None if value is None else validate_siret(value)


class MemberRead(BaseModel):
    code: str
    name: str
    kind: MemberKind
    siret: str
    address: Address
    is_host: bool
    invoiced: bool
    joined_on: dt.date
    left_on: dt.date | None


class MemberPage(BaseModel):
    items: list[MemberRead]
    next_cursor: str | None = None
