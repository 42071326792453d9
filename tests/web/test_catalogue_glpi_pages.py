"""The catalogue pages on what GLPI imported, through the real gateway: each component's source
and last push, its serial, manufacturer, model and location, and the obsolescence filter."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo

from tests.catalogue.glpi_payloads import MAPPINGS, computer, infocom
from tests.conftest import asgi_client
from tests.gateway.helpers import bearer
from tests.web.conftest import sign_in


async def seed(gateway: Any) -> dict[str, Any]:
    """A GLPI computer with its Infocom, and a component entered by hand; the GLPI one as the
    API answers it."""
    pc = computer(
        34,
        name="PC d&#039;accueil",
        locations_id="Mairie &gt; Accueil",
        _infocoms=infocom(34),
    )
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@dsit.test")
        mapped = await client.put(
            "/api/catalogue/glpi/member-mappings", json=MAPPINGS, headers=admin
        )
        assert mapped.status_code == 200, mapped.text
        loaded = await client.post(
            "/api/catalogue/inventory/glpi/computers", json=[pc], headers=admin
        )
        assert loaded.json()["summary"]["created"] == 1, loaded.text
        manual = {"code": "exchange", "name": "Exchange", "kind": "application"}
        created = await client.post("/api/catalogue/components", json=manual, headers=admin)
        assert created.status_code == 201, created.text
        stored = await client.get("/api/catalogue/components/glpi-computer-34", headers=admin)
    return dict(stored.json())


def row_of(page: str, name: str) -> list[str]:
    """The cells of the components table's row for ``name``, as text."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        if name in html.unescape(row):
            return [
                html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
    raise AssertionError(f"no row for {name}")


async def test_the_components_page_shows_the_source_and_the_last_push(
    web_stack: dict[str, Any],
) -> None:
    stored = await seed(web_stack["gateway"])
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/catalogue/composants")
    seen = dt.datetime.fromisoformat(stored["last_seen_at"]).astimezone(ZoneInfo("Europe/Paris"))
    glpi_row = row_of(page.text, "PC d'accueil")
    manual_row = row_of(page.text, "Exchange")
    assert "Dernière remontée" in page.text
    assert glpi_row[-2:] == ["GLPI", seen.strftime("%d/%m/%Y à %H:%M")]
    assert glpi_row[1] == "Poste de travail"
    assert glpi_row[5] == "15/03/2024"  # end of warranty: 2021-03-15 + 36 months
    assert manual_row[-2:] == ["Saisie manuelle", "—"]


async def test_the_component_page_shows_serial_manufacturer_model_and_location(
    web_stack: dict[str, Any],
) -> None:
    await seed(web_stack["gateway"])
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/catalogue/composants/glpi-computer-34")
    text = html.unescape(re.sub(r"\s+", " ", page.text))
    assert "<dt>Numéro de série</dt><dd>5CG0000034</dd>" in text
    assert "<dt>Fabricant</dt><dd>HP Inc.</dd>" in text
    assert "<dt>Modèle</dt><dd>EliteBook 840 G8</dd>" in text
    assert "<dt>Lieu</dt><dd>Mairie > Accueil</dd>" in text
    assert "<dt>Source</dt><dd>GLPI (identifiant 34)</dd>" in text


async def test_the_obsolescence_filter_lists_what_support_ends_before_a_date(
    web_stack: dict[str, Any],
) -> None:
    await seed(web_stack["gateway"])
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        ending = await client.get(
            "/catalogue/composants?end_of_support_before=2025-01-01",
            headers={"HX-Request": "true"},
        )
        later = await client.get("/catalogue/composants?end_of_support_before=2024-01-01")
    assert "PC d'accueil" in html.unescape(ending.text)
    assert "Exchange" not in ending.text
    assert "Aucun composant ne correspond à ces critères." in later.text


def test_every_source_is_shown_by_its_label() -> None:
    from services.catalogue.inventory.glpi import ASSET_TYPES
    from web.views.catalogue import ComponentRow
    from web.views.catalogue_labels import SOURCES

    def shown(source: str) -> str:
        item = {"code": "c", "name": "C", "kind": "server", "source": source}
        return ComponentRow.of(item, {}, dt.date(2026, 1, 1)).source

    assert {t.source for t in ASSET_TYPES.values()} <= set(SOURCES)
    assert [shown(s) for s in ("glpi-agent", "glpi-licence", "manual", "tableur")] == [
        "GLPI (agent)",
        "GLPI",
        "Saisie manuelle",
        "Import « tableur »",
    ]
