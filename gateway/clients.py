"""One long-lived ``httpx.AsyncClient`` per upstream service, and the streaming forwarder."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
from fastapi import Request
from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse

from kit.errors import GatewayTimeout, NotFound, ServiceUnavailable
from kit.french import quoted, service_label
from kit.identity import Principal, request_signer
from kit.logging import REQUEST_ID_HEADER, current_request_id

# Hop-by-hop headers (RFC 9110 §7.6.1) and those the gateway sets itself.
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "x-request-id",
}
# Credentials stay at the gateway; services get the signed identity instead.
_NOT_FORWARDED = _HOP_BY_HOP | {"authorization", "cookie", "x-csrf-token", "x-mutualis-identity"}
_SET_BY_GATEWAY = {"date", "server"}


def default_transport(kind: str, limits: httpx.Limits) -> httpx.AsyncBaseTransport | None:
    """httpx's own transport, or aiohttp's under httpx's interface (measured in bench/)."""
    if kind == "aiohttp":
        from httpx_aiohttp import AiohttpTransport

        return AiohttpTransport(limits=limits)
    return None


def _unreachable_fr(service: str) -> str:
    return (
        f"Le service {quoted(service_label(service))} est injoignable ; les autres services "
        "répondent toujours. Réessayez dans un instant."
    )


class Upstreams:
    """The services behind the gateway, each with its own connection pool."""

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        connect_timeout: float,
        read_timeout: float,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
        transport_kind: str = "httpx",
    ) -> None:
        transports = transports or {}
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        self.clients = {
            name: httpx.AsyncClient(
                base_url=url,
                timeout=timeout,
                limits=limits,
                transport=transports.get(name) or default_transport(transport_kind, limits),
            )
            for name, url in urls.items()
        }

    def client(self, service: str) -> httpx.AsyncClient:
        try:
            return self.clients[service]
        except KeyError:
            raise NotFound(
                f"No service named '{service}'; known services: {', '.join(self.clients)}",
                detail_fr=f"Aucun service ne s'appelle {quoted(service)} ; services connus : "
                f"{', '.join(self.clients)}.",
                slug="unknown-service",
            ) from None

    async def aclose(self) -> None:
        await asyncio.gather(*(c.aclose() for c in self.clients.values()))

    async def forward(
        self, service: str, path: str, request: Request, *, principal: Principal, secret: str
    ) -> StreamingResponse:
        """Stream the request to the service and its answer back, bodies never buffered. The
        principal's identity is signed for this service, method and path only."""
        client = self.client(service)
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in _NOT_FORWARDED]
        headers.append((REQUEST_ID_HEADER, current_request_id() or ""))
        has_body = request.method not in ("GET", "HEAD", "OPTIONS", "DELETE") or (
            "content-length" in request.headers or "transfer-encoding" in request.headers
        )
        upstream_request = client.build_request(
            request.method,
            "/" + path,
            params=request.url.query.encode("latin-1"),
            headers=headers,
            content=request.stream() if has_body else None,
        )
        request_signer(principal, secret, service)(upstream_request)
        try:
            response = await client.send(upstream_request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # no connection could be made (the aiohttp transport reports a refused connection
            # as a connect timeout): the service is unreachable, not slow
            raise ServiceUnavailable(
                f"The {service} service is unreachable; the other services still answer.",
                detail_fr=_unreachable_fr(service),
                service=service,
            ) from exc
        except httpx.TimeoutException as exc:
            raise GatewayTimeout(
                f"The {service} service did not answer in time",
                detail_fr=f"Le service {quoted(service_label(service))} n'a pas répondu à temps : "
                "réessayez dans un instant.",
                service=service,
            ) from exc
        except httpx.TransportError as exc:
            raise ServiceUnavailable(
                f"The {service} service is unreachable; the other services still answer.",
                detail_fr=_unreachable_fr(service),
                service=service,
            ) from exc

        streamed = StreamingResponse(
            response.aiter_raw(),
            status_code=response.status_code,
            background=BackgroundTask(response.aclose),
        )
        # raw headers keep repeated ones (Set-Cookie, Link) as the service sent them
        streamed.raw_headers = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in response.headers.multi_items()
            if k.lower() not in _HOP_BY_HOP and k.lower() not in _SET_BY_GATEWAY
        ]
        return streamed

    async def health(self, timeout: float) -> dict[str, dict[str, Any]]:
        async def probe(name: str, client: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
            started = time.perf_counter()
            try:
                response = await client.get(
                    "/readyz",
                    timeout=timeout,
                    headers={REQUEST_ID_HEADER: current_request_id() or ""},
                )
            except httpx.HTTPError as exc:
                return name, {"status": "down", "detail": f"unreachable ({type(exc).__name__})"}
            latency = round((time.perf_counter() - started) * 1000, 1)
            if response.status_code == 200:
                return name, {"status": "ok", "latency_ms": latency}
            try:
                detail = response.json().get("detail", response.reason_phrase)
            except ValueError:
                detail = response.reason_phrase
            return name, {"status": "down", "detail": detail, "latency_ms": latency}

        results = await asyncio.gather(*(probe(n, c) for n, c in self.clients.items()))
        return dict(results)


LINK_TARGET = re.compile(r"<([^>]*)>")


def public_links(headers: list[tuple[bytes, bytes]], prefix: str) -> list[tuple[bytes, bytes]]:
    """A service's ``Link`` headers with each target under the gateway's public ``prefix``: the
    service names its own (internal) address, which integrators cannot reach."""

    def public(match: re.Match[str]) -> str:
        target = urlsplit(match.group(1))
        query = f"?{target.query}" if target.query else ""
        return f"<{prefix}{target.path}{query}>"

    return [
        (k, LINK_TARGET.sub(public, v.decode("latin-1")).encode("latin-1"))
        if k == b"link"
        else (k, v)
        for k, v in headers
    ]
