"""Errors as RFC 9457 ``application/problem+json``.

    AppError (500 internal)
     ├── BadRequest (400)            ├── NotFound (404)       ├── Conflict (409)
     ├── Unauthorized (401)          ├── Forbidden (403)      ├── PreconditionFailed (412)
     ├── ValidationFailed (422)      ├── TooManyRequests (429)    ├── ServiceUnavailable (503)
     └── GatewayTimeout (504)

Every problem has a stable ``type`` (``urn:mutualis:problem:<slug>``), a ``title``, a ``detail``
a person can act on, the ``instance`` path and the request id. Asked with ``Accept-Language: fr``
the title, the detail (``detail_fr``) and the errors' messages (``message_fr``, pydantic's
translated by ``kit.i18n``) are French, with ``Content-Language: fr`` when all of them are.
Unexpected exceptions are logged with their trace and answered with a bare 500 problem: never
a stack trace to the client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.i18n import french_field_message, prefers_french
from kit.logging import current_request_id
from kit.routes import iter_api_routes

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("mutualis.errors")


def problem_type(slug: str) -> str:
    return f"urn:mutualis:problem:{slug}"


class AppError(Exception):
    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        slug: str | None = None,
        detail_fr: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.detail_fr = detail_fr
        self.errors = errors
        self.headers = headers or {}
        if slug:
            self.slug = slug
        self.extra = extra


class BadRequest(AppError):
    status, slug, title = 400, "bad-request", "Bad request"


class Unauthorized(AppError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(AppError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(AppError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(AppError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class ValidationFailed(AppError):
    status, slug, title = 422, "validation-error", "Invalid input"


class TooManyRequests(AppError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


class ServiceUnavailable(AppError):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


class GatewayTimeout(AppError):
    status, slug, title = 504, "upstream-timeout", "Upstream timeout"


# titles of the problems by status, for a French reader
TITLES_FR = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Introuvable",
    405: "Méthode non autorisée",
    406: "Format non disponible",
    409: "Conflit",
    412: "Condition préalable non remplie",
    413: "Contenu trop volumineux",
    415: "Format de contenu non pris en charge",
    422: "Données invalides",
    429: "Trop de requêtes",
    500: "Erreur interne",
    502: "Service indisponible",
    503: "Service indisponible",
    504: "Délai dépassé",
}


def _in_french(
    status: int, title: str, detail: str, detail_fr: str | None, errors: list[dict[str, Any]] | None
) -> tuple[str, str, list[dict[str, Any]] | None, bool]:
    """Title, detail and errors as a French reader gets them, and whether all are French."""
    complete = detail_fr is not None
    french_errors = None
    if errors is not None:
        french_errors = []
        for item in errors:
            french = item.get("message_fr")
            complete = complete and french is not None
            out = {k: v for k, v in item.items() if k != "message_fr"}
            if french is not None:
                out["message"] = french
            french_errors.append(out)
    return TITLES_FR.get(status, title), detail_fr or detail, french_errors, complete


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    detail_fr: str | None = None,
    **extra: Any,
) -> JSONResponse:
    headers = dict(headers or {})
    if prefers_french(request.headers.get("accept-language")):
        title, detail, errors, complete = _in_french(status, title, detail, detail_fr, errors)
        if complete:
            headers["Content-Language"] = "fr"
    elif errors is not None:
        errors = [{k: v for k, v in e.items() if k != "message_fr"} for e in errors]
    body: dict[str, Any] = {
        "type": problem_type(slug),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = errors
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors as ``[{field, message, type}]`` with a dotted field path."""
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        out.append(
            {
                "field": ".".join(loc),
                "message": err.get("msg", ""),
                "type": err.get("type"),
                "message_fr": french_field_message(err) or "Valeur invalide.",
            }
        )
    return out


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    if exc.status >= 500:
        logger.warning("%s: %s", exc.slug, exc.detail)
    return problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        detail_fr=exc.detail_fr,
        errors=exc.errors,
        headers=exc.headers,
        **exc.extra,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc)
    fields = ", ".join(sorted({e["field"] for e in errors if e["field"]})) or "request"
    return problem_response(
        request,
        status=422,
        slug=ValidationFailed.slug,
        title=ValidationFailed.title,
        detail=f"Invalid value for: {fields}",
        detail_fr=f"Valeur invalide pour : {fields}."
        if fields != "request"
        else "Valeur invalide.",
        errors=errors,
    )


_HTTP_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


_HTTP_FR = {
    400: "La requête est mal formée.",
    401: "Authentification requise.",
    403: "Vous n'avez pas le droit de faire cela.",
    404: "Cette ressource n'existe pas.",
    405: "Cette méthode n'est pas permise à cette adresse.",
    406: "Ce format de réponse n'est pas disponible.",
    413: "Le contenu envoyé est trop volumineux.",
    415: "Ce format de contenu n'est pas pris en charge.",
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}"
    return problem_response(
        request,
        status=exc.status_code,
        slug=_HTTP_SLUGS.get(exc.status_code, "http-error"),
        title=detail if len(detail) < 60 else "HTTP error",
        detail=detail,
        detail_fr=_HTTP_FR.get(exc.status_code, "La requête a été refusée."),
        headers=headers,
    )


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    """A uniqueness or reference constraint hit by a write that raced another: nothing was
    stored (the request's transaction is rolled back), and the caller can retry."""
    logger.warning(
        "integrity error on %s %s: %s",
        request.method,
        request.url.path,
        type(getattr(exc, "orig", exc)).__name__,
    )
    return problem_response(
        request,
        status=409,
        slug="conflict",
        title=Conflict.title,
        detail="This change conflicts with data stored at the same time (a duplicate or a "
        "missing reference); nothing was stored. Reload and retry.",
        detail_fr="Cette modification entre en conflit avec une autre enregistrée au même moment "
        "(un doublon ou une référence manquante) ; rien n'a été enregistré. Rechargez et "
        "réessayez.",
    )


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    """A number the database cannot hold (an id beyond 64 bits…): the caller's input is wrong."""
    return problem_response(
        request,
        status=422,
        slug="out-of-range",
        title=ValidationFailed.title,
        detail="A value in the request is out of the range the API accepts (identifiers and "
        "quantities fit in 64 bits).",
        detail_fr="Une valeur de la requête dépasse ce que l'API accepte (les identifiants et "
        "les quantités tiennent sur 64 bits).",
    )


async def _database_busy(request: Request, exc: Exception) -> JSONResponse:
    """SQLite's write lock still held by another writer after the busy timeout: nothing was
    stored, the caller retries later (503 with Retry-After), never a 500."""
    message = str(getattr(exc, "orig", exc))
    if "locked" not in message and "busy" not in message:
        raise exc
    logger.warning("database busy on %s %s: %s", request.method, request.url.path, message)
    return problem_response(
        request,
        status=503,
        slug="database-busy",
        title="Service busy",
        detail="The database is busy with other changes; nothing was stored. Retry in a moment.",
        detail_fr="La base de données est occupée par d'autres modifications ; rien n'a été "
        "enregistré. Réessayez dans un instant.",
        headers={"Retry-After": "2"},
    )


async def _statement_error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(getattr(exc, "orig", None), OverflowError | ValueError):
        return await _out_of_range(request, exc)
    raise exc


def _allowed_methods(request: Request) -> str:
    """Every method of every route matching the path (Starlette names only the first)."""
    methods: set[str] = set()
    path = request.scope["path"]
    for route in [*request.app.router.routes, *iter_api_routes(request.app.router.routes)]:
        methods_of = getattr(route, "methods", None)
        regex = getattr(route, "path_regex", None)
        if methods_of and regex is not None and regex.match(path):
            methods |= set(methods_of)
    return ", ".join(sorted(methods))


class UnexpectedErrorMiddleware:
    """Turns an unhandled exception into a bare 500 problem, inside the request-id middleware
    (so the answer and the log line carry the request id), and logs its trace."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            request = Request(scope)
            logger.exception("unhandled error on %s %s", request.method, request.url.path)
            if started:
                raise
            response = problem_response(
                request,
                status=500,
                slug="internal-error",
                title="Internal error",
                detail="An unexpected error occurred; quote the request id to the DSIT support.",
                detail_fr="Une erreur inattendue s'est produite ; citez l'identifiant de la "
                "requête au support de la DSIT.",
            )
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Problem+json for every error; add before ``RequestIdMiddleware`` (which wraps it)."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DataError, _out_of_range)  # PostgreSQL: numeric out of range
    app.add_exception_handler(OverflowError, _out_of_range)  # SQLite: int beyond 64 bits
    app.add_exception_handler(StatementError, _statement_error)
    app.add_exception_handler(OperationalError, _database_busy)
    app.add_middleware(UnexpectedErrorMiddleware)
