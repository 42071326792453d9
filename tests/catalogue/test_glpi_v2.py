"""Import of GLPI's API v2 (GLPI 11, ``GET /api.php/v2/Assets/<Itemtype>``) asset lists, whose
foreign keys are nested ``{id, name}`` objects (``AssetController`` schemas), beside the legacy
``apirest.php`` list: the same asset gives the same component in either shape."""

from __future__ import annotations

from typing import Any

from services.catalogue import demo
from tests.catalogue.glpi_payloads import computer, infocom, mapped_client
from tests.conftest import as_admin, asgi_client


def ref(glpi_id: int, name: str) -> dict[str, Any]:
    return {"id": glpi_id, "name": name}


def v2_asset(glpi_id: int, **fields: Any) -> dict[str, Any]:
    """An object of ``GET /Assets/Computer`` (the generic asset schema of ``_BaseAsset``)."""
    return {
        "id": glpi_id,
        "name": f"LUD-PC-{glpi_id:04d}",
        "comment": "",
        "date_creation": "2021-03-16T09:00:00+01:00",
        "date_mod": "2025-09-12T10:14:03+02:00",
        "status": ref(1, "En service"),
        "location": None,
        "entity": {
            "id": 3,
            "name": "Ville de Ludres",
            "completename": "Entité racine > Ville de Ludres",
        },
        "is_recursive": False,
        "type": ref(2, "Portable"),
        "manufacturer": ref(4, "HP Inc."),
        "model": ref(11, "EliteBook 840 G8"),
        "user": None,
        "user_tech": None,
        "group": [],
        "group_tech": [],
        "contact": "accueil",
        "contact_num": "",
        "serial": f"5CG{glpi_id:07d}",
        "otherserial": "",
        "network": None,
        "uuid": "4201f465-2759-49fb-91bc-cdb864681f4b",
        "autoupdatesystem": ref(1, "GLPI Native Inventory"),
        "is_deleted": False,
        **fields,
    }


SAME_FIELDS = (
    "code",
    "name",
    "kind",
    "member_codes",
    "serial",
    "manufacturer",
    "model",
    "location",
    "retired_on",
    "end_of_support_on",
    "source",
    "external_id",
)


async def test_the_legacy_and_v2_shapes_of_one_asset_give_the_same_component(
    service_app: Any,
) -> None:
    legacy = computer(34, name="PC d&#039;accueil", locations_id="Hôtel de ville")
    v2 = v2_asset(34, name="PC d'accueil", location=ref(5, "Hôtel de ville"))
    async with mapped_client(service_app) as client:
        first = await client.post("/inventory/glpi/computers", json=[legacy])
        from_legacy = (await client.get("/components/glpi-computer-34")).json()
        second = await client.post("/inventory/glpi/computers", json=[v2])
        from_v2 = (await client.get("/components/glpi-computer-34")).json()
    assert first.json()["summary"]["created"] == 1
    assert second.json()["summary"] == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert {f: from_v2[f] for f in SAME_FIELDS} == {f: from_legacy[f] for f in SAME_FIELDS}
    assert (from_v2["name"], from_v2["location"], from_v2["model"]) == (
        "PC d'accueil",
        "Hôtel de ville",
        "EliteBook 840 G8",
    )


async def test_legacy_and_v2_lists_of_sub_entities_import_into_the_mapped_members(
    service_app: Any,
) -> None:
    schools = {
        "id": 12,
        "name": "Écoles",
        "completename": "Entité racine > Ville de Ludres > Écoles",
    }
    gym = {"id": 14, "name": "Gymnase", "completename": "Entité racine > Ville de Laxou > Gymnase"}
    legacy = [
        computer(80, entities_id="Entité racine > Ville de Ludres > Écoles > Maternelle"),
        computer(81, entities_id="Entité racine > Ville de Laxou > Gymnase"),
    ]
    v2 = [v2_asset(82, entity=schools), v2_asset(83, entity=gym)]
    async with mapped_client(service_app) as client:
        from_legacy = await client.post("/inventory/glpi/computers", json=legacy)
        from_v2 = await client.post("/inventory/glpi/computers", json=v2)
        members = {
            i: (await client.get(f"/components/glpi-computer-{i}")).json()["member_codes"]
            for i in (80, 81, 82, 83)
        }
    assert from_legacy.json()["summary"]["created"] == 2
    assert from_v2.json()["summary"]["created"] == 2
    assert members == {80: ["ludres"], 81: ["laxou"], 82: ["ludres"], 83: ["laxou"]}


async def test_v2_kinds_deletion_and_an_unmapped_entity(service_app: Any) -> None:
    guest = v2_asset(
        90,
        type=ref(7, "Other"),
        manufacturer=ref(9, "VMware, Inc."),
        model=ref(10, "VMware Virtual Platform"),
    )
    blade = v2_asset(91, type=ref(8, "Blade"), model=ref(12, "ProLiant BL460c Gen10"))
    deleted = v2_asset(92, is_deleted=True)
    stranger = v2_asset(
        93, entity={"id": 20, "name": "Syndicat", "completename": "Entité racine > Syndicat"}
    )
    async with mapped_client(service_app) as client:
        response = await client.post(
            "/inventory/glpi/computers", json=[guest, blade, deleted, stranger]
        )
        found = {
            i: (await client.get(f"/components/glpi-computer-{i}")).json() for i in (90, 91, 92)
        }
    assert [r["status"] for r in response.json()["items"]] == [
        "created",
        "created",
        "created",
        "rejected",
    ]
    assert response.json()["items"][3]["errors"][0]["field"] == "entity"
    assert "Entité racine > Syndicat" in response.json()["items"][3]["errors"][0]["message"]
    assert (found[90]["kind"], found[91]["kind"]) == ("virtual_machine", "server")
    assert found[92]["retired_on"] == "2025-09-12"


async def test_v2_network_equipment_and_printers(service_app: Any) -> None:
    switch = v2_asset(50, name="LUD-SW-CORE", type=ref(1, "Switch"), model=ref(3, "Aruba 2930F"))
    printer = v2_asset(51, name="LUD-IMP-ACCUEIL", type=ref(2, "Multifonction"))
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/network-equipment", json=[switch])
        await client.post("/inventory/glpi/printers", json=[printer])
        net = (await client.get("/components/glpi-network-equipment-50")).json()
        prn = (await client.get("/components/glpi-printer-51")).json()
    assert (net["kind"], net["model"], net["manufacturer"]) == ("network", "Aruba 2930F", "HP Inc.")
    assert prn["kind"] == "printer"


async def test_a_v2_licence_gets_its_end_of_support_from_its_infocom(service_app: Any) -> None:
    licence = {
        "id": 7,
        "name": "Ciril Finances 2025",
        "comment": "",
        "date_creation": "2025-01-06T10:00:00+01:00",
        "date_mod": "2025-06-01T12:00:00+02:00",
        "status": None,
        "location": None,
        "entity": {
            "id": 3,
            "name": "Ville de Ludres",
            "completename": "Entité racine > Ville de Ludres",
        },
        "is_recursive": False,
        "type": ref(1, "Abonnement"),
        "manufacturer": ref(6, "Ciril Group"),
        "serial": "CIRIL-LUD-2025",
        "otherserial": "",
        "is_deleted": False,
        "completename": "Ciril Finances 2025",
        "level": 1,
    }
    # GET /Assets/SoftwareLicense/7/Infocom (ManagementController's Infocom schema)
    v2_infocom = {
        "id": 907,
        "itemtype": "SoftwareLicense",
        "items_id": 7,
        "comment": "",
        "entity": ref(3, "Ville de Ludres"),
        "is_recursive": False,
        "date_buy": "2025-01-06",
        "date_use": "2025-01-06",
        "date_order": None,
        "date_delivery": None,
        "date_inventory": None,
        "date_warranty": "2025-01-01",
        "date_decommission": None,
        "warranty_info": "",
        "warranty_value": 0.0,
        "warranty_duration": 12,
        "budget": None,
        "supplier": ref(2, "Ciril Group"),
        "order_number": "",
        "delivery_number": "",
        "immo_number": "",
        "invoice_number": "F2025-17",
        "value": 4800.0,
        "amortization_type": "None",
        "amortization_time": 0,
        "amortization_coeff": 0.0,
        "business_criticity": None,
    }
    async with mapped_client(service_app) as client:
        created = await client.post("/inventory/glpi/licences", json=[licence])
        before = (await client.get("/components/glpi-licence-7")).json()
        applied = await client.post("/inventory/glpi/infocoms", json=[v2_infocom])
        after = (await client.get("/components/glpi-licence-7")).json()
        decommission = {**infocom(34), "decommission_date": "2027-06-30"}
        await client.post("/inventory/glpi/computers", json=[v2_asset(34)])
        await client.post("/inventory/glpi/infocoms", json=[decommission])
        computer_end = (await client.get("/components/glpi-computer-34")).json()
    assert created.json()["summary"]["created"] == 1
    assert (before["kind"], before["name"], before["end_of_support_on"]) == (
        "licence",
        "Ciril Finances 2025",
        None,
    )
    assert [(r["key"], r["status"]) for r in applied.json()["items"]] == [
        ("SoftwareLicense/7", "updated")
    ]
    assert after["end_of_support_on"] == "2026-01-01"
    assert computer_end["end_of_support_on"] == "2027-06-30"


async def test_on_the_fresh_demo_a_glpi_list_imports_with_no_setting_changed(
    service_app: Any,
) -> None:
    """The demo's own mappings (no setting, no PUT): sub-entities of its members' entities, in
    both shapes, land in the right members."""
    app = service_app("catalogue")
    with app.state.test_sessionmaker() as session:
        assert demo.load(session)
        session.commit()
    schools = {
        "id": 12,
        "name": "Écoles",
        "completename": "Entité racine > Ville de Ludres > Écoles",
    }
    legacy = [computer(84, entities_id="Entité racine > Ville de Laxou > Gymnase")]
    async with asgi_client(app, headers=as_admin()) as client:
        from_legacy = await client.post("/inventory/glpi/computers", json=legacy)
        from_v2 = await client.post(
            "/inventory/glpi/computers", json=[v2_asset(85, entity=schools)]
        )
        members = {
            i: (await client.get(f"/components/glpi-computer-{i}")).json()["member_codes"]
            for i in (84, 85)
        }
    assert from_legacy.json()["summary"]["created"] == 1, from_legacy.text
    assert from_v2.json()["summary"]["created"] == 1, from_v2.text
    assert members == {84: ["laxou"], 85: ["ludres"]}
