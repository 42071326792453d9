"""GLPI payloads written from GLPI's documented shapes (``apirest.md``'s rows of ``GET
/apirest.php/<Itemtype>?expand_dropdowns=true``, the ``glpi_infocoms`` row ``with_infocoms=true``
adds), and a catalogue client whose member mappings cover them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from tests.conftest import as_admin, asgi_client

ENTITIES = {
    "Entité racine > Ville de Ludres": "ludres",
    "Ville de Laxou": "laxou",
    "Root Entity > Métropole": "grand-nancy",
    "0": "grand-nancy",
}
MAPPINGS = {
    "items": [
        {"match": "entity", "value": value, "member_code": member}
        for value, member in ENTITIES.items()
    ]
}


def asset(glpi_id: int, **fields: Any) -> dict[str, Any]:
    """The columns every asset row of ``GET /apirest.php/<Itemtype>?expand_dropdowns=true``
    has (apirest.md's example), with GLPI's ``&nbsp;`` for an empty dropdown."""
    return {
        "id": glpi_id,
        "entities_id": "Entité racine > Ville de Ludres",
        "name": f"LUD-{glpi_id:04d}",
        "serial": f"5CG{glpi_id:07d}",
        "otherserial": None,
        "contact": "accueil",
        "contact_num": None,
        "users_id_tech": "&nbsp;",
        "groups_id_tech": "&nbsp;",
        "comment": "",
        "date_mod": "2025-09-12 10:14:03",
        "locations_id": "&nbsp;",
        "networks_id": "&nbsp;",
        "is_template": 0,
        "template_name": None,
        "manufacturers_id": "HP Inc.",
        "is_deleted": 0,
        "is_dynamic": 1,
        "users_id": "&nbsp;",
        "groups_id": "&nbsp;",
        "states_id": "En service",
        "ticket_tco": "0.0000",
        "links": [{"rel": "Entity", "href": "http://glpi.example/apirest.php/Entity/3"}],
        **fields,
    }


def computer(glpi_id: int, **fields: Any) -> dict[str, Any]:
    """A row of ``GET /apirest.php/Computer?expand_dropdowns=true``."""
    return asset(
        glpi_id,
        **{
            "name": f"LUD-PC-{glpi_id:04d}",
            "operatingsystems_id": "Windows 11 Professionnel",
            "autoupdatesystems_id": "GLPI Native Inventory",
            "domains_id": "&nbsp;",
            "computermodels_id": "EliteBook 840 G8",
            "computertypes_id": "Portable",
            "uuid": "",
            **fields,
        },
    )


def infocom(items_id: int, itemtype: str = "Computer", **fields: Any) -> dict[str, Any]:
    """A ``glpi_infocoms`` row, as ``with_infocoms=true`` and ``/apirest.php/Infocom`` give it."""
    return {
        "id": 900 + items_id,
        "items_id": items_id,
        "itemtype": itemtype,
        "entities_id": 3,
        "is_recursive": 0,
        "buy_date": "2021-03-01",
        "use_date": "2021-03-15",
        "warranty_duration": 36,
        "warranty_info": "Garantie constructeur",
        "suppliers_id": 0,
        "order_number": "BC-2021-118",
        "delivery_number": "",
        "immo_number": "",
        "value": "1249.0000",
        "warranty_value": "0.0000",
        "sink_time": 5,
        "sink_type": 2,
        "sink_coeff": 0,
        "comment": "",
        "bill": "F2021-0042",
        "budgets_id": 0,
        "alert": 0,
        "order_date": "2021-02-10",
        "delivery_date": "2021-03-01",
        "inventory_date": None,
        "warranty_date": "2021-03-15",
        "date_mod": "2021-03-16 09:00:00",
        "date_creation": "2021-03-16 09:00:00",
        "decommission_date": None,
        "businesscriticities_id": 0,
        **fields,
    }


@contextlib.asynccontextmanager
async def mapped_client(service_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the catalogue whose GLPI member mappings are ``MAPPINGS``."""
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        stored = await client.put("/glpi/member-mappings", json=MAPPINGS)
        assert stored.status_code == 200, stored.text
        yield client
