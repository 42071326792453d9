"""Who a member's contact is comes from the registry: the gateway asks it at login."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from gateway.settings import GatewaySettings
from kit.client import ServiceClient, UpstreamError


class RegistryContacts:
    def __init__(self, settings: GatewaySettings, *, client: httpx.Client | None = None) -> None:
        self._client = ServiceClient(
            "registry",
            settings.registry_url,
            caller="gateway",
            secret=settings.internal_secret,
            client=client,
        )

    def find_authorised(self, email: str) -> dict[str, Any] | None:
        """The registry contact with this email allowed to see its member's dashboards."""
        items = self._client.get_json("/contacts", params={"email": email}).get("items", [])
        for contact in items:
            if contact.get("dashboard_access") and not contact.get("erased"):
                return dict(contact)
        return None

    def email_of(self, contact_id: str) -> str | None:
        """The email of a registry contact (None when there is none, or no such contact)."""
        try:
            contact = self._client.get_json(f"/contacts/{quote(contact_id, safe='')}")
        except UpstreamError:
            return None
        email = contact.get("email")
        return str(email).strip().lower() if email else None

    def member_exists(self, code: str) -> bool:
        """True when the registry knows the member (a token may be restricted to it)."""
        try:
            self._client.get_json(f"/members/{quote(code, safe='')}")
        except UpstreamError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def close(self) -> None:
        self._client.close()
