"""Connexion et déconnexion."""

from __future__ import annotations

import secrets
from typing import Annotated

import httpx
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.navigation import home_for
from web.rendering import render
from web.session import SESSION_COOKIE, api, current_user, gateway
from web.views.forms import in_french, refusal_message

router = APIRouter()
LOGIN_CSRF_COOKIE = "mutualis_login_csrf"


def safe_next(value: str | None) -> str | None:
    """Only a path of this site: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//"):
        return value
    return None


# what a refused login means, when the gateway could not say it in French (by status)
LOGIN_REFUSED = {
    401: "Adresse électronique ou mot de passe incorrect.",
    403: "Cette personne n'est pas (ou plus) un interlocuteur habilité d'un adhérent.",
    429: "Trop de tentatives : réessayez dans quelques minutes.",
}


def login_refusal(answer: httpx.Response) -> str:
    """The gateway's own French words for a refused login, else what its status means."""
    if in_french(answer):
        return refusal_message(answer)
    return LOGIN_REFUSED.get(answer.status_code, "Connexion impossible : réessayez plus tard.")


def login_form(
    request: Request,
    *,
    error: str | None = None,
    email: str = "",
    status_code: int = 200,
    next_path: str | None = None,
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "pages/login.html",
        "pages/login.html",
        {
            "error": error,
            "email": email,
            "csrf_token": token,
            "next_path": next_path or "",
        },
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.https,
        path="/connexion",
    )
    return response


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    user = await current_user(request)
    return RedirectResponse(home_for(user) if user else "/connexion", status_code=303)


@router.get("/connexion", response_class=HTMLResponse)
async def login_page(request: Request, suivant: str | None = None) -> Response:
    user = await current_user(request)
    if user is not None:
        return RedirectResponse(safe_next(suivant) or home_for(user), status_code=303)
    return login_form(request, next_path=safe_next(suivant))


@router.post("/connexion", response_class=HTMLResponse)
async def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    suivant: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return login_form(
            request,
            error="Le formulaire a expiré : veuillez réessayer.",
            email=email,
            status_code=400,
        )
    answer = await gateway(request).request(
        "POST",
        "/api/auth/sessions",
        json={"email": email, "password": password},
        headers={"User-Agent": request.headers.get("user-agent", "")},
    )
    if answer.status_code != 201:
        return login_form(
            request,
            error=login_refusal(answer),
            email=email,
            status_code=answer.status_code if answer.status_code < 500 else 503,
            next_path=safe_next(suivant),
        )
    body = answer.json()
    settings = request.app.state.settings
    principal = body["principal"]
    target = safe_next(suivant) or ("/tableau-de-bord" if principal.get("member") else "/adherents")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        body["session_token"],
        httponly=True,
        samesite="lax",
        secure=settings.https,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/connexion")
    return response


@router.post("/deconnexion")
async def logout(request: Request) -> Response:
    user = await current_user(request)
    if user is not None:
        await api(request, "DELETE", "/api/auth/sessions/current")
    response = RedirectResponse("/connexion", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
