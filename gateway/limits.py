"""Request body limits at the gateway: a body larger than its route allows is refused with
413 problem+json before it is read (``Content-Length``) or as soon as it goes past the limit
(chunked bodies), so six 50 MB bodies no longer take the gateway's memory with them.

``MUTUALIS_GATEWAY_MAX_BODY_BYTES`` (default 1 MiB) applies to every route;
``MUTUALIS_GATEWAY_MAX_UPLOAD_BYTES`` (default 32 MiB) to the declared upload routes: the bulk
loads of the catalogue (inventory in JSON, CSV or GLPI format, a GLPI agent's push, usage
measurements) and the history import of billing — those take up to 10,000 items a call —
and a settlement on the attribution de compensation with its deliberation's file.
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.errors import PROBLEM_JSON, TITLES_FR, AppError, problem_type
from kit.french import fr_number
from kit.i18n import prefers_french

UPLOAD_ROUTES = (
    re.compile(r"^/api/catalogue/inventory(/|$)"),
    re.compile(r"^/api/catalogue/glpi-agent/?$"),  # a GLPI agent's inventory, plain JSON at times
    re.compile(r"^/api/catalogue/usage/[^/]+/[^/]+$"),
    re.compile(r"^/api/catalogue/(cost-line|usage)-imports$"),
    re.compile(r"^/api/billing/history/import$"),
    # a settlement on the AC carries its deliberation's file (up to 10 MB, base64)
    re.compile(r"^/api/billing/settlements(/\d+)?$"),
)


class BodyTooLarge(AppError):
    """A chunked body went past its limit after the app had started its answer (a streamed
    upload): the exchange is cut. Before that, the middleware answers 413 itself."""

    status, slug, title = 413, "body-too-large", "Request body too large"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    def limit_for(self, path: str) -> int:
        return self.max_upload if any(r.match(path) for r in UPLOAD_ROUTES) else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0:
                await _problem(
                    scope,
                    send,
                    400,
                    "bad-content-length",
                    "Invalid Content-Length.",
                    "L'en-tête Content-Length est invalide.",
                )
                return
            if declared > limit:
                await _too_large(scope, send, limit)
                return
        received = 0
        started = answered = False

        async def limited_receive() -> Message:
            nonlocal received, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if started:
                        raise BodyTooLarge(_detail(limit), detail_fr=_detail_fr(limit), limit=limit)
                    # answer now; the app sees a client that went away and stops reading
                    await _too_large(scope, send, limit)
                    answered = True
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if answered:
                return  # the 413 went out: whatever the app says after it is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if not answered:
                raise


def _detail(limit: int) -> str:
    return (
        f"The request body is larger than this route accepts ({limit} bytes); nothing was "
        "stored. Send smaller batches."
    )


def _detail_fr(limit: int) -> str:
    return (
        f"Le contenu envoyé dépasse ce que cette adresse accepte ({fr_number(limit)} octets) ; "
        "rien n'a été enregistré. Envoyez des lots plus petits."
    )


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    await _problem(
        scope, send, 413, "body-too-large", _detail(limit), _detail_fr(limit), limit=limit
    )


async def _problem(
    scope: Scope,
    send: Send,
    status: int,
    slug: str,
    detail: str,
    detail_fr: str,
    **extra: object,
) -> None:
    """The problem+json answered before the app runs: in French when the request asks so."""
    titles = {400: "Bad request", 413: "Request body too large"}
    accept = next((v for k, v in scope["headers"] if k == b"accept-language"), b"")
    french = prefers_french(accept.decode("latin-1"))
    body = json.dumps(
        {
            "type": problem_type(slug),
            "title": TITLES_FR[status] if french else titles[status],
            "status": status,
            "detail": detail_fr if french else detail,
            "instance": scope["path"],
            **extra,
        }
    ).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    if french:
        headers.append((b"content-language", b"fr"))
    await send({"type": "http.response.start", "status": status, "headers": headers})

    await send({"type": "http.response.body", "body": body})
