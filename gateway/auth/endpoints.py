"""``/api/auth``: tokens, web sessions, the current principal, accounts, machine tokens, audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from gateway.auth import accounts, repository, service, sessions, tokens
from gateway.auth.principal import (
    SESSION_COOKIE,
    AuthenticatedPrincipal,
    optional_principal,
    require_permission,
)
from gateway.auth.schemas import (
    AccessToken,
    AccountCreate,
    AccountPage,
    AccountRead,
    AccountUpdate,
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPage,
    ApiTokenRead,
    AuditRead,
    Credentials,
    Me,
    PasswordChange,
    PasswordReset,
    SessionOpened,
)
from gateway.auth.secrets import credential_mark, sign_access_token
from gateway.models import Account, ApiToken
from kit.db import DbSession, utcnow
from kit.errors import BadRequest, NotFound, ValidationFailed
from kit.forwarding import client_address
from kit.french import quoted
from kit.identity import Principal
from kit.pagination import Page, PageParams, after_id, build_page, page_params

router = APIRouter(prefix="/api/auth", tags=["auth"])
Admin = Annotated[Principal, Depends(require_permission("accounts:admin"))]
Pages = Annotated[PageParams, Depends(page_params)]


def client_ip(request: Request) -> str:
    """The client's address: the one the web app signed for it, else the connection's."""
    return client_address(request, request.app.state.settings.internal_secret)


def do_login(
    request: Request, session: DbSession, email: str, password: str
) -> service.LoginResult:
    state = request.app.state
    return service.login(
        session,
        email=email,
        password=password,
        client_ip=client_ip(request),
        settings=state.settings,
        hasher=state.hasher,
        security=state.security,
        resolve_contact=state.resolve_contact,
    )


@router.post("/token", response_model=AccessToken, summary="OAuth2 password flow: a bearer token")
def token(
    request: Request, session: DbSession, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> AccessToken:
    result = do_login(request, session, form.username, form.password)
    settings = request.app.state.settings
    minutes = settings.access_token_minutes
    access = sign_access_token(
        {
            "sub": result.principal.subject,
            "principal": result.principal.model_dump(),
            "cred": credential_mark(result.account.password_hash),
        },
        settings.token_secret,
        minutes=minutes,
    )
    return AccessToken(access_token=access, expires_in=minutes * 60)


@router.post(
    "/sessions",
    response_model=SessionOpened,
    status_code=201,
    summary="Open a web session (cookie HttpOnly, SameSite=Lax)",
)
def open_session(
    request: Request, response: Response, session: DbSession, body: Credentials
) -> SessionOpened:
    result = do_login(request, session, body.email, body.password)
    settings = request.app.state.settings
    token_value, web_session = sessions.open_web_session(
        session, result=result, settings=settings, user_agent=request.headers.get("user-agent")
    )
    response.set_cookie(
        SESSION_COOKIE,
        token_value,
        httponly=True,
        samesite="lax",
        secure=settings.https,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
    )
    return SessionOpened(
        session_token=token_value,
        csrf_token=web_session.csrf_token,
        expires_at=web_session.expires_at,
        must_change_password=result.account.must_change_password,
        principal=result.principal,
    )


@router.delete("/sessions/current", status_code=204, summary="Log out (revoke this session)")
def close_session(
    request: Request, response: Response, session: DbSession, principal: AuthenticatedPrincipal
) -> Response:
    web_session = getattr(request.state, "web_session", None)
    if web_session is None:
        raise BadRequest(
            "This request does not use a web session.",
            detail_fr="Cette requête n'utilise pas de session web.",
            slug="no-session",
        )
    sessions.revoke_web_session(web_session)
    session.add(
        service.audit_entry("logout", principal=principal.audit_name, client_ip=client_ip(request))
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me", response_model=Me)
def me(request: Request, principal: AuthenticatedPrincipal) -> Me:
    web_session = getattr(request.state, "web_session", None)
    return Me(
        principal=principal,
        permissions=sorted(principal.permissions),
        csrf_token=web_session.csrf_token if web_session else None,
    )


def own_account(session: DbSession, principal: AuthenticatedPrincipal) -> Account:
    if not principal.subject.startswith("account:"):
        raise BadRequest(
            "Only people have a password.",
            detail_fr="Seules les personnes ont un mot de passe.",
            slug="not-an-account",
        )
    account = repository.account_by_id(session, int(principal.subject.split(":")[1]))
    if account is None:
        raise NotFound(
            "No such account", detail_fr="Ce compte n'existe pas.", slug="account-not-found"
        )
    return account


@router.post("/password", status_code=204, summary="Change one's own password")
def change_password(
    request: Request,
    session: DbSession,
    body: PasswordChange,
    account: Annotated[Account, Depends(own_account)],
) -> Response:
    state = request.app.state
    accounts.change_password(
        account,
        current=body.current_password,
        new=body.new_password,
        hasher=state.hasher,
        settings=state.settings,
    )
    current = getattr(request.state, "web_session", None)
    for other in repository.open_sessions_of(session, account.id):
        if current is None or other.id != current.id:
            sessions.revoke_web_session(other)  # the other browsers log in again
    session.add(
        service.audit_entry("password_changed", email=account.email, client_ip=client_ip(request))
    )
    return Response(status_code=204)


def get_account_or_404(account_id: int, session: DbSession) -> Account:
    account = repository.account_by_id(session, account_id)
    if account is None:
        raise NotFound(
            f"No account {account_id}",
            detail_fr=f"Aucun compte n° {account_id}.",
            slug="account-not-found",
        )
    return account


@router.get("/accounts", response_model=AccountPage)
def list_accounts(
    request: Request, response: Response, session: DbSession, _admin: Admin, page: Pages
) -> AccountPage:
    after = after_id(page.after) or 0
    rows = repository.list_accounts(session, after_id=after, limit=page.limit)
    items, cursor = build_page(request, response, rows, limit=page.limit, key=lambda a: [a.id])
    return AccountPage(
        items=[AccountRead.model_validate(a) for a in items],
        next_cursor=cursor,
        total=repository.count_accounts(session),
    )


@router.post("/accounts", response_model=AccountRead, status_code=201)
def create_account(
    request: Request, session: DbSession, admin: Admin, body: AccountCreate
) -> AccountRead:
    state = request.app.state
    account = accounts.create_account(
        session,
        email=body.email,
        display_name=body.display_name,
        kind=body.kind,
        roles=body.roles,
        password=body.password,
        hasher=state.hasher,
        settings=state.settings,
    )
    read = AccountRead.model_validate(account)
    session.add(
        service.audit_entry(
            "account_created",
            principal=admin.audit_name,
            email=account.email,
            detail={"after": read.model_dump(mode="json")},
        )
    )
    return read


@router.patch("/accounts/{account_id}", response_model=AccountRead)
def update_account(
    session: DbSession,
    admin: Admin,
    body: AccountUpdate,
    account: Annotated[Account, Depends(get_account_or_404)],
) -> AccountRead:
    before = AccountRead.model_validate(account).model_dump(mode="json")
    accounts.update_account(
        account, display_name=body.display_name, roles=body.roles, is_active=body.is_active
    )
    session.flush()
    after = AccountRead.model_validate(account)
    session.add(
        service.audit_entry(
            "account_updated",
            principal=admin.audit_name,
            email=account.email,
            detail={"before": before, "after": after.model_dump(mode="json")},
        )
    )
    return after


@router.post(
    "/accounts/{account_id}/password-reset",
    response_model=PasswordReset,
    summary="Reset a password (and unlock): the temporary password is shown once",
)
def reset_password(
    request: Request,
    session: DbSession,
    admin: Admin,
    account: Annotated[Account, Depends(get_account_or_404)],
) -> PasswordReset:
    temporary = accounts.reset_password(account, hasher=request.app.state.hasher)
    for open_session in repository.open_sessions_of(session, account.id):
        sessions.revoke_web_session(open_session)
    session.add(
        service.audit_entry("password_reset", principal=admin.audit_name, email=account.email)
    )
    return PasswordReset(temporary_password=temporary)


@router.get("/api-tokens", response_model=ApiTokenPage)
def list_api_tokens(
    request: Request, response: Response, session: DbSession, _admin: Admin, page: Pages
) -> ApiTokenPage:
    after = after_id(page.after) or 0
    rows = repository.list_api_tokens(session, after_id=after, limit=page.limit)
    items, cursor = build_page(request, response, rows, limit=page.limit, key=lambda t: [t.id])
    return ApiTokenPage(
        items=[ApiTokenRead.model_validate(t) for t in items],
        next_cursor=cursor,
        total=repository.count_api_tokens(session),
    )


@router.post("/api-tokens", response_model=ApiTokenCreated, status_code=201)
def create_api_token(
    request: Request, session: DbSession, admin: Admin, body: ApiTokenCreate
) -> ApiTokenCreated:
    if body.member_code is not None and not request.app.state.member_exists(body.member_code):
        french = (
            f"Aucun adhérent ne porte le code {quoted(body.member_code)} : un jeton est "
            "restreint à un adhérent qui existe."
        )
        raise ValidationFailed(
            f"No member '{body.member_code}' in the registry: a token is restricted to a member "
            "that exists.",
            detail_fr=french,
            errors=[
                {
                    "field": "member_code",
                    "message": "unknown member",
                    "type": "unknown",
                    "message_fr": french,
                }
            ],
        )
    plain, token_row = tokens.create_api_token(
        session,
        name=body.name,
        scopes=body.scopes,
        member_code=body.member_code,
        created_by=admin,
        expires_at=body.expires_at,
    )
    read = ApiTokenRead.model_validate(token_row)
    session.add(
        service.audit_entry(
            "api_token_created",
            principal=admin.audit_name,
            detail={"after": read.model_dump(mode="json")},
        )
    )
    return ApiTokenCreated(token=plain, **read.model_dump())


def get_api_token_or_404(token_id: int, session: DbSession) -> ApiToken:
    token_row = repository.api_token_by_id(session, token_id)
    if token_row is None:
        raise NotFound(
            f"No API token {token_id}",
            detail_fr=f"Aucun jeton d'API n° {token_id}.",
            slug="api-token-not-found",
        )

    return token_row


@router.delete("/api-tokens/{token_id}", response_model=ApiTokenRead, summary="Revoke a token")
def revoke_api_token(
    session: DbSession, admin: Admin, token_row: Annotated[ApiToken, Depends(get_api_token_or_404)]
) -> ApiTokenRead:
    if token_row.revoked_at is None:
        token_row.revoked_at = utcnow()
        session.add(
            service.audit_entry(
                "api_token_revoked",
                principal=admin.audit_name,
                detail={"token_id": token_row.id, "name": token_row.name},
            )
        )
    session.flush()
    return ApiTokenRead.model_validate(token_row)


@router.get("/audit", response_model=Page[AuditRead], summary="Logins and writes, newest first")
def list_audit(
    request: Request,
    response: Response,
    session: DbSession,
    _reader: Annotated[Principal, Depends(require_permission("audit:read"))],
    page: Pages,
    event: str | None = None,
    email: str | None = None,
) -> Page[AuditRead]:
    after = after_id(page.after)
    rows = repository.list_audit(
        session, after_id=after, limit=page.limit, event=event, email=email
    )
    items, cursor = build_page(request, response, rows, limit=page.limit, key=lambda e: [e.id])
    return Page(items=[AuditRead.model_validate(e) for e in items], next_cursor=cursor)


__all__ = ["router", "optional_principal"]
