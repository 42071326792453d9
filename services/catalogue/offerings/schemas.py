"""Schemas of the service catalogue (offerings, their history and subscriptions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.catalogue.common import Code, MemberCode, OfferingStatus

DOMAINS_HINT = (
    "infrastructure, applications-metier, telephonie, securite, support, conseil, projets, …"
)


class ServiceLevel(BaseModel):
    """A service-level commitment: what is measured and what is promised."""

    indicator: str = Field(min_length=1, max_length=200, examples=["Disponibilité"])
    commitment: str = Field(min_length=1, max_length=200, examples=["99,5 % en heures ouvrées"])


class OfferingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: str = Field(min_length=1, max_length=200)
    domain: Code = Field(description=f"Domain of the offering: {DOMAINS_HINT}")
    description: str = Field("", max_length=10_000)
    service_levels: list[ServiceLevel] = Field(default_factory=list)
    status: OfferingStatus = "draft"


class OfferingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    domain: Code | None = None
    description: str | None = Field(None, max_length=10_000)
    service_levels: list[ServiceLevel] | None = None
    status: OfferingStatus | None = None
    note: str = Field("", max_length=2000, description="Why it changed, shown in the history")


class OfferingRead(BaseModel):
    code: str
    name: str
    domain: str
    description: str
    service_levels: list[ServiceLevel]
    status: OfferingStatus
    created_at: dt.datetime
    updated_at: dt.datetime


class OfferingChangeRead(BaseModel):
    id: int
    service_code: str
    changed_at: dt.datetime
    change: str
    changes: dict[str, Any]
    note: str


class SubscriptionWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: dt.date | None = None


class SubscriptionRead(BaseModel):
    service_code: str
    member_code: MemberCode
    since: dt.date | None
