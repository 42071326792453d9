"""The internal identity: who is calling a service, signed by the gateway (or a peer service).

The gateway authenticates people and machines, then forwards each request with a short-lived
HS256 token in ``X-Mutualis-Identity`` carrying the principal, its roles or scopes and its member
scope. Services trust only that token (``MUTUALIS_INTERNAL_SECRET``): a call without a valid one
is refused with 401, so a direct call to a service port gets nothing. Services still enforce
permissions and member scope themselves (``require``, ``Principal.ensure_member``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Annotated, Literal

import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, Field

from kit.errors import Forbidden, NotFound, Unauthorized
from kit.permissions import permissions_for

IDENTITY_HEADER = "X-Mutualis-Identity"
AUDIENCE = "mutualis-internal"
DEFAULT_TTL = 60  # seconds: long enough for one hop, too short to be worth stealing

PrincipalKind = Literal["staff", "contact", "machine", "service"]


class Principal(BaseModel):
    subject: str  # "account:12", "token:5", "service:billing"
    name: str
    kind: PrincipalKind
    roles: list[str] = Field(default_factory=list)
    scopes: list[str] = Field(default_factory=list)
    member: str | None = None  # the only member this principal may see, if any

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_for(kind=self.kind, roles=self.roles, scopes=self.scopes)

    def has(self, permission: str) -> bool:
        return permission in self.permissions

    def can_access_member(self, member_code: str) -> bool:
        return self.member is None or self.member == member_code

    def ensure_member(self, member_code: str) -> None:
        """Another member's data does not exist for a member-scoped principal (404, not 403,
        so that codes of other members cannot be probed)."""
        if not self.can_access_member(member_code):
            raise NotFound(f"No member '{member_code}'", slug="member-not-found")

    def ensure_writes_only_its_member(self, member_codes: Iterable[object]) -> None:
        """A member-scoped principal (a token restricted to one member) writes its member's
        data only: every member code of the body must be its own. ``None`` stands for a value
        of every member or of no member (an overall measurement, a shared component, a PUT that
        replaces every member's rows): refused too. 403 naming the members, before anything is
        stored; a principal without a member scope passes."""
        if self.member is None:
            return
        codes = list(member_codes)
        others = sorted({str(c) for c in codes if c is not None and c != self.member})
        shared = any(c is None for c in codes)
        if not others and not shared:
            return
        parts = []
        if others:
            parts.append("of " + ", ".join(f"'{c}'" for c in others))
        if shared:
            parts.append("shared by every member")
        raise Forbidden(
            f"This principal writes the data of '{self.member}' only, not data "
            + " nor ".join(parts)
            + ": nothing was stored.",
            slug="member-scope",
            members=others,
        )

    @property
    def audit_name(self) -> str:
        return f"{self.subject} ({self.name})"


def sign_identity(principal: Principal, secret: str, *, ttl: int = DEFAULT_TTL) -> str:
    now = int(time.time())
    claims = {
        **principal.model_dump(),
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_identity(token: str, secret: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE)
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("The internal identity has expired", slug="identity-expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("The internal identity is not valid", slug="identity-invalid") from exc
    return Principal.model_validate(claims)


def current_principal(request: Request) -> Principal:
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        raise Unauthorized(
            "Services answer only calls that come through the gateway (or a peer service) "
            "with an internal identity.",
            slug="identity-missing",
        )
    principal = verify_identity(token, request.app.state.settings.internal_secret)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(*permissions: str) -> Callable[[Principal], Principal]:
    """A dependency that lets through principals holding any of ``permissions``."""

    def check(principal: CurrentPrincipal) -> Principal:
        if not any(principal.has(p) for p in permissions):
            raise Forbidden(
                f"This action needs the permission {' or '.join(permissions)}, "
                f"which {principal.name} does not have.",
                slug="permission-denied",
            )
        return principal

    check.required_permissions = permissions  # type: ignore[attr-defined]  # read by tests
    return check
