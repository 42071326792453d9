"""Schemas of inventory ingestion (bulk JSON, CSV, GLPI)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.catalogue.bulk import MAX_ITEMS, BulkOptions
from services.catalogue.common import Code, ComponentKind, MemberCode

LoadMode = Literal["upsert", "full"]


class InventoryItem(BaseModel):
    """One component as an inventory tool reports it, keyed by (source, external_id)."""

    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(min_length=1, max_length=200)
    code: Code | None = Field(None, description="Defaults to '<source>-<external_id>'")
    name: str = Field(min_length=1, max_length=300)
    kind: ComponentKind
    service_code: Code | None = None
    member_codes: list[MemberCode] = Field(default_factory=list, max_length=500)
    in_service_on: dt.date | None = None
    end_of_support_on: dt.date | None = None
    retired_on: dt.date | None = None
    serial: str | None = Field(None, max_length=200)
    manufacturer: str | None = Field(None, max_length=200)
    model: str | None = Field(None, max_length=200)
    location: str | None = Field(None, max_length=300)


class InventoryLoad(BulkOptions):
    model_config = ConfigDict(extra="forbid")

    source: Code = Field(description="The inventory tool, e.g. 'glpi', 'ocs', 'vcenter'")
    mode: LoadMode = Field(
        "upsert",
        description="'full': the source's components missing from the load are marked retired",
    )
    items: list[Any] = Field(max_length=MAX_ITEMS, description="Components, up to 10,000")
