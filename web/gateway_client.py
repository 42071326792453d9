"""The web app's only source of data: the gateway's REST API."""

from __future__ import annotations

from typing import Any

import httpx

from kit.forwarding import CLIENT_HEADER, current_client, sign_client
from kit.logging import REQUEST_ID_HEADER, current_request_id


class GatewayClient:
    def __init__(
        self,
        base_url: str,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        secret: str = "",
    ) -> None:
        """``secret``: the internal secret, which signs the client's address for the gateway."""
        self._client = httpx.AsyncClient(
            base_url=base_url, transport=transport, timeout=httpx.Timeout(10.0, connect=2.0)
        )
        self._secret = secret

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        headers[REQUEST_ID_HEADER] = current_request_id() or ""
        headers.setdefault("Accept-Language", "fr")  # people read the API's messages in French
        client = current_client()
        if client and self._secret:
            headers[CLIENT_HEADER] = sign_client(client, self._secret)
        return await self._client.request(method, path, headers=headers, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def aclose(self) -> None:
        await self._client.aclose()
