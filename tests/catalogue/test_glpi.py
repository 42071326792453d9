"""Import of GLPI computers and software, on payloads written from GLPI's documented format
(``GET /apirest.php/Computer?expand_dropdowns=true``)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from tests.conftest import as_admin, asgi_client, identity_headers

ENTITIES = {"Ville de Ludres": "ludres", "Ville de Laxou": "laxou", "0": "grand-nancy"}
MAPPINGS = {
    "items": [
        {"match": "entity", "value": value, "member_code": member}
        for value, member in ENTITIES.items()
    ]
}

COMPUTERS = [
    {
        "id": 34,
        "entities_id": "Entité racine > Ville de Ludres",
        "name": "LUD-PC-0034",
        "serial": "5CG1234XYZ",
        "otherserial": "INV-2021-034",
        "contact": "accueil",
        "date_mod": "2025-09-12 10:14:03",
        "states_id": "En service",
        "computertypes_id": "Portable",
        "manufacturers_id": "HP Inc.",
        "computermodels_id": "EliteBook 840 G8",
        "is_deleted": 0,
        "is_template": 0,
        "is_dynamic": 1,
        "locations_id": "&nbsp;",
    },
    {
        "id": 35,
        "entities_id": "Entité racine > Ville de Laxou",
        "name": "LAX-SRV-FICHIERS",
        "serial": "CZ20190001",
        "otherserial": None,
        "date_mod": "2025-10-02 08:00:00",
        "states_id": "Rebut",
        "computertypes_id": "Serveur",
        "manufacturers_id": "Dell Inc.",
        "is_deleted": 0,
        "is_template": 0,
    },
    {
        "id": 36,
        "entities_id": "Entité racine > Syndicat inconnu",
        "name": "X",
        "serial": "",
        "date_mod": "2025-01-01 00:00:00",
        "states_id": "&nbsp;",
        "computertypes_id": "&nbsp;",
        "manufacturers_id": "&nbsp;",
        "is_deleted": 0,
        "is_template": 0,
    },
    {"id": 37, "entities_id": 0, "name": "Modèle poste", "is_template": 1, "is_deleted": 0},
]

SOFTWARE = [
    {
        "id": 7,
        "entities_id": "Entité racine > Ville de Ludres",
        "name": "Ciril Finances",
        "manufacturers_id": "Ciril Group",
        "is_deleted": 0,
        "is_template": 0,
        "date_mod": "2025-06-01 12:00:00",
    },
    {
        "id": 8,
        "entities_id": 0,
        "name": "Mozilla Firefox",
        "manufacturers_id": "&nbsp;",
        "is_deleted": 1,
        "is_template": 0,
        "date_mod": "2024-03-15 09:30:00",
    },
]


@contextlib.asynccontextmanager
async def mapped_client(service_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the catalogue whose GLPI member mappings are ``MAPPINGS``."""
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        stored = await client.put("/glpi/member-mappings", json=MAPPINGS)
        assert stored.status_code == 200, stored.text
        yield client


async def test_glpi_computers_become_components_of_the_mapped_members(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        response = await client.post("/inventory/glpi/computers", json=COMPUTERS)
        laptop = await client.get("/components/glpi-computer-34")
        server = await client.get("/components/glpi-computer-35")
    results = [(r["key"], r["status"]) for r in response.json()["items"]]
    assert results == [("34", "created"), ("35", "created"), ("36", "rejected"), ("37", "rejected")]
    assert response.json()["items"][2]["errors"][0]["field"] == "entities_id"
    assert response.json()["items"][3]["errors"][0]["field"] == "is_template"
    assert (laptop.json()["kind"], laptop.json()["member_codes"]) == ("workstation", ["ludres"])
    assert (laptop.json()["source"], laptop.json()["external_id"]) == ("glpi-computer", "34")
    assert (server.json()["kind"], server.json()["retired_on"]) == ("server", "2025-10-02")


async def test_glpi_software_is_imported_and_a_deleted_one_retired(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        response = await client.post("/inventory/glpi/software", json=SOFTWARE)
        ciril = await client.get("/components/glpi-software-7")
        firefox = await client.get("/components/glpi-software-8")
    assert response.json()["summary"]["created"] == 2
    assert (ciril.json()["name"], ciril.json()["kind"]) == (
        "Ciril Finances (Ciril Group)",
        "licence",
    )
    assert firefox.json()["member_codes"] == ["grand-nancy"]
    assert firefox.json()["retired_on"] == "2024-03-15"


async def test_the_same_glpi_answer_posted_twice_changes_nothing(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/computers", json=COMPUTERS)
        again = await client.post("/inventory/glpi/computers", json=COMPUTERS)
        listed = await client.get("/components", params={"source": "glpi-computer"})
    assert again.json()["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 2}
    assert len(listed.json()["items"]) == 2


async def test_a_glpi_full_load_does_not_touch_the_other_item_type(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/software", json=SOFTWARE[:1])
        in_service = {**COMPUTERS[1], "states_id": "En service"}
        await client.post("/inventory/glpi/computers", json=[COMPUTERS[0], in_service])
        full = await client.post(
            "/inventory/glpi/computers", params={"mode": "full"}, json=COMPUTERS[:1]
        )
        ciril = await client.get("/components/glpi-software-7")
    assert [(r["key"], r["status"]) for r in full.json()["items"]] == [
        ("34", "unchanged"),
        ("35", "retired"),
    ]
    assert ciril.json()["retired_on"] is None


async def test_a_body_that_is_not_a_glpi_list_is_a_422(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        response = await client.post("/inventory/glpi/computers", json={"id": 1})
        unknown = await client.post("/inventory/glpi/printers", json=[])
    assert response.status_code == 422
    assert unknown.status_code == 422


async def test_a_sub_entity_falls_back_on_its_longest_mapped_parent(service_app: Any) -> None:
    schools = {**COMPUTERS[0], "id": 90, "entities_id": "Entité racine > Ville de Ludres > Écoles"}
    deeper = {
        **COMPUTERS[0],
        "id": 91,
        "entities_id": "Entité racine > Ville de Laxou &gt; Gymnase",
    }
    async with mapped_client(service_app) as client:
        own = MAPPINGS["items"] + [
            {
                "match": "entity",
                "value": "Entité racine > Ville de Ludres > Écoles > Maternelle",
                "member_code": "laxou",
            }
        ]
        await client.put("/glpi/member-mappings", json={"items": own})
        response = await client.post("/inventory/glpi/computers", json=[schools, deeper])
        school = await client.get("/components/glpi-computer-90")
        gym = await client.get("/components/glpi-computer-91")
    assert [r["status"] for r in response.json()["items"]] == ["created", "created"]
    assert school.json()["member_codes"] == ["ludres"]
    assert gym.json()["member_codes"] == ["laxou"]


async def test_member_mappings_are_replaced_whole_and_checked(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        listed = await client.get("/glpi/member-mappings")
        twice = await client.put(
            "/glpi/member-mappings",
            json={
                "items": [
                    {"match": "tag", "value": "LUDRES", "member_code": "ludres"},
                    {"match": "tag", "value": "ludres ", "member_code": "laxou"},
                ]
            },
        )
        emptied = await client.put("/glpi/member-mappings", json={"items": []})
        unmapped = await client.post("/inventory/glpi/computers", json=COMPUTERS[:1])
    assert {(i["value"], i["member_code"]) for i in listed.json()["items"]} == set(ENTITIES.items())
    assert twice.status_code == 422
    assert emptied.json() == {"items": []}
    message = unmapped.json()["items"][0]["errors"][0]["message"]
    assert "Entité racine > Ville de Ludres" in message
    assert "member mappings" in message


async def test_a_member_token_cannot_change_the_mappings(service_app: Any) -> None:
    member_token = identity_headers(kind="machine", scopes=("catalogue:write",), member="ludres")
    async with asgi_client(service_app("catalogue"), headers=member_token) as client:
        response = await client.put("/glpi/member-mappings", json=MAPPINGS)
    assert response.status_code == 403, response.text
