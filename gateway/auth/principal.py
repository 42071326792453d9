"""Who is calling the gateway: a bearer access token, a machine token or a web session."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from gateway.auth import sessions, tokens
from gateway.auth.secrets import MACHINE_TOKEN_PREFIX, read_access_token
from gateway.models import WebSession
from kit.db import DbSession
from kit.errors import Forbidden, Unauthorized
from kit.identity import Principal

SESSION_COOKIE = "mutualis_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="mutualis"'}


def access_token_principal(request: Request) -> Principal | None:
    """The principal of a bearer access token (a signed JWT: no database needed), or None when
    the request carries another kind of credential or none."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or value.startswith(MACHINE_TOKEN_PREFIX):
        return None
    claims = read_access_token(value, request.app.state.settings.token_secret)
    return Principal.model_validate(claims["principal"])


def authenticate(request: Request, session: Session) -> Principal | None:
    """The principal of the request, None when it carries no credential at all; a credential
    that is wrong, expired or revoked is a 401, a session write without its CSRF token a 403."""
    settings = request.app.state.settings
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not value:
            raise Unauthorized("Use 'Authorization: Bearer <token>'", headers=BEARER_CHALLENGE)
        if value.startswith(MACHINE_TOKEN_PREFIX):
            principal = tokens.api_token_principal(session, value)
            if principal is None:
                raise Unauthorized(
                    "This API token is unknown, revoked or expired",
                    slug="token-invalid",
                    headers=BEARER_CHALLENGE,
                )
            return principal
        claims = read_access_token(value, settings.token_secret)
        return Principal.model_validate(claims["principal"])
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = sessions.session_principal(session, cookie, settings)
        if found is None:
            raise Unauthorized("Votre session a expiré : reconnectez-vous.", slug="session-expired")
        principal, web_session = found
        if request.method not in SAFE_METHODS:
            check_csrf(request, web_session)
        request.state.web_session = web_session
        return principal
    return None


def check_csrf(request: Request, web_session: WebSession) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not secrets.compare_digest(sent, web_session.csrf_token):
        raise Forbidden("Jeton CSRF absent ou invalide : rechargez la page.", slug="csrf-failed")


def optional_principal(request: Request, session: DbSession) -> Principal | None:
    principal = authenticate(request, session)
    request.state.principal = principal
    return principal


def required_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized("Authentification requise.", headers=BEARER_CHALLENGE)
    return principal


def require_permission(permission: str):  # type: ignore[no-untyped-def]
    def check(principal: Annotated[Principal, Depends(required_principal)]) -> Principal:
        if not principal.has(permission):
            raise Forbidden(f"This needs the permission {permission}.", slug="permission-denied")
        return principal

    return check


AuthenticatedPrincipal = Annotated[Principal, Depends(required_principal)]
