"""Comptes (administrators): people's accounts (create, deactivate, reset a password, which
also unlocks) and machine tokens (create and show once, revoke)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.session import User, api, require_page
from web.views.accounts import ACCOUNT_KINDS, ROLES, SCOPES, AccountRow, TokenRow
from web.views.forms import FormErrors, check_csrf, problem_errors
from web.views.pager import Pages, pager

router = APIRouter()
Admin = Annotated[User, Depends(require_page("accounts:admin", staff_only=True))]
Id = Annotated[int, Path(ge=1, le=2**31)]
Csrf = Annotated[str, Form(max_length=200)]
Cursor = Annotated[str, Query(max_length=500)]
ACCOUNT_FIELDS = ("email", "display_name", "kind", "roles", "password")
TOKEN_FIELDS = ("name", "scopes", "member_code", "expires_at")
EMPTY_ACCOUNT: dict[str, Any] = {"email": "", "display_name": "", "kind": "staff", "roles": []}
EMPTY_TOKEN: dict[str, Any] = {"name": "", "scopes": [], "member_code": "", "expires_at": ""}


async def listing(request: Request, path: str, cursor: str) -> dict[str, Any]:
    params = {"limit": "50", **({"cursor": cursor} if cursor else {})}
    answer = await api(request, "GET", path, params=params)
    return answer.json() if answer.status_code == 200 else {"items": []}


async def accounts_page(
    request: Request,
    *,
    cursor: str = "",
    pages: str = "",
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    secret: tuple[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    body = await listing(request, "/api/auth/accounts", cursor)
    context = {
        "rows": [AccountRow.of(item) for item in body["items"]],
        "total": body.get("total"),
        **pager(cursor=cursor, pages=pages, next_cursor=body.get("next_cursor"), filters={}),
        "form": form or EMPTY_ACCOUNT,
        "errors": errors or FormErrors(),
        "roles": ROLES,
        "kinds": ACCOUNT_KINDS,
        "notice": notice,
        "secret": secret,
    }
    return render(
        request,
        "pages/accounts_list.html",
        "partials/accounts_table.html",
        context,
        status_code=status_code,
    )


@router.get("/comptes", response_class=HTMLResponse)
async def list_accounts(
    request: Request, _user: Admin, cursor: Cursor = "", pages: Pages = ""
) -> HTMLResponse:
    notice = "Compte créé." if request.query_params.get("cree") else None
    return await accounts_page(request, cursor=cursor, pages=pages, notice=notice)


@router.post("/comptes", response_class=HTMLResponse)
async def create_account(
    request: Request,
    user: Admin,
    csrf_token: Csrf = "",
    email: Annotated[str, Form(max_length=254)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=20)] = "staff",
    roles: Annotated[list[str] | None, Form()] = None,
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    check_csrf(request, user, csrf_token)
    form = {"email": email, "display_name": display_name, "kind": kind, "roles": roles or []}
    payload = {**form, "password": password}
    answer = await api(request, "POST", "/api/auth/accounts", json=payload)
    if answer.status_code == 201:
        return RedirectResponse("/comptes?cree=1", status_code=303)
    errors = problem_errors(answer, ACCOUNT_FIELDS)
    return await accounts_page(request, form=form, errors=errors, status_code=422)


@router.post("/comptes/{account_id}/mot-de-passe", response_class=HTMLResponse)
async def reset_password(
    request: Request, user: Admin, account_id: Id, csrf_token: Csrf = ""
) -> HTMLResponse:
    """The temporary password is shown on this answer only (never in a URL, never again)."""
    check_csrf(request, user, csrf_token)
    answer = await api(request, "POST", f"/api/auth/accounts/{account_id}/password-reset")
    if answer.status_code != 200:
        return error_page(request, 404)
    account = await api(request, "GET", "/api/auth/accounts", params={"limit": "500"})
    email = next(
        (a["email"] for a in account.json().get("items", []) if a["id"] == account_id),
        f"n°{account_id}",
    )
    secret = (f"Mot de passe temporaire de {email}", answer.json()["temporary_password"])
    return await accounts_page(request, secret=secret)


@router.post("/comptes/{account_id}/activation", response_class=HTMLResponse)
async def set_active(
    request: Request,
    user: Admin,
    account_id: Id,
    csrf_token: Csrf = "",
    active: Annotated[str, Form(pattern="^(true|false)$")] = "false",
) -> Response:
    check_csrf(request, user, csrf_token)
    answer = await api(
        request, "PATCH", f"/api/auth/accounts/{account_id}", json={"is_active": active == "true"}
    )
    if answer.status_code != 200:
        return error_page(request, 404)
    return RedirectResponse("/comptes", status_code=303)


async def tokens_page(
    request: Request,
    *,
    cursor: str = "",
    pages: str = "",
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    created: dict[str, Any] | None = None,
    revoking: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    body = await listing(request, "/api/auth/api-tokens", cursor)
    rows = [TokenRow.of(item) for item in body["items"]]
    context = {
        "revoking": next((r for r in rows if r.id == revoking and not r.revoked), None),
        "rows": [TokenRow.of(item) for item in body["items"]],
        "total": body.get("total"),
        **pager(cursor=cursor, pages=pages, next_cursor=body.get("next_cursor"), filters={}),
        "form": form or EMPTY_TOKEN,
        "errors": errors or FormErrors(),
        "scopes": SCOPES,
        "created": created,
    }
    return render(
        request,
        "pages/accounts_tokens.html",
        "partials/accounts_tokens_table.html",
        context,
        status_code=status_code,
    )


@router.get("/comptes/jetons", response_class=HTMLResponse)
async def list_tokens(
    request: Request, _user: Admin, cursor: Cursor = "", pages: Pages = ""
) -> HTMLResponse:
    return await tokens_page(request, cursor=cursor, pages=pages)


@router.post("/comptes/jetons", response_class=HTMLResponse)
async def create_token(
    request: Request,
    user: Admin,
    csrf_token: Csrf = "",
    name: Annotated[str, Form(max_length=200)] = "",
    scopes: Annotated[list[str] | None, Form()] = None,
    member_code: Annotated[str, Form(max_length=80)] = "",
    expires_at: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    """The token is shown once, on this answer; only its hash is kept by the gateway."""
    check_csrf(request, user, csrf_token)
    form = {
        "name": name,
        "scopes": scopes or [],
        "member_code": member_code,
        "expires_at": expires_at,
    }
    payload: dict[str, Any] = {"name": name, "scopes": scopes or []}
    if member_code.strip():
        payload["member_code"] = member_code.strip()
    if expires_at:
        payload["expires_at"] = f"{expires_at}T23:59:59Z" if len(expires_at) == 10 else expires_at
    answer = await api(request, "POST", "/api/auth/api-tokens", json=payload)
    if answer.status_code != 201:
        errors = problem_errors(answer, TOKEN_FIELDS)
        return await tokens_page(request, form=form, errors=errors, status_code=422)
    return await tokens_page(request, created=answer.json(), status_code=201)


@router.post("/comptes/jetons/{token_id}/revocation", response_class=HTMLResponse)
async def revoke_token(
    request: Request,
    user: Admin,
    token_id: Id,
    csrf_token: Csrf = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Revoking is for good: the page first says which systems lose their access."""
    check_csrf(request, user, csrf_token)
    if not confirm:
        return await tokens_page(request, revoking=token_id)
    answer = await api(request, "DELETE", f"/api/auth/api-tokens/{token_id}")
    if answer.status_code != 200:
        return error_page(request, 404)
    return RedirectResponse("/comptes/jetons", status_code=303)
