"""The status page renders the gateway's health report, whole or as its htmx fragment."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from kit.settings import SERVICES
from tests.conftest import asgi_client
from tests.gateway.test_forwarding import closed_port
from web.app import create_app as create_web
from web.settings import WebSettings


@pytest.fixture
def backend() -> str:
    return "sqlite"


def web_over(service_apps: dict[str, Any], **gateway_overrides: Any) -> Any:
    transports = {n: httpx.ASGITransport(app=a) for n, a in service_apps.items()}
    gateway = create_gateway(
        GatewaySettings(environment="test", **gateway_overrides), transports=transports
    )
    return create_web(
        WebSettings(environment="test"), gateway_transport=httpx.ASGITransport(app=gateway)
    )


async def test_full_page_shows_every_service_ok(service_app: Any) -> None:
    web = web_over({n: service_app(n) for n in SERVICES})
    async with asgi_client(web) as client:
        response = await client.get("/statut")
    assert response.status_code == 200
    html = response.text
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html
    assert "Tous les services fonctionnent" in html
    assert html.count('data-status="ok"') == 1 + len(SERVICES)
    assert 'src="/static/js/htmx-2.0.11.min.js"' in html
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "<script>" not in html  # no inline script: the CSP would refuse it


async def test_htmx_request_gets_only_the_fragment_and_a_down_service(service_app: Any) -> None:
    apps = {n: service_app(n) for n in SERVICES if n != "billing"}
    web = web_over(apps, billing_url=f"http://127.0.0.1:{closed_port()}")
    async with asgi_client(web) as client:
        response = await client.get("/statut", headers={"HX-Request": "true"})
    html = response.text
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="etat-services"')
    assert 'data-service="billing" data-status="down"' in html
    assert "Service dégradé" in html


async def test_gateway_unreachable_shows_everything_down() -> None:
    web = create_web(
        WebSettings(environment="test", gateway_url=f"http://127.0.0.1:{closed_port()}")
    )
    async with asgi_client(web) as client:
        response = await client.get("/statut")
    assert response.status_code == 200
    assert response.text.count('data-status="down"') == 1 + len(SERVICES)


async def test_htmx_is_served_from_our_own_static_files() -> None:
    async with asgi_client(create_web(WebSettings(environment="test"))) as client:
        response = await client.get("/static/js/htmx-2.0.11.min.js")
    assert response.status_code == 200
    assert "htmx" in response.text[:2000]
