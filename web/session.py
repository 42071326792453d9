"""The signed-in person, as the gateway knows them, and calls made on their behalf.

The web app keeps no session of its own: its cookie carries the gateway's session token, which
it forwards on every call; the gateway checks it and, for writes, the CSRF token the pages send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import Request

from web.gateway_client import GatewayClient

SESSION_COOKIE = "mutualis_web"
GATEWAY_SESSION_COOKIE = "mutualis_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(Exception):
    """No valid session: the person is sent to the login page."""


class PageForbidden(Exception):
    """Signed in, but this page is not for this person's roles."""


@dataclass
class User:
    name: str
    kind: str
    roles: list[str]
    member: str | None
    permissions: frozenset[str]
    csrf_token: str
    raw: dict[str, Any] = field(default_factory=dict)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def is_contact(self) -> bool:
        return self.member is not None and self.kind == "contact"


def gateway(request: Request) -> GatewayClient:
    client: GatewayClient = request.app.state.gateway
    return client


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)


async def api(request: Request, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """A gateway call as the signed-in person (session cookie, and CSRF token for writes)."""
    token = session_token(request)
    if token is None:
        raise LoginRequired
    headers = dict(kwargs.pop("headers", {}) or {})
    user: User | None = getattr(request.state, "user", None)
    if method not in SAFE_METHODS and user is not None:
        headers["X-CSRF-Token"] = user.csrf_token
    headers["Cookie"] = f"{GATEWAY_SESSION_COOKIE}={token}"
    response = await gateway(request).request(method, path, headers=headers, **kwargs)
    if response.status_code == 401:
        raise LoginRequired
    return response


async def current_user(request: Request) -> User | None:
    if session_token(request) is None:
        return None
    try:
        response = await api(request, "GET", "/api/auth/me")
    except LoginRequired:
        return None
    if response.status_code != 200:
        return None
    body = response.json()
    principal = body["principal"]
    user = User(
        name=principal["name"],
        kind=principal["kind"],
        roles=principal.get("roles", []),
        member=principal.get("member"),
        permissions=frozenset(body["permissions"]),
        csrf_token=body.get("csrf_token") or "",
        raw=principal,
    )
    request.state.user = user
    return user


async def require_user(request: Request) -> User:
    user = await current_user(request)
    if user is None:
        raise LoginRequired
    return user


def require_page(permission: str, *, staff_only: bool = False):  # type: ignore[no-untyped-def]
    """A page dependency: signed in, holding ``permission`` (and DSIT staff if asked)."""

    async def check(request: Request) -> User:
        user = await require_user(request)
        if not user.can(permission) or (staff_only and user.kind != "staff"):
            raise PageForbidden
        return user

    return check
