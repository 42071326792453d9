"""Lists of the back office: their default order, their total over every page, previous and
next pages, and htmx swaps that retitle the page they change."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from tests.conftest import asgi_client
from tests.gateway.helpers import add_account, bearer
from tests.registry.factories import member_body
from tests.web.test_governance_pages import as_admin, seed


async def add_members(stack: dict[str, Any], bodies: list[dict[str, Any]]) -> None:
    async with asgi_client(stack["gateway"]) as client:
        admin = await bearer(client, "admin@dsit.test")
        for body in bodies:
            answer = await client.post("/api/registry/members", json=body, headers=admin)
            assert answer.status_code == 201, answer.text


def member_names(page: str) -> list[str]:
    return [
        html.unescape(n)
        for n in re.findall(r'<th scope="row"><a href="/adherents/[^"]+">([^<]+)<', page)
    ]


async def test_members_are_listed_host_first_then_by_name_with_their_total(
    web_stack: dict[str, Any],
) -> None:
    await add_members(
        web_stack,
        [
            member_body("essey", name="Essey-lès-Nancy"),
            member_body("epinal", name="Épinal"),
            member_body("grand-nancy", name="Métropole du Grand Nancy", kind="metropole",
                        is_host=True),
        ],
    )  # fmt: skip
    async with as_admin(web_stack) as client:
        page = await client.get("/adherents")
    assert page.status_code == 200
    # ludres and nancy come from the fixture; accents do not put Épinal after Nancy
    assert member_names(page.text) == [
        "Métropole du Grand Nancy",
        "Épinal",
        "Essey-lès-Nancy",
        "Ludres",
        "Nancy",
    ]
    assert "5 adhérents au total, l&#39;hôte d&#39;abord puis par nom" in page.text
    assert "Page précédente" not in page.text
    assert "Page suivante" not in page.text


async def test_members_page_both_ways_with_the_filters_kept(web_stack: dict[str, Any]) -> None:
    await add_members(web_stack, [member_body(f"commune-{n:02d}") for n in range(49)])
    async with as_admin(web_stack) as client:
        first = await client.get("/adherents?kind=commune")
        second = await client.get("/adherents?kind=commune&page=2", headers={"HX-Request": "true"})
        back = second.text.split('hx-get="')[1].split('"')[0]
        again = await client.get(html.unescape(back))
    assert "51 adhérents au total" in first.text
    assert len(member_names(first.text)) == 50
    assert 'href="/adherents?kind=commune&amp;page=2"' in first.text
    assert "Page précédente" not in first.text
    assert member_names(second.text) == ["Nancy"]  # the 51st by name
    assert "page 2 (1 affiché)" in second.text
    assert html.unescape(back) == "/adherents?kind=commune&page=1"
    assert "Page suivante" not in second.text
    assert member_names(again.text) == member_names(first.text)


QUOTE = '"'


def breach(n: int) -> tuple[str, dict[str, Any]]:
    aware = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    return "/gdpr/breaches", {
        "reference": f"VIO-{n:02d}",
        "controller_code": "ludres",
        "title": f"Incident {n:02d}",
        "facts": "Envoi groupé",
        "risk": "risk",
        "aware_at": aware.isoformat(),
    }


async def test_breaches_go_back_one_page_at_a_time_with_their_total(
    web_stack: dict[str, Any],
) -> None:
    await seed(web_stack, [breach(n) for n in range(52)])  # pages of 25: 25, 25, 2
    path = "/gouvernance/rgpd/violations"
    async with as_admin(web_stack) as client:
        first = await client.get(path)
        link = first.text.split(f'hx-get="{path}?')[1].split('"')[0]
        second = await client.get(f"{path}?{html.unescape(link)}")
        link = second.text.split("Page suivante")[0].rsplit(f'hx-get="{path}?', 1)[1]
        third = await client.get(f"{path}?{html.unescape(link.split(QUOTE)[0])}")
        back = third.text.split(f'hx-get="{path}?')[1].split('"')[0]
        previous = await client.get(f"{path}?{html.unescape(back)}")
    assert "52 violations au total — page 1 (25 affichées)" in first.text
    assert "VIO-00" in first.text
    assert "VIO-25" in second.text
    assert "52 violations au total — page 3 (2 affichées)" in third.text
    assert "VIO-51" in third.text
    # from the third page, "Page précédente" leads to the second, not to the first
    assert "52 violations au total — page 2 (25 affichées)" in previous.text
    assert "VIO-25" in previous.text
    assert "VIO-00" not in previous.text


async def test_projects_and_processing_records_say_their_total(
    web_stack: dict[str, Any],
) -> None:
    await seed(
        web_stack,
        [("/projects", {"code": f"projet-{n}", "name": f"Projet {n}"}) for n in range(3)]
        + [
            (
                "/gdpr/processing",
                {
                    "category_code": "messagerie",
                    "category_name": "Messagerie",
                    "controller_code": "ludres",
                    "processing_carried_out": "Hébergement",
                    "security_measures": "Chiffrement, sauvegardes",
                },
            )
        ],
    )
    async with as_admin(web_stack) as client:
        projects = await client.get("/gouvernance/projets")
        records = await client.get("/gouvernance/rgpd")
    assert "3 projets au total — page 1 (3 affichés)" in projects.text
    assert "1 entrée au total — page 1 (1 affichée)" in records.text


async def test_switching_the_year_of_cost_lines_retitles_the_page(
    web_stack: dict[str, Any],
) -> None:
    async with as_admin(web_stack) as client:
        costs = await client.get("/catalogue/couts?exercice=2024", headers={"HX-Request": "true"})
        usage = await client.get("/catalogue/usages?exercice=2023", headers={"HX-Request": "true"})
        full = await client.get("/catalogue/couts?exercice=2024")
    assert "<title>Coûts de possession 2024 — DSIT Métropole du Grand Nancy</title>" in costs.text
    assert "Exercice 2024" in costs.text
    assert "<title>Usages 2023 — DSIT Métropole du Grand Nancy</title>" in usage.text
    assert full.text.count("<title>") == 1  # the full page keeps the one of its head


async def test_components_page_both_ways_with_their_total(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["gateway"]) as client:
        admin = await bearer(client, "admin@dsit.test")
        for n in range(52):
            body = {"code": f"srv-{n:02d}", "name": f"Serveur {n:02d}", "kind": "server"}
            answer = await client.post("/api/catalogue/components", json=body, headers=admin)
            assert answer.status_code == 201, answer.text
    path = "/catalogue/composants"
    async with as_admin(web_stack) as client:
        first = await client.get(f"{path}?kind=server")
        link = first.text.split(f'hx-get="{path}?')[1].split('"')[0]
        second = await client.get(f"{path}?{html.unescape(link)}", headers={"HX-Request": "true"})
        back = second.text.split(f'hx-get="{path}?')[1].split('"')[0]
        again = await client.get(f"{path}?{html.unescape(back)}")
    assert "52 composants au total — page 1 (50 affichés)" in first.text
    assert "kind=server" in html.unescape(link)  # the filter is kept
    assert "52 composants au total — page 2 (2 affichés)" in second.text
    assert "Serveur 51" in second.text
    assert "Page précédente" in second.text
    assert "52 composants au total — page 1 (50 affichés)" in again.text
    assert "Serveur 00" in again.text


async def test_accounts_page_both_ways_with_their_total(web_stack: dict[str, Any]) -> None:
    for n in range(51):  # with the fixture's administrator and contact: 53 accounts
        add_account(web_stack["gateway"], f"agent-{n:02d}@dsit.test")
    async with as_admin(web_stack) as client:
        first = await client.get("/comptes")
        link = first.text.split('hx-get="/comptes?')[1].split('"')[0]
        second = await client.get(f"/comptes?{html.unescape(link)}")
        back = second.text.split('hx-get="/comptes?')[1].split('"')[0]
        again = await client.get(f"/comptes?{html.unescape(back)}")
    assert "53 comptes au total — page 1 (50 affichés)" in first.text
    assert "53 comptes au total — page 2 (3 affichés)" in second.text
    assert "Page précédente" in second.text
    assert "53 comptes au total — page 1 (50 affichés)" in again.text


async def test_the_billed_history_says_its_total(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["gateway"]) as client:
        admin = await bearer(client, "admin@dsit.test")
        for year, code in ((2021, "ludres"), (2022, "ludres"), (2022, "nancy")):
            answer = await client.put(
                f"/api/billing/history/{year}/{code}",
                json={"operating_total": "1000.00"},
                headers=admin,
            )
            assert answer.status_code in (200, 201), answer.text
    async with as_admin(web_stack) as client:
        every = await client.get("/facturation/exercices")
        ludres = await client.get("/facturation/exercices?member_code=ludres")
    assert "3 montants au total — page 1 (3 affichés)" in every.text
    assert "2 montants au total — page 1 (2 affichés)" in ludres.text
