"""The internal identity: who is calling a service, signed by the gateway (or a peer service).

The gateway authenticates people and machines, then forwards each request with a short-lived
HS256 token in ``X-Mutualis-Identity`` carrying the principal, its roles or scopes and its member
scope. Services trust only that token (``MUTUALIS_INTERNAL_SECRET``): a call without a valid one
is refused with 401, so a direct call to a service port gets nothing. Services still enforce
permissions and member scope themselves (``require``, ``Principal.ensure_member``).

An identity is good for one request only, so that one captured in a log or on the wire is worth
nothing elsewhere: it names the service it is for (``aud`` = ``mutualis:<service>``), the method
(``htm``) and the path (``htu``) of the request it was signed for (as DPoP does, RFC 9449), and
it lives at most ``DEFAULT_TTL`` seconds (``exp`` and ``iat`` required, ``exp - iat`` capped).
Signers sign each request as it is built (``request_signer``), never one identity for many.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

import httpx
import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, Field

from kit.errors import Forbidden, NotFound, Unauthorized
from kit.french import quoted, right_to
from kit.permissions import permissions_for

IDENTITY_HEADER = "X-Mutualis-Identity"
DEFAULT_TTL = 60  # seconds: long enough for one hop, too short to be worth stealing
CLOCK_LEEWAY = 5  # seconds of clock difference tolerated between hosts
REQUIRED_CLAIMS = ["exp", "iat", "aud", "htm", "htu"]

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
            raise NotFound(
                f"No member '{member_code}'",
                detail_fr=f"Aucun adhérent ne porte le code {quoted(member_code)}.",
                slug="member-not-found",
            )

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
        parts, parts_fr = [], []
        if others:
            parts.append("of " + ", ".join(f"'{c}'" for c in others))
            parts_fr.append("celles de " + ", ".join(quoted(c) for c in others))
        if shared:
            parts.append("shared by every member")
            parts_fr.append("celles communes à tous les adhérents")
        raise Forbidden(
            f"This principal writes the data of '{self.member}' only, not data "
            + " nor ".join(parts)
            + ": nothing was stored.",
            detail_fr=f"Vous ne pouvez modifier que les données de l'adhérent "
            f"{quoted(self.member)}, pas " + " ni ".join(parts_fr) + " : rien n'a été enregistré.",
            slug="member-scope",
            members=others,
        )

    @property
    def audit_name(self) -> str:
        return f"{self.subject} ({self.name})"


def audience_of(service: str) -> str:
    return f"mutualis:{service}"


def sign_identity(
    principal: Principal,
    secret: str,
    *,
    service: str,
    method: str,
    path: str,
    ttl: int = DEFAULT_TTL,
) -> str:
    """The identity of ``principal`` for one request: ``method`` ``path`` on ``service``."""
    if ttl > DEFAULT_TTL:
        raise ValueError(f"an internal identity lives at most {DEFAULT_TTL} s")
    now = int(time.time())
    claims = {
        **principal.model_dump(),
        "aud": audience_of(service),
        "htm": method.upper(),
        "htu": path,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def request_signer(
    principal: Principal, secret: str, service: str
) -> Callable[[httpx.Request], None]:
    """An httpx request hook signing each request of a client for ``service`` as it leaves
    (``httpx.Client(event_hooks={"request": [signer]})``, or called on a built request)."""

    def sign(request: httpx.Request) -> None:
        request.headers[IDENTITY_HEADER] = sign_identity(
            principal, secret, service=service, method=request.method, path=request.url.path
        )

    return sign


def verify_identity(token: str, secret: str, *, service: str, method: str, path: str) -> Principal:
    """The principal of an identity signed for this request (``method`` ``path``) on this
    ``service``, within its lifetime; 401 otherwise, saying which of these failed."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=audience_of(service),
            leeway=CLOCK_LEEWAY,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized(
            "The internal identity has expired",
            detail_fr="L'identité interne de l'appel a expiré.",
            slug="identity-expired",
        ) from exc
    except jwt.InvalidAudienceError as exc:
        raise Unauthorized(
            f"The internal identity was signed for another service, not {service}",
            detail_fr=f"L'identité interne de l'appel a été signée pour un autre service que "
            f"{service}.",
            slug="identity-wrong-service",
        ) from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(
            "The internal identity is not valid",
            detail_fr="L'identité interne de l'appel n'est pas valide.",
            slug="identity-invalid",
        ) from exc
    lifetime = int(claims["exp"]) - int(claims["iat"])
    if lifetime > DEFAULT_TTL or int(claims["iat"]) > time.time() + CLOCK_LEEWAY:
        raise Unauthorized(
            f"An internal identity lives at most {DEFAULT_TTL} s from its signature",
            detail_fr=f"Une identité interne vit au plus {DEFAULT_TTL} s après sa signature.",
            slug="identity-lifetime",
        )
    if claims["htm"] != method.upper() or claims["htu"] != path:
        raise Unauthorized(
            "The internal identity was signed for another request "
            f"({claims['htm']} {claims['htu']}), not {method.upper()} {path}",
            detail_fr="L'identité interne de l'appel a été signée pour une autre requête "
            f"({claims['htm']} {claims['htu']}), pas pour {method.upper()} {path}.",
            slug="identity-wrong-request",
        )
    return Principal.model_validate(claims)


def current_principal(request: Request) -> Principal:
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        raise Unauthorized(
            "Services answer only calls that come through the gateway (or a peer service) "
            "with an internal identity.",
            detail_fr="Les services ne répondent qu'aux appels passés par la passerelle (ou par "
            "un autre service) avec une identité interne.",
            slug="identity-missing",
        )
    settings = request.app.state.settings
    principal = verify_identity(
        token,
        settings.internal_secret,
        service=settings.service_name,
        method=request.method,
        path=request.url.path,
    )
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
                detail_fr="Pour faire cela, il faut "
                + " ou ".join(right_to(p) for p in permissions)
                + f", que {principal.name} n'a pas.",
                slug="permission-denied",
            )

        return principal

    check.required_permissions = permissions  # type: ignore[attr-defined]  # read by tests
    return check
