"""Who is calling the gateway: a bearer access token, a machine token or a web session."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from gateway.auth import repository, sessions, tokens
from gateway.auth.secrets import MACHINE_TOKEN_PREFIX, credential_mark, read_access_token
from gateway.auth.service import contact_principal, staff_principal
from gateway.models import WebSession
from kit.db import DbSession
from kit.errors import Forbidden, Unauthorized
from kit.french import right_to
from kit.identity import Principal

SESSION_COOKIE = "mutualis_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="mutualis"'}


def authenticate(request: Request, session: Session) -> Principal | None:
    """The principal of the request, None when it carries no credential at all; a credential
    that is wrong, expired or revoked is a 401, a session write without its CSRF token a 403."""
    settings = request.app.state.settings
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, value = authorization.partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not value:
            raise Unauthorized(
                "Use 'Authorization: Bearer <token>'",
                detail_fr="Utilisez l'en-tête « Authorization: Bearer <jeton> ».",
                headers=BEARER_CHALLENGE,
            )
        if value.startswith(MACHINE_TOKEN_PREFIX):
            principal = tokens.api_token_principal(session, value)
            if principal is None:
                raise Unauthorized(
                    "This API token is unknown, revoked or expired",
                    detail_fr="Ce jeton d'API est inconnu, révoqué ou expiré.",
                    slug="token-invalid",
                    headers=BEARER_CHALLENGE,
                )
            return principal
        claims = read_access_token(value, settings.token_secret)
        return current_principal(
            request,
            session,
            Principal.model_validate(claims["principal"]),
            credential=claims.get("cred"),
        )
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = sessions.session_principal(session, cookie, settings)
        if found is None:
            raise Unauthorized(
                "Your session has expired: sign in again.",
                detail_fr="Votre session a expiré : reconnectez-vous.",
                slug="session-expired",
            )
        principal, web_session = found
        principal = current_principal(request, session, principal)
        if request.method not in SAFE_METHODS:
            check_csrf(request, web_session)
        request.state.web_session = web_session
        return principal
    return None


def current_principal(
    request: Request, session: Session, principal: Principal, *, credential: object = ...
) -> Principal:
    """The principal as its account and the registry say it is now, on every request: a
    deactivated account, a contact no longer authorised (dashboard access removed, contact
    erased) or a token issued before the password changed is refused at once; a staff member
    gets the roles the account has today. ``credential``: the access token's ``cred`` claim."""
    if not principal.subject.startswith("account:"):
        return principal
    account = repository.account_by_id(session, int(principal.subject.split(":", 1)[1]))
    if account is None or not account.is_active:
        raise Unauthorized(
            "This account no longer exists or was deactivated.",
            detail_fr="Ce compte n'existe plus ou a été désactivé.",
            slug="account-inactive",
            headers=BEARER_CHALLENGE,
        )
    if credential is not ... and credential != credential_mark(account.password_hash):
        raise Unauthorized(
            "The password changed after this token was issued: sign in again.",
            detail_fr="Le mot de passe a changé depuis la délivrance de ce jeton : "
            "reconnectez-vous.",
            slug="token-invalid",
            headers=BEARER_CHALLENGE,
        )
    if account.kind != "contact":
        return staff_principal(account)
    contact = request.app.state.resolve_contact(account.email)
    if not contact:
        raise Unauthorized(
            "This person is no longer an authorised contact of a member.",
            detail_fr="Cette personne n'est plus un interlocuteur habilité d'un adhérent.",
            slug="not-an-authorised-contact",
            headers=BEARER_CHALLENGE,
        )
    return contact_principal(account, contact)


def check_csrf(request: Request, web_session: WebSession) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not secrets.compare_digest(sent, web_session.csrf_token):
        raise Forbidden(
            "The CSRF token is missing or invalid: reload the page.",
            detail_fr="Jeton CSRF absent ou invalide : rechargez la page.",
            slug="csrf-failed",
        )


def optional_principal(request: Request, session: DbSession) -> Principal | None:
    principal = authenticate(request, session)
    request.state.principal = principal
    return principal


def required_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized(
            "Authentication required.",
            detail_fr="Authentification requise.",
            headers=BEARER_CHALLENGE,
        )
    return principal


def require_permission(permission: str):  # type: ignore[no-untyped-def]
    def check(principal: Annotated[Principal, Depends(required_principal)]) -> Principal:
        if not principal.has(permission):
            raise Forbidden(
                f"This needs the permission {permission}.",
                detail_fr=f"Pour faire cela, il faut {right_to(permission)}.",
                slug="permission-denied",
            )
        return principal

    return check


AuthenticatedPrincipal = Annotated[Principal, Depends(required_principal)]
