"""Pydantic schemas of contacts (interlocuteurs habilités) and their GDPR export."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

ContactRole = Literal["it_referent", "finance_officer", "dpo", "executive"]
PersonName = Annotated[str, Field(min_length=1, max_length=100)]
Email = Annotated[
    str,
    Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    AfterValidator(lambda v: v.strip().lower()),
]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 .()-]{5,24}$")]
Roles = Annotated[list[ContactRole], Field(max_length=4)]
# the language of the mails a contact receives: French only, the one language the DSIT's members
# read (a second one needs every notification template written in it first)
Language = Literal["fr"]
LANGUAGE_DESCRIPTION = "Language of the mails sent to this contact: `fr`, the only one."


class ContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first_name: PersonName
    last_name: PersonName
    email: Email
    phone: Phone | None = None
    roles: Roles = Field(default_factory=list)
    dashboard_access: bool = Field(False, description="May see the member's dashboards.")
    language: Language = Field("fr", description=LANGUAGE_DESCRIPTION)


class ContactUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first_name: PersonName | None = None
    last_name: PersonName | None = None
    email: Email | None = None
    phone: Phone | None = None
    roles: Roles | None = None
    dashboard_access: bool | None = None
    language: Language | None = None


class ContactRead(BaseModel):
    id: int
    member_code: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    roles: list[ContactRole]
    dashboard_access: bool
    language: str = "fr"
    erased: bool


class ContactPage(BaseModel):
    items: list[ContactRead]
    next_cursor: str | None = None


class HistoryEntry(BaseModel):
    occurred_at: dt.datetime
    principal: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ContactExport(BaseModel):
    """Everything the registry holds on one person (GDPR art. 15 and 20)."""

    exported_at: dt.datetime
    contact: ContactRead
    member: dict[str, str]
    created_at: dt.datetime
    updated_at: dt.datetime
    erased_at: dt.datetime | None
    history: list[HistoryEntry]
