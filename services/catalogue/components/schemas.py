"""Schemas of IS components."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kit.french import fr_date
from kit.i18n import Refusal
from services.catalogue.common import Code, ComponentKind, MemberCode

LockableField = Literal[
    "name",
    "kind",
    "service_code",
    "member_codes",
    "in_service_on",
    "end_of_support_on",
    "retired_on",
    "serial",
    "manufacturer",
    "model",
    "location",
]
LOCKABLE: tuple[str, ...] = LockableField.__args__  # type: ignore[attr-defined]


class ComponentFields(BaseModel):
    """What an inventory tool or a person says about a component."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    kind: ComponentKind
    service_code: Code | None = Field(None, description="Code of the offering it serves")
    member_codes: list[MemberCode] = Field(default_factory=list, max_length=500)
    in_service_on: dt.date | None = None
    end_of_support_on: dt.date | None = Field(None, description="End of vendor support")
    retired_on: dt.date | None = None
    serial: str | None = Field(None, max_length=200)
    manufacturer: str | None = Field(None, max_length=200)
    model: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=300)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.in_service_on and self.retired_on and self.retired_on < self.in_service_on:
            raise Refusal(
                "retired_on is before in_service_on",
                f"Le retrait précède la mise en service ({fr_date(self.in_service_on)}).",
            )

        return self


class ComponentCreate(ComponentFields):
    code: Code
    source: Code = "manual"
    external_id: str | None = Field(
        None, min_length=1, max_length=200, description="Id in the source; defaults to the code"
    )
    locked_fields: list[LockableField] = Field(default_factory=list)


class ComponentUpdate(BaseModel):
    """A hand edit; ``locked_fields`` protects fields against the next inventory load."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=300)
    kind: ComponentKind | None = None
    service_code: Code | None = None
    member_codes: list[MemberCode] | None = Field(None, max_length=500)
    in_service_on: dt.date | None = None
    end_of_support_on: dt.date | None = None
    retired_on: dt.date | None = None
    serial: str | None = Field(None, max_length=200)
    manufacturer: str | None = Field(None, max_length=200)
    model: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=300)
    locked_fields: list[LockableField] | None = None


class ComponentRead(BaseModel):
    code: str
    name: str
    kind: str
    service_code: str | None
    member_codes: list[str]
    in_service_on: dt.date | None
    end_of_support_on: dt.date | None
    retired_on: dt.date | None
    status: Literal["in_service", "retired"]
    source: str
    external_id: str
    locked_fields: list[str]
    serial: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    location: str | None = None
    last_seen_at: dt.datetime | None = Field(
        None, description="When an inventory load or an agent's push last carried it"
    )
    created_at: dt.datetime
    updated_at: dt.datetime


class ComponentPage(BaseModel):
    items: list[ComponentRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Components matching the filters (all pages)")
