"""The address of the person behind the web app, passed to the gateway in a way it can trust.

Every web login reached the gateway from the web app's own address, so the per-address login
throttle counted everybody's failures together (30 a minute from anyone blocked every web
login). The web app now sends the client's address in ``X-Mutualis-Client``, signed with the
internal secret and stamped; the gateway takes it only when the signature verifies and the stamp
is recent, and otherwise uses the connection's address. An ``X-Forwarded-For`` is never read by
the apps: uvicorn applies it only from the proxies named in ``FORWARDED_ALLOW_IPS`` (the
launcher starts the apps with ``--no-proxy-headers``; see docs/production.md).
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

CLIENT_HEADER = "X-Mutualis-Client"
MAX_AGE = 60  # seconds

_client: contextvars.ContextVar[str | None] = contextvars.ContextVar("client", default=None)


def _mac(address: str, stamp: int, secret: str) -> str:
    message = f"{address} {stamp}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign_client(address: str, secret: str) -> str:
    stamp = int(time.time())
    return f"{address} {stamp} {_mac(address, stamp, secret)}"


def client_address(request: Request, secret: str) -> str:
    """The signed address of the web app's client when there is one, else the connection's."""
    value = request.headers.get(CLIENT_HEADER, "")
    parts = value.split(" ")
    if len(parts) == 3 and parts[1].isdigit():
        address, stamp, mac = parts[0], int(parts[1]), parts[2]
        fresh = abs(time.time() - stamp) <= MAX_AGE
        if fresh and hmac.compare_digest(mac, _mac(address, stamp, secret)):
            return address
    return request.client.host if request.client else "unknown"


def current_client() -> str | None:
    """The address of the request the web app is serving (set by ``ClientAddressMiddleware``)."""
    return _client.get()


class ClientAddressMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        token = _client.set(client[0] if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            _client.reset(token)
