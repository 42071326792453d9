"""Error pages in French; an htmx request is redirected or gets a short message instead."""

from __future__ import annotations

import logging
from urllib.parse import quote

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from web.rendering import is_htmx, templates
from web.session import LoginRequired, PageForbidden

logger = logging.getLogger("mutualis.web")

MESSAGES = {
    400: (
        "Demande invalide",
        "La demande envoyée est mal formée ; rechargez la page et recommencez.",
    ),
    404: ("Page introuvable", "Cette page n'existe pas ou plus."),
    405: ("Action impossible", "Cette page ne permet pas cette action."),
    413: (
        "Envoi trop volumineux",
        "Le fichier ou le formulaire envoyé dépasse la taille acceptée.",
    ),
    403: ("Accès refusé", "Cette page n'est pas ouverte à votre profil."),
    503: (
        "Service indisponible",
        "Un service de la plateforme ne répond pas ; réessayez dans "
        "quelques instants. L'état des services est affiché sur la page « État ».",
    ),
    500: (
        "Erreur inattendue",
        "Une erreur inattendue s'est produite ; si elle persiste, "
        "signalez-la à la DSIT avec l'heure.",
    ),
}


def error_page(request: Request, status: int) -> HTMLResponse:
    from web.navigation import menu_for

    title, message = MESSAGES.get(status, MESSAGES[500])
    user = getattr(request.state, "user", None)
    context = {
        "title": title,
        "message": message,
        "status": status,
        "user": user,
        "menu": menu_for(user, dev_mailbox=request.app.state.settings.dev_mailbox_on),
    }
    template = "partials/error.html" if is_htmx(request) else "pages/error.html"
    return templates.TemplateResponse(request, template, context, status_code=status)


async def _login_required(request: Request, _exc: Exception) -> Response:
    target = "/connexion?suivant=" + quote(request.url.path)
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _forbidden(request: Request, _exc: Exception) -> Response:
    return error_page(request, 403)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return error_page(request, exc.status_code if exc.status_code in MESSAGES else 500)


async def _invalid_request(request: Request, _exc: Exception) -> Response:
    """A form the web app's routes cannot read (fields missing, a malformed body): the French
    error page, never FastAPI's JSON. Forms the pages send always carry their fields."""
    return error_page(request, 400)


async def _gateway_down(request: Request, exc: Exception) -> Response:
    logger.warning("gateway unreachable: %s", type(exc).__name__)
    return error_page(request, 503)


class ControlCharacterPathMiddleware:
    """A path holding control characters (``%00``…) names no page: 400, before any route (it
    used to reach the gateway call and fail there as a 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if any(ord(c) < 32 or ord(c) == 127 for c in path):
            scope = {**scope, "path": "/demande-invalide", "raw_path": b"/demande-invalide"}
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    @app.api_route("/demande-invalide", methods=["GET", "POST", "HEAD"], include_in_schema=False)
    async def bad_request(request: Request) -> Response:
        return error_page(request, 400)

    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(PageForbidden, _forbidden)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(httpx.TransportError, _gateway_down)
