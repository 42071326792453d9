"""The web app in front of the real gateway and services, all in-process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kit.settings import SERVICES
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import PASSWORD, add_account, bearer
from tests.registry.factories import member_body
from web.app import create_app as create_web
from web.settings import WebSettings


@pytest.fixture
async def web_stack(service_app: Any, make_gateway: Any) -> dict[str, Any]:
    apps = {name: service_app(name) for name in SERVICES}
    gateway = make_gateway(apps, registry_client=sync_client(apps["registry"]))
    add_account(gateway, "admin@dsit.test")
    add_account(gateway, "referent@ludres.example", kind="contact", roles=())
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@dsit.test")
        for code in ("ludres", "nancy"):
            created = await client.post(
                "/api/registry/members", json=member_body(code=code), headers=admin
            )
            assert created.status_code == 201, created.text
        await client.post(
            "/api/registry/members/ludres/contacts",
            headers=admin,
            json={
                "first_name": "Léa",
                "last_name": "Martin",
                "email": "referent@ludres.example",
                "roles": ["it_referent"],
                "dashboard_access": True,
            },
        )
    web = create_web(
        WebSettings(environment="test"), gateway_transport=httpx.ASGITransport(app=gateway)
    )
    return {"web": web, "gateway": gateway, "apps": apps}


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    form = await client.get("/connexion")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    return await client.post(
        "/connexion", data={"email": email, "password": password, "csrf_token": token}
    )


WebStack = Callable[..., Any]
