"""A CSV inventory load carries the serial, manufacturer, model and location of a component."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, asgi_client


async def test_a_csv_line_keeps_serial_manufacturer_model_and_location(service_app: Any) -> None:
    content = (
        "external_id;name;kind;serial;manufacturer;model;location\n"
        "SRV-1;Serveur de fichiers;server;CZ20190042;Dell Inc.;PowerEdge R740;"
        "Hôtel de ville > Salle serveurs\n"
        "SRV-2;Serveur d'impression;server;;;;\n"
    ).encode()
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        loaded = await client.post(
            "/inventory/csv",
            params={"source": "tableur"},
            content=content,
            headers={"Content-Type": "text/csv"},
        )
        first = (await client.get("/components/tableur-srv-1")).json()
        second = (await client.get("/components/tableur-srv-2")).json()
    assert loaded.json()["summary"]["created"] == 2, loaded.text
    assert (first["serial"], first["manufacturer"], first["model"], first["location"]) == (
        "CZ20190042",
        "Dell Inc.",
        "PowerEdge R740",
        "Hôtel de ville > Salle serveurs",
    )
    assert (second["serial"], second["location"]) == (None, None)
