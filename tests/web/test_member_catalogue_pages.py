"""Mes services: a contact reads the services its member subscribes to, what each costs it in
the year's run and why (key or driver, share, cost of the year); never another member's."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import httpx
import pytest

from tests.billing.upstream import Platform, check
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import add_account
from tests.web.conftest import sign_in
from tests.web.test_dashboard_pages import contact
from web.app import create_app as create_web
from web.settings import WebSettings
from web.views.format import euros

YEAR = dt.date.today().year


def catalogue_data(platform: Platform) -> None:
    """Messagerie: Exchange 300.00 direct (Ludres 1, Nancy 2) and a SAN share of 600.00;
    SIG: QGIS 600.00 direct (Nancy only) and a SAN share of 400.00; the storage pool of
    1,000.00 is used 100 / 50 / 50 GB by the host, Ludres and Nancy. Ludres subscribes to
    Messagerie; Nancy to both."""
    platform.member("grand-nancy", host=True)
    for code in ("ludres", "nancy"):
        platform.member(code)
        contact(platform, code)
    for code, count in {"grand-nancy": 50, "ludres": 20, "nancy": 30}.items():
        platform.workstations(code, count, YEAR)
    for code, name, status in (
        ("messagerie", "Messagerie collaborative", "active"),
        ("sig", "Information géographique", "active"),
        ("projet-secret", "Service en préparation", "draft"),
    ):
        body = {"code": code, "name": name, "domain": "infrastructure", "status": status}
        check(platform.catalogue.post("/services", json=body))
    platform.driver("storage_gb", "Go")
    platform.cost_line(
        "exchange", "300.00", weights={"ludres": "1", "nancy": "2"}, year=YEAR,
        name="Exchange", service="messagerie",
    )  # fmt: skip
    platform.cost_line(
        "qgis", "600.00", weights={"nancy": "1"}, year=YEAR, name="QGIS", service="sig"
    )
    platform.cost_line(
        "san-a", "600.00", driver="storage_gb", year=YEAR, name="Baie A", service="messagerie"
    )
    platform.cost_line(
        "san-b", "400.00", driver="storage_gb", year=YEAR, name="Baie B", service="sig"
    )
    platform.usage("storage_gb", {"grand-nancy": "100", "ludres": "50", "nancy": "50"}, YEAR)
    platform.parameters("10000.00", YEAR)
    subscriptions = (("messagerie", "ludres"), ("messagerie", "nancy"), ("sig", "nancy"))
    for service, member in subscriptions:
        path = f"/services/{service}/subscribers/{member}"
        check(platform.catalogue.put(path, json={"since": "2020-01-01"}))


@pytest.fixture
async def stack(service_app: Any, make_gateway: Any) -> dict[str, Any]:
    platform = Platform(service_app)
    catalogue_data(platform)
    apps = {
        "registry": platform.registry_app,
        "catalogue": platform.catalogue_app,
        "billing": platform.billing_app,
        "governance": service_app("governance"),
    }
    gateway = make_gateway(apps, registry_client=sync_client(platform.registry_app))
    add_account(gateway, "admin@dsit.test")
    for code in ("ludres", "nancy"):
        add_account(gateway, f"referent@{code}.example", kind="contact", roles=())
    web = create_web(
        WebSettings(environment="test"), gateway_transport=httpx.ASGITransport(app=gateway)
    )
    return {"web": web, "platform": platform}


async def page_of(stack: dict[str, Any], email: str, path: str = "/mes-services") -> Any:
    async with asgi_client(stack["web"]) as client:
        await sign_in(client, email)
        return await client.get(path)


def article(text: str, code: str) -> str:
    """The card of one subscribed service."""
    found = re.search(rf'<article[^>]*id="service-{code}".*?</article>', text, re.S)
    assert found, f"no card for {code}"
    return html.unescape(found.group(0))


async def test_contact_sees_its_subscriptions_with_what_each_costs_and_why(
    stack: dict[str, Any],
) -> None:
    run = stack["platform"].run("forecast", YEAR)
    page = await page_of(stack, "referent@ludres.example")
    assert page.status_code == 200
    assert '<a href="/mes-services" aria-current="page">Mes services</a>' in page.text
    assert f"calcul prévisionnel n°{run['id']}" in page.text
    card = article(page.text, "messagerie")
    assert "Messagerie collaborative" in card
    assert "Abonné depuis</dt><dd>01/01/2020" in card
    # 100.00 of Exchange by the key (1 of 3) + 150.00 of the storage pool (50 of 200 GB of a
    # 1,000.00 pool whose 600.00 come from this service's bay)
    assert f'<strong class="num">{euros("250.00")}</strong>' in card
    assert "Exchange" in card
    assert "1 / 3" in card
    assert "33,3\u00a0%" in card
    assert euros("300.00") in card
    assert euros("100.00") in card
    assert "50 / 200" in card
    assert "25\u00a0%" in card
    assert euros("600.00") in card
    assert euros("1000.00") in card
    assert euros("150.00") in card
    # Ludres does not subscribe to SIG: its storage share of the SIG bay is said apart
    assert 'id="service-sig"' not in page.text
    others = html.unescape(page.text.split('id="autres-titre"')[1])
    assert "Information géographique" in others
    assert euros("100.00") in others
    # the whole year reconciles with the run: 350.00 of services + 2,000.00 of payroll
    assert euros("2350.00") in page.text


async def test_contact_never_sees_another_members_costs_or_drafts(
    stack: dict[str, Any],
) -> None:
    stack["platform"].run("forecast", YEAR)
    ludres = html.unescape((await page_of(stack, "referent@ludres.example")).text)
    nancy = await page_of(stack, "referent@nancy.example")
    assert "QGIS" not in ludres  # a cost line only Nancy shares
    assert euros("200.00") not in ludres  # Nancy's part of Exchange (2 of 3)
    assert "Service en préparation" not in ludres  # a draft stays with the DSIT
    card = article(nancy.text, "messagerie")
    assert "2 / 3" in card
    assert "66,7\u00a0%" in card
    assert f'<strong class="num">{euros("350.00")}</strong>' in card  # 200.00 + 150.00
    sig = article(nancy.text, "sig")
    assert "QGIS" in sig
    assert f'<strong class="num">{euros("700.00")}</strong>' in sig
    assert "Ludres" not in html.unescape(nancy.text)


async def test_without_a_run_the_subscriptions_are_listed_without_amounts(
    stack: dict[str, Any],
) -> None:
    page = await page_of(stack, "referent@ludres.example")
    assert page.status_code == 200
    assert f"Aucun calcul de refacturation n'est encore disponible pour {YEAR}" in html.unescape(
        page.text
    )
    assert "Messagerie collaborative" in article(page.text, "messagerie")


async def test_the_page_is_for_member_contacts_only(stack: dict[str, Any]) -> None:
    page = await page_of(stack, "admin@dsit.test")
    assert page.status_code == 403
