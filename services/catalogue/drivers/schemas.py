"""Schemas of drivers (inducteurs)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from services.catalogue.common import Code


class DriverCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code = Field(examples=["storage_gb"])
    label: str = Field("", max_length=200, examples=["Stockage"], description="As people read it")
    unit: str = Field(min_length=1, max_length=40, examples=["Go"])
    description: str = Field("", max_length=2000)


class DriverUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(None, max_length=200)
    unit: str | None = Field(None, min_length=1, max_length=40)
    description: str | None = Field(None, max_length=2000)


class DriverRead(BaseModel):
    code: str
    label: str
    unit: str
    description: str
