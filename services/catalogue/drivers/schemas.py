"""Schemas of drivers (inducteurs)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from services.catalogue.common import Code


class DriverCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code = Field(examples=["storage_gb"])
    unit: str = Field(min_length=1, max_length=40, examples=["Go"])
    description: str = Field("", max_length=2000)


class DriverUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: str | None = Field(None, min_length=1, max_length=40)
    description: str | None = Field(None, max_length=2000)


class DriverRead(BaseModel):
    code: str
    unit: str
    description: str
