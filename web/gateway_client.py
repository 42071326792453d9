"""The web app's only source of data: the gateway's REST API."""

from __future__ import annotations

from typing import Any

import httpx

from kit.logging import REQUEST_ID_HEADER, current_request_id


class GatewayClient:
    def __init__(self, base_url: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url, transport=transport, timeout=httpx.Timeout(10.0, connect=2.0)
        )

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        headers[REQUEST_ID_HEADER] = current_request_id() or ""
        return await self._client.request(method, path, headers=headers, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def aclose(self) -> None:
        await self._client.aclose()
