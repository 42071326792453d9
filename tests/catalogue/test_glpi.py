"""Import of GLPI's legacy ``apirest.php`` lists (computers, network equipment, printers, phones,
licences, Infocom), on payloads written from GLPI's documented format (``apirest.md``: ``GET
/apirest.php/Computer?expand_dropdowns=true``; ``with_infocoms=true`` adds ``_infocoms``)."""

from __future__ import annotations

from typing import Any

from tests.catalogue.glpi_payloads import (
    ENTITIES,
    MAPPINGS,
    asset,
    computer,
    infocom,
    mapped_client,
)
from tests.conftest import as_admin, asgi_client, identity_headers

COMPUTERS = [
    computer(34, locations_id="Mairie &gt; Accueil", name="PC d&#039;accueil"),
    computer(
        35,
        entities_id="Entité racine > Ville de Laxou",
        name="LAX-SRV-FICHIERS",
        states_id="Rebut",
        computertypes_id="Serveur",
        computermodels_id="PowerEdge R740",
        manufacturers_id="Dell Inc.",
        date_mod="2025-10-02 08:00:00",
    ),
    computer(36, entities_id="Entité racine > Syndicat inconnu", name="X"),
    computer(37, entities_id=0, name="Modèle poste", is_template=1, template_name="Poste"),
]
# apirest.md's own example: a VMware guest whose type is "Other"
VMWARE_GUEST = computer(
    40,
    entities_id="Root Entity > Métropole",
    name="glpi",
    serial="VMware-42 01 f4 65 27 59 a9 fb-11 bc cd b8 64 68 1f 4b",
    computermodels_id="VMware Virtual Platform",
    computertypes_id="Other",
    manufacturers_id="VMware, Inc.",
    states_id="Production",
    uuid="4201F465-2759-A9FB-11BC-CDB864681F4B",
)
BLADE = computer(
    41,
    name="LUD-ESX-01",
    computertypes_id="Lame",
    computermodels_id="ProLiant BL460c Gen10",
    manufacturers_id="HPE",
)
HYPER_V_GUEST = computer(
    42,
    name="LUD-SRV-AD",
    computertypes_id="Serveur",
    computermodels_id="Virtual Machine",
    manufacturers_id="Microsoft Corporation",
)
# without expand_dropdowns: every dropdown is its id
NOT_EXPANDED = computer(
    43,
    entities_id=0,
    computermodels_id=12,
    computertypes_id=3,
    manufacturers_id=7,
    locations_id=5,
    states_id=1,
)

LICENCES = [
    {
        "id": 7,
        "softwares_id": "Ciril Finances",
        "softwarelicenses_id": 0,
        "completename": "Ciril Finances 2025",
        "level": 1,
        "entities_id": "Entité racine > Ville de Ludres",
        "is_recursive": 0,
        "number": 5,
        "softwarelicensetypes_id": "Abonnement",
        "name": "Ciril Finances 2025",
        "serial": "CIRIL-LUD-2025",
        "otherserial": "",
        "softwareversions_id_buy": "&nbsp;",
        "softwareversions_id_use": "&nbsp;",
        "expire": "2025-12-31",
        "comment": "",
        "date_mod": "2025-06-01 12:00:00",
        "is_valid": 1,
        "is_deleted": 0,
        "locations_id": "&nbsp;",
        "states_id": "&nbsp;",
        "manufacturers_id": "Ciril Group",
        "is_template": 0,
    },
    {
        "id": 8,
        "softwares_id": "Microsoft Office",
        "entities_id": "Entité racine > Ville de Ludres",
        "number": -1,
        "name": "Office 2019 Standard",
        "serial": "XXXXX-XXXXX",
        "expire": None,
        "date_mod": "2024-03-15 09:30:00",
        "is_deleted": 0,
        "is_template": 0,
        "manufacturers_id": "Microsoft Corporation",
    },
]
# a row of /apirest.php/Software: software installed on computers, not a licence
SOFTWARE = {
    "id": 9,
    "entities_id": "Entité racine > Ville de Ludres",
    "name": "Mozilla Firefox",
    "softwarecategories_id": "&nbsp;",
    "manufacturers_id": "Mozilla",
    "is_helpdesk_visible": 1,
    "is_update": 0,
    "is_deleted": 0,
    "is_template": 0,
    "date_mod": "2024-03-15 09:30:00",
}


async def test_glpi_computers_become_components_of_the_mapped_members(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        response = await client.post("/inventory/glpi/computers", json=COMPUTERS)
        laptop = (await client.get("/components/glpi-computer-34")).json()
        server = (await client.get("/components/glpi-computer-35")).json()
    results = [(r["key"], r["status"]) for r in response.json()["items"]]
    assert results == [("34", "created"), ("35", "created"), ("36", "rejected"), ("37", "rejected")]
    assert response.json()["items"][2]["errors"][0]["field"] == "entities_id"
    assert response.json()["items"][3]["errors"][0]["field"] == "is_template"
    assert (laptop["kind"], laptop["member_codes"]) == ("workstation", ["ludres"])
    assert (laptop["source"], laptop["external_id"]) == ("glpi-computer", "34")
    assert (laptop["serial"], laptop["manufacturer"], laptop["model"]) == (
        "5CG0000034",
        "HP Inc.",
        "EliteBook 840 G8",
    )
    assert laptop["last_seen_at"] is not None
    assert (server["kind"], server["retired_on"], server["member_codes"]) == (
        "server",
        "2025-10-02",
        ["laxou"],
    )


async def test_html_entities_are_decoded_and_an_empty_dropdown_is_no_value(
    service_app: Any,
) -> None:
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/computers", json=COMPUTERS[:1] + [NOT_EXPANDED])
        decoded = (await client.get("/components/glpi-computer-34")).json()
        ids_only = (await client.get("/components/glpi-computer-43")).json()
        plain = await client.post("/inventory/glpi/computers", json=[computer(44)])
        empty = (await client.get("/components/glpi-computer-44")).json()
    assert (decoded["name"], decoded["location"]) == ("PC d'accueil", "Mairie > Accueil")
    assert plain.status_code == 200
    assert empty["location"] is None
    # dropdowns not expanded: no bare id as a name, the entity's id still mapped
    assert ids_only["member_codes"] == ["grand-nancy"]
    assert (ids_only["manufacturer"], ids_only["model"], ids_only["location"]) == (None,) * 3


async def test_a_vmware_guest_is_a_virtual_machine_and_a_blade_a_server(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        response = await client.post(
            "/inventory/glpi/computers", json=[VMWARE_GUEST, BLADE, HYPER_V_GUEST]
        )
        kinds = {
            r["key"]: (await client.get(f"/components/glpi-computer-{r['key']}")).json()["kind"]
            for r in response.json()["items"]
        }
    assert kinds == {"40": "virtual_machine", "41": "server", "42": "virtual_machine"}


async def test_network_equipment_printers_and_phones_have_their_kinds(service_app: Any) -> None:
    switch = asset(
        50,
        name="LUD-SW-CORE",
        networkequipmenttypes_id="Switch",
        networkequipmentmodels_id="Aruba 2930F",
        manufacturers_id="Hewlett Packard Enterprise",
        ram="512",
    )
    printer = asset(
        51,
        name="LUD-IMP-ACCUEIL",
        printertypes_id="Multifonction",
        printermodels_id="MX-3571",
        manufacturers_id="Sharp",
        have_usb=1,
    )
    phone = asset(
        52,
        name="Poste 4012",
        phonetypes_id="&nbsp;",
        phonemodels_id="Yealink T54W",
        manufacturers_id="Yealink",
        number_line="4012",
    )
    async with mapped_client(service_app) as client:
        for path, row in (("network-equipment", switch), ("printers", printer), ("phones", phone)):
            answer = await client.post(f"/inventory/glpi/{path}", json=[row])
            assert answer.json()["summary"]["created"] == 1, answer.text
        listed = (await client.get("/components")).json()["items"]
    found = {c["code"]: (c["kind"], c["model"]) for c in listed}
    assert found == {
        "glpi-network-equipment-50": ("network", "Aruba 2930F"),
        "glpi-printer-51": ("printer", "MX-3571"),
        "glpi-phone-52": ("telephony", "Yealink T54W"),
    }


async def test_licences_are_imported_with_their_expiry_and_software_is_refused(
    service_app: Any,
) -> None:
    async with mapped_client(service_app) as client:
        licences = await client.post("/inventory/glpi/licences", json=[*LICENCES, SOFTWARE])
        ciril = (await client.get("/components/glpi-licence-7")).json()
        office = (await client.get("/components/glpi-licence-8")).json()
        software = await client.post("/inventory/glpi/software", json=[SOFTWARE])
    assert [r["status"] for r in licences.json()["items"]] == ["created", "created", "rejected"]
    assert "not a SoftwareLicense" in licences.json()["items"][2]["errors"][0]["message"]
    assert (ciril["kind"], ciril["end_of_support_on"], ciril["serial"]) == (
        "licence",
        "2025-12-31",
        "CIRIL-LUD-2025",
    )
    assert (ciril["name"], ciril["manufacturer"]) == ("Ciril Finances 2025", "Ciril Group")
    assert (office["name"], office["end_of_support_on"]) == (
        "Microsoft Office — Office 2019 Standard",
        None,
    )
    assert software.status_code == 422
    assert software.json()["type"] == "urn:mutualis:problem:glpi-software-not-licences"
    assert "/inventory/glpi/licences" in software.json()["detail"]


async def test_an_inline_infocom_gives_the_end_of_support(service_app: Any) -> None:
    warranty = computer(60, _infocoms=infocom(60))
    decommissioned = computer(61, _infocoms=infocom(61, decommission_date="2026-06-30"))
    lifelong = computer(62, _infocoms=infocom(62, warranty_duration=-1))
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/computers", json=[warranty, decommissioned, lifelong])
        ends = [
            (await client.get(f"/components/glpi-computer-{i}")).json()["end_of_support_on"]
            for i in (60, 61, 62)
        ]
        # the same list without financial information leaves the end of support alone
        again = await client.post(
            "/inventory/glpi/computers", json=[computer(60), computer(61, _infocoms=[])]
        )
        kept = (await client.get("/components/glpi-computer-60")).json()["end_of_support_on"]
    assert ends == ["2024-03-15", "2026-06-30", None]
    assert again.json()["summary"]["unchanged"] == 2
    assert kept == "2024-03-15"


async def test_infocoms_posted_apart_set_the_end_of_support(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/computers", json=[computer(70), computer(71)])
        locked = await client.patch(
            "/components/glpi-computer-71",
            json={"end_of_support_on": "2030-01-01", "locked_fields": ["end_of_support_on"]},
        )
        assert locked.status_code == 200, locked.text
        infocoms = [
            infocom(70, warranty_duration=60),
            infocom(71),
            infocom(99),
            infocom(70, itemtype="Monitor"),
        ]
        simulated = await client.post("/inventory/glpi/infocoms?dry_run=true", json=infocoms)
        untouched = (await client.get("/components/glpi-computer-70")).json()
        applied = await client.post("/inventory/glpi/infocoms", json=infocoms)
        pc = (await client.get("/components/glpi-computer-70")).json()
        kept = (await client.get("/components/glpi-computer-71")).json()
    assert [(r["key"], r["status"]) for r in applied.json()["items"]] == [
        ("Computer/70", "updated"),
        ("Computer/71", "unchanged"),
        ("Computer/99", "rejected"),
        ("Monitor/70", "rejected"),
    ]
    assert simulated.json()["summary"] == applied.json()["summary"]
    assert untouched["end_of_support_on"] is None
    assert pc["end_of_support_on"] == "2026-03-15"
    assert kept["end_of_support_on"] == "2030-01-01"
    assert "import the asset list first" in applied.json()["items"][2]["errors"][0]["message"]


async def test_the_obsolescence_view_lists_licences_and_assets_whose_support_ends(
    service_app: Any,
) -> None:
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/licences", json=LICENCES)
        await client.post(
            "/inventory/glpi/computers",
            json=[computer(60, _infocoms=infocom(60)), computer(63)],
        )
        ending = await client.get("/components", params={"end_of_support_before": "2026-01-01"})
    assert [c["code"] for c in ending.json()["items"]] == ["glpi-computer-60", "glpi-licence-7"]


async def test_the_same_glpi_answer_posted_twice_changes_nothing(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/computers", json=COMPUTERS)
        again = await client.post("/inventory/glpi/computers", json=COMPUTERS)
        listed = await client.get("/components", params={"source": "glpi-computer"})
    assert again.json()["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 2}
    assert len(listed.json()["items"]) == 2


async def test_a_glpi_full_load_does_not_touch_the_other_item_type(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/licences", json=LICENCES[:1])
        in_service = {**COMPUTERS[1], "states_id": "En service"}
        await client.post("/inventory/glpi/computers", json=[COMPUTERS[0], in_service])
        full = await client.post(
            "/inventory/glpi/computers", params={"mode": "full"}, json=COMPUTERS[:1]
        )
        ciril = await client.get("/components/glpi-licence-7")
    assert [(r["key"], r["status"]) for r in full.json()["items"]] == [
        ("34", "unchanged"),
        ("35", "retired"),
    ]
    assert ciril.json()["retired_on"] is None


async def test_a_full_load_of_one_glpi_page_is_refused_unless_confirmed(service_app: Any) -> None:
    page = [computer(i) for i in range(100, 150)]  # GLPI's default page: 50 objects
    async with mapped_client(service_app) as client:
        await client.post("/inventory/glpi/computers", json=[*page, computer(150), computer(151)])
        refused = await client.post("/inventory/glpi/computers?mode=full", json=page)
        simulated = await client.post("/inventory/glpi/computers?mode=full&dry_run=true", json=page)
        ranged = await client.post(
            "/inventory/glpi/computers?mode=full",
            json=page[:3],
            headers={"Content-Range": "0-2/52"},
        )
        as_query = await client.post(
            "/inventory/glpi/computers?mode=full&content_range=0-2/52", json=page[:3]
        )
        still = (await client.get("/components/glpi-computer-150")).json()
        whole = await client.post(
            "/inventory/glpi/computers?mode=full", json=page[:3], headers={"Content-Range": "0-2/3"}
        )
        confirmed = await client.post(
            "/inventory/glpi/computers?mode=full&confirm_partial=true", json=page
        )
        bad_range = await client.post(
            "/inventory/glpi/computers?mode=full", json=page, headers={"Content-Range": "beaucoup"}
        )
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"] == "urn:mutualis:problem:glpi-partial-list"
    assert "default page size" in problem["detail"]
    assert "confirm_partial=true" in problem["detail"]
    assert problem["would_retire"] == ["150", "151"]
    assert simulated.status_code == 200
    assert [r["key"] for r in simulated.json()["items"] if r["status"] == "retired"] == [
        "150",
        "151",
    ]
    assert ranged.status_code == as_query.status_code == 409
    assert "0-2/52" in ranged.json()["detail"]
    assert still["retired_on"] is None
    assert whole.status_code == 200
    assert whole.json()["summary"]["retired"] == 49
    assert confirmed.status_code == 200
    assert bad_range.status_code == 422


async def test_a_sub_entity_falls_back_on_its_longest_mapped_parent(service_app: Any) -> None:
    schools = computer(90, entities_id="Entité racine > Ville de Ludres > Écoles")
    deeper = computer(91, entities_id="Entité racine > Ville de Laxou &gt; Gymnase")
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


async def test_a_body_that_is_not_a_glpi_list_is_a_422(service_app: Any) -> None:
    async with mapped_client(service_app) as client:
        response = await client.post("/inventory/glpi/computers", json={"id": 1})
        unknown = await client.post("/inventory/glpi/monitors", json=[])
    assert response.status_code == 422
    assert unknown.status_code == 422


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


async def test_a_member_token_sets_the_end_of_support_of_its_own_components_only(
    service_app: Any,
) -> None:
    app = service_app("catalogue")
    laxou = computer(35, entities_id="Entité racine > Ville de Laxou")
    async with asgi_client(app, headers=as_admin()) as admin:
        await admin.put("/glpi/member-mappings", json=MAPPINGS)
        await admin.post("/inventory/glpi/computers", json=[computer(34), laxou])
    ludres_token = identity_headers(kind="machine", scopes=("inventory:write",), member="ludres")
    async with asgi_client(app, headers=ludres_token) as client:
        own = await client.post("/inventory/glpi/infocoms", json=[infocom(34)])
        other = await client.post("/inventory/glpi/infocoms", json=[infocom(35)])
        full = await client.post("/inventory/glpi/computers?mode=full", json=[computer(34)])
    assert own.json()["summary"]["updated"] == 1, own.text
    assert other.status_code == 403, other.text
    assert full.status_code == 403, full.text


async def test_a_blank_mapping_value_is_refused_not_stored(service_app: Any) -> None:
    blank = {"items": [{"match": "tag", "value": "\u00a0\u2003", "member_code": "ludres"}]}
    async with mapped_client(service_app) as client:
        refused = await client.put("/glpi/member-mappings", json=blank)
        listed = await client.get("/glpi/member-mappings")
    assert refused.status_code == 422, refused.text
    assert len(listed.json()["items"]) == len(MAPPINGS["items"])
