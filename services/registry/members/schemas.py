"""Pydantic schemas of members."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as siret_number

from kit.i18n import Refusal

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
        if isinstance(exc, InvalidLength):
            why = "celui-ci n'a pas 14 chiffres"
        elif isinstance(exc, InvalidChecksum):
            why = "la clé de contrôle de celui-ci ne correspond pas : vérifiez la saisie"
        else:
            why = "celui-ci contient autre chose que des chiffres"

        raise Refusal(
            f"not a valid SIRET ({exc})",
            "Ce SIRET n'est pas valide : 14 chiffres dont la clé de contrôle (Luhn) sont "
            f"attendus ; {why}.",
        ) from exc


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line: Annotated[str, Field(min_length=1, max_length=200)]
    postal_code: Annotated[str, Field(pattern=r"^\d{5}$")]
    city: Annotated[str, Field(min_length=1, max_length=100)]


DebtorCategory = Literal[
    "01", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "50", "60", "61", "62",
    "63", "64", "65", "70", "71", "72", "73", "74",
]  # fmt: skip
LegalNature = Literal["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]


class DebtorFields(BaseModel):
    """The member as the debtor of revenue titles: PES V2 codes and its Chorus Pro references
    (the service code and the legal commitment number when its Chorus Pro structure requires
    them; a title is refused without them)."""

    model_config = ConfigDict(extra="forbid")

    category: DebtorCategory | None = Field(
        None, description="PES V2 CatTiers, e.g. 23 communes, 24 groupements, 26 CCAS"
    )
    legal_nature: LegalNature | None = Field(
        None, description="PES V2 NatJur, e.g. 09 collectivité territoriale / EPL"
    )
    service_code_required: bool = False
    service_code: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    commitment_number_required: bool = False
    commitment_number: Annotated[str, Field(min_length=1, max_length=50)] | None = None


class Debtor(DebtorFields):
    """The debtor fields as written: a required reference comes with its value."""

    @model_validator(mode="after")
    def _required_references(self) -> Debtor:
        if self.service_code_required and not self.service_code:
            raise Refusal(
                "service_code is required when service_code_required is true",
                "Le code service est obligatoire quand la structure Chorus Pro de l'adhérent "
                "l'exige.",
            )
        if self.commitment_number_required and not self.commitment_number:
            raise Refusal(
                "commitment_number is required when commitment_number_required is true",
                "Le numéro d'engagement juridique est obligatoire quand la structure Chorus Pro "
                "de l'adhérent l'exige.",
            )

        return self


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
    debtor: Debtor | None = None

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
    debtor: Debtor | None = Field(None, description="Replaces the debtor fields as a whole")

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
    # as stored: a member recorded before the required-references rule still reads (billing
    # then refuses its title, saying what to record)
    debtor: DebtorFields


class MemberPage(BaseModel):
    items: list[MemberRead]
    next_cursor: str | None = None
