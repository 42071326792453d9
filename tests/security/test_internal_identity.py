"""Attack 8: an internal identity captured on the wire (or in a log) is worth one request.

The gateway signs, for each request it forwards, an identity naming the service, the method and
the path, living at most a minute. A captured identity replayed on another service, with another
method, on another path, after its expiry, or a forged one without expiry or with a long life,
is refused with 401 — checked here on the real registry and catalogue apps, with the identity the
real gateway sent."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import httpx
import jwt
import pytest

from kit.identity import DEFAULT_TTL, IDENTITY_HEADER, Principal, audience_of, sign_identity
from kit.settings import PLACEHOLDER_SECRET
from tests.conftest import asgi_client
from tests.gateway.helpers import add_account, bearer

ADMIN = Principal(subject="account:1", name="Admin", kind="staff", roles=["admin"])


class Capture:
    """Notes each request's path and the identity it brings (what an eavesdropper on the
    internal network would see)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[str, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            identity = headers.get(IDENTITY_HEADER.lower().encode(), b"").decode()
            self.seen.append((scope["path"], identity))
        await self.app(scope, receive, send)


async def replay(app: Any, method: str, path: str, identity: str) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://service"
    ) as client:
        return await client.request(method, path, headers={IDENTITY_HEADER: identity})


def problem(response: httpx.Response) -> str:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return str(response.json()["type"]).rsplit(":", 1)[-1]


@pytest.fixture
def apps(service_app: Any) -> dict[str, Any]:
    return {"registry": service_app("registry"), "catalogue": service_app("catalogue")}


async def test_an_identity_the_gateway_sent_works_once_for_its_request_only(
    apps: dict[str, Any], make_gateway: Any
) -> None:
    captured = Capture(apps["registry"])
    gateway = make_gateway({"registry": captured, "catalogue": apps["catalogue"]})
    add_account(gateway, "admin@dsit.test", roles=("admin",))
    async with asgi_client(gateway) as client:
        headers = await bearer(client, "admin@dsit.test")
        listed = await client.get("/api/registry/members", headers=headers)
    assert listed.status_code == 200
    (identity,) = [identity for path, identity in captured.seen if path == "/members"]

    # the same request with it still passes: the binding is to the request, not to one use
    assert (await replay(apps["registry"], "GET", "/members", identity)).status_code == 200
    # another service, another method, another path: refused
    assert problem(await replay(apps["catalogue"], "GET", "/components", identity)) == (
        "identity-wrong-service"
    )
    assert problem(await replay(apps["registry"], "POST", "/members", identity)) == (
        "identity-wrong-request"
    )
    assert problem(await replay(apps["registry"], "GET", "/contacts", identity)) == (
        "identity-wrong-request"
    )
    assert problem(await replay(apps["registry"], "DELETE", "/members/ludres", identity)) == (
        "identity-wrong-request"
    )
    claims = jwt.decode(identity, options={"verify_signature": False})
    assert claims["aud"] == audience_of("registry")
    assert claims["exp"] - claims["iat"] <= DEFAULT_TTL


def forged(**claims: Any) -> str:
    """An identity signed with the right secret but missing or stretching a claim (what a
    bug in a signer, or a leaked secret used carelessly, would produce)."""
    now = int(time.time())
    base = {
        **ADMIN.model_dump(),
        "aud": audience_of("registry"),
        "htm": "GET",
        "htu": "/members",
        "iat": now,
        "exp": now + 30,
    }
    # a time given as a timedelta is from now, when the identity is made (not when collected)
    base.update({k: now + int(v.total_seconds()) if isinstance(v, dt.timedelta) else v
                 for k, v in claims.items()})  # fmt: skip
    return jwt.encode({k: v for k, v in base.items() if v is not None}, PLACEHOLDER_SECRET)


@pytest.mark.parametrize(
    ("claims", "slug"),
    [
        ({}, None),  # the well-formed one passes: the refusals below are for their claim
        ({"exp": None}, "identity-invalid"),  # no expiry: would live for ever
        ({"iat": None}, "identity-invalid"),
        ({"aud": None}, "identity-invalid"),
        ({"htm": None}, "identity-invalid"),
        ({"htu": None}, "identity-invalid"),
        ({"exp": dt.timedelta(hours=1)}, "identity-lifetime"),  # an hour: over the cap
        ({"iat": dt.timedelta(seconds=600), "exp": dt.timedelta(seconds=620)}, "identity-invalid"),
        ({"iat": dt.timedelta(seconds=-120), "exp": dt.timedelta(seconds=-60)}, "identity-expired"),
        ({"aud": "mutualis-internal"}, "identity-wrong-service"),  # the old shared audience
    ],
)
async def test_identities_without_a_bounded_life_or_a_binding_are_refused(
    apps: dict[str, Any], claims: dict[str, Any], slug: str | None
) -> None:
    response = await replay(apps["registry"], "GET", "/members", forged(**claims))
    if slug is None:
        assert response.status_code == 200, response.text
    else:
        assert problem(response) == slug


def test_signers_cannot_sign_a_long_lived_identity() -> None:
    with pytest.raises(ValueError, match="at most"):
        sign_identity(
            ADMIN, PLACEHOLDER_SECRET, service="registry", method="GET", path="/", ttl=3600
        )
