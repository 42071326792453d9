"""Request and response bodies of ``/api/auth``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kit.i18n import Refusal
from kit.identity import Principal


class Credentials(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class AccessToken(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class SessionOpened(BaseModel):
    session_token: str
    csrf_token: str
    expires_at: dt.datetime
    must_change_password: bool
    principal: Principal


class Me(BaseModel):
    principal: Principal
    permissions: list[str]
    csrf_token: str | None = None


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class AccountCreate(BaseModel):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    display_name: str = Field(min_length=1, max_length=200)
    kind: Literal["staff", "contact"]
    roles: list[str] = Field(default_factory=list)
    password: str = Field(min_length=1, max_length=1024)


class AccountUpdate(BaseModel):
    display_name: str | None = Field(None, min_length=1, max_length=200)
    roles: list[str] | None = None
    is_active: bool | None = None


class AccountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str
    kind: str
    roles: list[str]
    is_active: bool
    is_demo: bool
    must_change_password: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


class PasswordReset(BaseModel):
    temporary_password: str


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(min_length=1)
    member_code: str | None = Field(None, max_length=80)
    expires_at: dt.datetime | None = None

    @field_validator("expires_at")
    @classmethod
    def _in_the_future(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise Refusal(
                "give the time zone offset, e.g. 2027-01-31T23:59:59+01:00",
                "Indiquez le décalage horaire, par exemple 2027-01-31T23:59:59+01:00.",
            )
        if value <= dt.datetime.now(dt.UTC):
            raise Refusal("must be in the future", "Une date à venir est attendue.")

        return value


class ApiTokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    scopes: list[str]
    member_code: str | None
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiTokenCreated(ApiTokenRead):
    token: str = Field(description="The token itself: shown this once, never again.")


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: dt.datetime
    event: str
    principal: str | None
    email: str | None
    client_ip: str | None
    method: str | None
    path: str | None
    status: int | None
    request_id: str | None
    detail: dict[str, object] | None


class AccountPage(BaseModel):
    items: list[AccountRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Every account (all pages)")


class ApiTokenPage(BaseModel):
    items: list[ApiTokenRead]
    next_cursor: str | None = None
    total: int | None = Field(None, description="Every machine token (all pages)")
