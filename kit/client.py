"""Internal HTTP client: one long-lived ``httpx.Client`` per upstream service.

Used for service-to-service calls (billing → registry, catalogue…). It forwards the current
request id and turns transport failures into ``ServiceUnavailable``/``GatewayTimeout`` problems
naming the service, so a caller's error says which dependency failed.
"""

from __future__ import annotations

from typing import Any

import httpx

from kit.errors import AppError, GatewayTimeout, ServiceUnavailable
from kit.french import service_label
from kit.i18n import wants_french
from kit.identity import Principal, request_signer
from kit.logging import REQUEST_ID_HEADER, current_request_id

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=2.0)


class UpstreamError(AppError):
    """The upstream answered with an error: its status and problem are passed on — in French
    when the upstream said its answer is French (asked so for a French reader)."""

    def __init__(self, service: str, response: httpx.Response) -> None:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        self.status = response.status_code
        self.slug = str(body.get("type", "upstream-error")).rsplit(":", 1)[-1]
        self.title = body.get("title", "Upstream error")
        detail = body.get("detail", response.reason_phrase)
        errors = body.get("errors")
        french = response.headers.get("content-language", "").lower().startswith("fr")
        if french and isinstance(errors, list):
            errors = [{**e, "message_fr": e.get("message")} for e in errors if isinstance(e, dict)]
        super().__init__(
            f"{service}: {detail}",
            errors=errors,
            detail_fr=f"Service « {service_label(service)} » : {detail}" if french else None,
        )


class ServiceClient:
    def __init__(
        self,
        service: str,
        base_url: str,
        *,
        caller: str,
        secret: str,
        client: httpx.Client | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        """``service`` is the upstream called; ``caller`` the calling service, whose identity
        is signed with the shared internal ``secret`` on every call. Tests pass ``client``, e.g.
        a ``fastapi.testclient.TestClient`` of the real upstream app (an ``httpx.Client``)."""
        self.service = service
        principal = Principal(subject=f"service:{caller}", name=caller, kind="service")
        self._sign = request_signer(principal, secret, service)
        self._client = client or httpx.Client(base_url=base_url, timeout=timeout)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        request_id = current_request_id()
        if request_id:
            headers[REQUEST_ID_HEADER] = request_id
        if wants_french():
            headers.setdefault("Accept-Language", "fr")  # so that a refusal comes back French
        request = self._client.build_request(method, path, headers=headers, **kwargs)
        self._sign(request)  # for this method and path only
        try:
            response = self._client.send(request)
        except httpx.TimeoutException as exc:
            raise GatewayTimeout(
                f"The {self.service} service did not answer in time",
                detail_fr=f"Le service « {service_label(self.service)} » n'a pas répondu à temps : "
                "réessayez dans un instant.",
            ) from exc
        except httpx.TransportError as exc:
            raise ServiceUnavailable(
                f"The {self.service} service is unreachable",
                detail_fr=f"Le service « {service_label(self.service)} » est injoignable : "
                "réessayez dans un instant.",
                service=self.service,
            ) from exc
        if response.status_code >= 400:
            raise UpstreamError(self.service, response)
        return response

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs).json()

    def close(self) -> None:
        self._client.close()
