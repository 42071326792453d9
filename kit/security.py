"""Security headers on every response (the CSP forbids inline scripts); ``Cache-Control:
no-store`` on every answer to an authenticated request (a session cookie or a bearer token), so
that neither a shared proxy nor the browser's cache keeps a member's page or document. Static
files (``/static/``) stay cacheable."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


NO_STORE = (b"cache-control", b"no-store")


def authenticated(scope: Scope) -> bool:
    if scope.get("path", "").startswith("/static/"):
        return False
    names = {k for k, _ in scope.get("headers", [])}
    if b"authorization" in names:
        return True
    cookies = b"".join(v for k, v in scope.get("headers", []) if k == b"cookie")
    return b"mutualis_session=" in cookies or b"mutualis_web=" in cookies


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
        ]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        private = authenticated(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                added = [*self.headers, NO_STORE] if private else self.headers
                names = {k for k, _ in added}
                kept = [(k, v) for k, v in message.get("headers", []) if k not in names]
                message["headers"] = kept + added
            await send(message)

        await self.app(scope, receive, send_with_headers)
