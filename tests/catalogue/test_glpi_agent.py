"""The GLPI agent's endpoint of the catalogue (``POST /glpi-agent``) on the real service app:
the protocol (contact, inventory, compressions, headers, errors) and the native format's
mapping to components. The examples are GLPI's own files (``glpi_examples/``, copied unchanged
from ``../shared/glpi/examples``); the whole exchange through the gateway, with Basic
authentication, is in ``tests/gateway/test_glpi_agent_gateway.py``."""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.catalogue import demo
from services.catalogue.inventory import mappings, native
from tests.conftest import as_admin, asgi_client, identity_headers

EXAMPLES = Path(__file__).parent / "glpi_examples"
SHARED = Path(__file__).resolve().parents[2] / "../shared/glpi/examples"
AGENT_ID = "3a609a2e-947f-4e6a-9af9-32c024ac3944"
ZLIB = "application/x-compress-zlib"
AGENT = identity_headers(kind="machine", roles=(), scopes=("inventory:write",), name="agent")
VM = "virtual_machine"
MAPPINGS = {"items": [{"match": "tag", "value": "000005", "member_code": "ludres"}]}


def example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / name).read_bytes())
    return document


def compress(data: bytes, content_type: str) -> bytes:
    if content_type in (ZLIB, "application/x-zlib"):
        return zlib.compress(data)
    if content_type in ("application/x-compress-gzip", "application/x-gzip"):
        return gzip.compress(data)
    if content_type in ("application/x-compress-deflate", "application/x-deflate"):
        packer = zlib.compressobj(wbits=-15)
        return packer.compress(data) + packer.flush()
    return data


def decompress(response: httpx.Response) -> Any:
    content_type = response.headers["content-type"].split(";")[0]
    data = response.content
    if content_type in (ZLIB, "application/x-zlib"):
        data = zlib.decompress(data)
    elif content_type in ("application/x-compress-gzip", "application/x-gzip"):
        data = gzip.decompress(data)
    elif content_type in ("application/x-compress-deflate", "application/x-deflate"):
        data = zlib.decompress(data, wbits=-15)
    else:
        assert content_type == "application/json", content_type
    return json.loads(data)


async def send(
    client: httpx.AsyncClient,
    document: Any,
    *,
    content_type: str = ZLIB,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> httpx.Response:
    raw = json.dumps(document).encode() if body is None else body
    return await client.post(
        "/glpi-agent",
        content=compress(raw, content_type) if body is None else raw,
        headers={"Content-Type": content_type, "GLPI-Agent-ID": AGENT_ID, **(headers or {})},
    )


async def agent_client(service_app: Any, headers: dict[str, str] = AGENT) -> Any:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as admin:
        mapped = await admin.put("/glpi/member-mappings", json=MAPPINGS)
        assert mapped.status_code == 200, mapped.text
    return app


async def components(app: Any) -> dict[str, dict[str, Any]]:
    async with asgi_client(app, headers=as_admin()) as admin:
        listed = await admin.get("/components", params={"source": "glpi-agent", "limit": "500"})
    assert listed.status_code == 200, listed.text
    return {c["external_id"]: c for c in listed.json()["items"]}


async def audit_count(app: Any) -> int:
    async with asgi_client(app, headers=as_admin()) as admin:
        entries = await admin.get("/audit-entries", params={"limit": "500"})
    assert entries.status_code == 200, entries.text
    return len(entries.json()["items"])


def test_the_examples_are_glpis_files_unchanged() -> None:
    """The copies the tests use are byte-identical to ../shared/glpi/examples: their SHA-256
    sums, taken from that directory (``SHA256SUMS``), and the directory itself when it is
    there (it is not part of the repository)."""
    copies = sorted(p.name for p in EXAMPLES.glob("*.json"))
    assert len(copies) == 11
    sums = dict(
        reversed(line.split("  ", 1)) for line in (EXAMPLES / "SHA256SUMS").read_text().splitlines()
    )
    assert sorted(sums) == copies
    for name in copies:
        assert hashlib.sha256((EXAMPLES / name).read_bytes()).hexdigest() == sums[name], name
        if SHARED.is_dir():
            assert (EXAMPLES / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_the_shipped_schema_is_glpis() -> None:
    shipped = Path(native.__file__).parent / "inventory.schema.json"
    shared = SHARED.parent / "inventory.schema.json"
    assert json.loads(shipped.read_bytes())["$schema"].startswith("http://json-schema.org/draft-07")
    if shared.is_file():
        assert shipped.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_example_validates_and_maps(name: str) -> None:
    document = example(name)
    fields = native.component_fields(document)
    assert native.schema_errors(document) == []
    assert fields["name"]
    assert fields["serial"]
    assert fields["manufacturer"]
    expected = {"computer": "workstation", "networkequipment": "network", "printer": "printer"}
    assert native.kind_of(document) == expected[name.split("_")[0]]


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"hardware": {"vmsystem": "VMware"}}, VM),
        ({"hardware": {"vmsystem": "Physical"}, "bios": {"smanufacturer": "QEMU"}}, VM),
        ({"bios": {"smanufacturer": "VMware, Inc.", "smodel": "VMware7,1"}}, VM),
        ({"bios": {"smanufacturer": "Microsoft Corporation", "smodel": "Virtual Machine"}}, VM),
        ({"hardware": {"chassis_type": "Blade"}}, "server"),
        ({"hardware": {"chassis_type": "Rack Mount Chassis"}}, "server"),
        ({"operatingsystem": {"name": "Microsoft Windows Server 2022 Standard"}}, "server"),
        ({"hardware": {"chassis_type": "Desktop"}}, "workstation"),
    ],
)  # fmt: skip
def test_kind_from_the_virtual_machine_markers_and_the_chassis(
    change: dict[str, dict[str, str]], kind: str
) -> None:
    document = example("computer_2.json")
    for section, values in change.items():
        document["content"].setdefault(section, {}).update(values)
    assert native.schema_errors(document) == []
    assert native.kind_of(document) == kind


def test_kind_from_the_itemtype() -> None:
    phone = {"deviceid": "p", "itemtype": "Phone", "content": {"versionclient": "x"}}
    assert native.kind_of(phone) == "telephony"
    assert native.kind_of({**phone, "itemtype": "Unmanaged"}) == "other"


async def test_contact_is_answered_with_the_inventory_task_and_the_others_disabled(
    service_app: Any,
) -> None:
    app = await agent_client(service_app)
    request = {
        "action": "contact",
        "deviceid": "glpixps-2018-07-09-09-07-13",
        "name": "GLPI-Agent",
        "version": "1.11",
        "installed-tasks": ["inventory", "netdiscovery", "collect", "deploy"],
        "enabled-tasks": ["inventory", "collect"],
        "tag": "000005",
    }
    async with asgi_client(app, headers=AGENT) as client:
        response = await send(client, request, headers={"GLPI-Request-ID": "42E6A9AF"})
    answer = decompress(response)
    assert response.status_code == 200
    assert response.headers["content-type"] == ZLIB
    assert response.headers["glpi-request-id"] == "42E6A9AF"
    assert response.headers["glpi-agent-id"] == AGENT_ID
    assert answer["status"] == "ok"
    assert answer["expiration"] == 24
    assert answer["tasks"]["inventory"]["server"] == "glpi"
    assert answer["tasks"]["inventory"]["version"]
    assert answer["disabled"] == ["netdiscovery", "collect", "deploy"]
    assert "tag" not in answer["message"]


async def test_contact_warns_an_agent_whose_tag_is_not_mapped(service_app: Any) -> None:
    app = await agent_client(service_app)
    request = {"action": "contact", "deviceid": "pc", "installed-tasks": ["inventory"]}
    async with asgi_client(app, headers=AGENT) as client:
        unmapped = decompress(await send(client, {**request, "tag": "mairie-annexe"}))
        mapped = decompress(await send(client, {**request, "tag": "000005"}))
    assert unmapped["status"] == "ok"
    assert unmapped["message"] == (
        "tag 'mairie-annexe' is not mapped to a member: map it in Mutualis "
        "(Catalogue > Correspondances GLPI)"
    )
    assert mapped["disabled"] == []
    assert "message" not in mapped


@pytest.mark.parametrize(
    "content_type",
    [
        ZLIB,
        "application/x-zlib",
        "application/x-compress-gzip",
        "application/x-gzip",
        "application/x-compress-deflate",
        "application/x-deflate",
        "application/json",
    ],
)
async def test_bodies_in_every_compression_answered_the_same_way(
    service_app: Any, content_type: str
) -> None:
    app = await agent_client(service_app)
    async with asgi_client(app, headers=AGENT) as client:
        response = await send(client, example("computer_1.json"), content_type=content_type)
    assert response.status_code == 200, response.content
    assert response.headers["content-type"] == content_type
    assert decompress(response) == {"status": "ok", "expiration": 24}
    stored = (await components(app))["glpixps-2018-07-09-09-07-13"]
    assert stored["name"] == "glpixps"
    assert stored["serial"] == "640HP72"
    assert stored["manufacturer"] == "Dell Inc."
    assert stored["model"] == "XPS 13 9350"
    assert stored["kind"] == "workstation"
    assert stored["member_codes"] == ["ludres"]
    assert stored["last_seen_at"] is not None


async def test_the_same_inventory_twice_changes_nothing_and_is_audited_once(
    service_app: Any,
) -> None:
    app = await agent_client(service_app)
    async with asgi_client(app, headers=AGENT) as client:
        first = await send(client, example("computer_1.json"))
        before = await components(app)
        audited = await audit_count(app)
        again = await send(client, example("computer_1.json"))
    after = await components(app)
    assert first.status_code == again.status_code == 200
    key = "glpixps-2018-07-09-09-07-13"
    seen_first, seen_again = before[key].pop("last_seen_at"), after[key].pop("last_seen_at")
    assert after == before
    assert seen_again >= seen_first
    assert await audit_count(app) == audited


async def test_a_partial_inventory_updates_only_what_it_carries(service_app: Any) -> None:
    app = await agent_client(service_app)
    key = "glpixps-2018-07-09-09-07-13"
    server = example("computer_1.json")
    server["content"]["operatingsystem"]["name"] = "Red Hat Enterprise Linux Server"
    server["content"]["hardware"]["name"] = "glpixps"
    async with asgi_client(app, headers=AGENT) as client:
        await send(client, server)
        for name in ("batteries", "cpu", "memory", "softs"):  # GLPI's partial examples as they are
            answer = await send(client, example(f"computer_1_partial_{name}.json"))
            assert decompress(answer) == {"status": "ok", "expiration": 24}
        after_examples = (await components(app))[key]
        renamed = example("computer_1_partial_cpu.json")
        del renamed["content"]["bios"]  # carries the hardware only: a new name, no serial
        renamed["content"]["hardware"]["name"] = "glpixps-renamed"
        renamed_answer = await send(client, renamed)
    stored = (await components(app))[key]
    assert after_examples["kind"] == "server"  # the partials carry no operating system
    assert after_examples["serial"] == "640HP72"
    assert renamed_answer.status_code == 200
    assert stored["name"] == "glpixps-renamed"
    assert stored["serial"] == "640HP72"
    assert stored["manufacturer"] == "Dell Inc."
    assert stored["kind"] == "server"


async def test_a_partial_inventory_of_a_new_device_creates_it(service_app: Any) -> None:
    app = await agent_client(service_app)
    async with asgi_client(app, headers=AGENT) as client:
        response = await send(client, example("computer_1_partial_memory.json"))
    assert response.status_code == 200
    stored = (await components(app))["glpixps-2018-07-09-09-07-13"]
    assert (stored["name"], stored["serial"]) == ("glpixps", "640HP72")
    assert stored["kind"] == "workstation"


async def test_what_the_dsit_set_by_hand_survives_a_push(service_app: Any) -> None:
    app = await agent_client(service_app)
    key = "glpixps-2018-07-09-09-07-13"
    async with asgi_client(app, headers=AGENT) as client:
        await send(client, example("computer_1.json"))
        code = (await components(app))[key]["code"]
        async with asgi_client(app, headers=as_admin()) as admin:
            edited = await admin.patch(
                f"/components/{code}", json={"end_of_support_on": "2027-06-30"}
            )
            assert edited.status_code == 200, edited.text
        again = await send(client, example("computer_1.json"))
    assert again.status_code == 200
    assert (await components(app))[key]["end_of_support_on"] == "2027-06-30"


async def test_an_unmapped_tag_is_refused_saying_what_to_map(service_app: Any) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=AGENT) as client:
        response = await send(client, example("computer_1.json"))
    answer = decompress(response)
    assert response.status_code == 422
    assert answer["status"] == "error"
    assert "tag '000005' is not mapped to a member" in answer["message"]
    assert "Correspondances GLPI" in answer["message"]
    assert await components(app) == {}


async def test_an_untagged_device_needs_a_member_restricted_token(service_app: Any) -> None:
    app = await agent_client(service_app)
    restricted = identity_headers(
        kind="machine", roles=(), scopes=("inventory:write",), member="nancy", name="agent nancy"
    )
    async with asgi_client(app, headers=AGENT) as client:
        refused = await send(client, example("printer_1.json"))
    async with asgi_client(app, headers=restricted) as client:
        accepted = await send(client, example("printer_1.json"))
        other_member = await send(client, example("computer_1.json"))  # tag of ludres
    assert refused.status_code == 422
    assert "carries no tag" in decompress(refused)["message"]
    assert "root entity '0'" in decompress(refused)["message"]
    assert accepted.status_code == 200
    assert other_member.status_code == 403
    assert decompress(other_member)["status"] == "error"
    stored = await components(app)
    assert list(stored) == ["NPIF2BE10-2020-12-31-11-28-51"]
    assert stored["NPIF2BE10-2020-12-31-11-28-51"]["member_codes"] == ["nancy"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b"x\x9c not zlib at all", ZLIB, 400, "not a valid compressed stream"),
        (zlib.compress(b'{"deviceid": "x", "content": {}}')[:-6], ZLIB, 400, "truncated"),
        (zlib.compress(b'{"action": "inventory", '), ZLIB, 400, "JSON not well formed!"),
        (b"\xff\xfe{}", "application/json", 400, "JSON not well formed!"),
        (b"[1, 2]", "application/json", 400, "JSON not well formed!"),
        (b"[" * 100_000, "application/json", 400, "JSON not well formed!"),
        (b'{"deviceid": "x"}', "application/json", 400, "JSON does not validate"),
        (b'{"action": "register", "deviceid": "x"}', "application/json", 501, "'register'"),
        (b"<REQUEST><QUERY>PROLOG</QUERY></REQUEST>", "application/xml", 415, "XML"),
        (b"\x1b\x00", "application/x-compress-br", 415, "brotli"),
    ],
)
async def test_bad_bodies_are_protocol_errors_never_a_500(
    service_app: Any, body: bytes, content_type: str, status: int, message: str
) -> None:
    app = await agent_client(service_app)
    async with asgi_client(app, headers=AGENT) as client:
        response = await send(client, None, content_type=content_type, body=body)
    answer = decompress(response)
    assert response.status_code == status, answer
    assert answer["status"] == "error"
    assert message in answer["message"]


async def test_a_zip_bomb_is_refused(service_app: Any) -> None:
    app = service_app("catalogue", glpi_agent_max_inventory_bytes=100_000)
    bomb = b'{"deviceid": "' + b"a" * 5_000_000 + b'"}'
    async with asgi_client(app, headers=AGENT) as client:
        response = await send(client, None, body=zlib.compress(bomb, 9))
    assert len(zlib.compress(bomb, 9)) < 20_000
    assert response.status_code == 413
    assert "larger than 100000 bytes" in decompress(response)["message"]


async def test_the_agent_id_is_required(service_app: Any) -> None:
    app = await agent_client(service_app)
    async with asgi_client(app, headers=AGENT) as client:
        missing = await client.post(
            "/glpi-agent", content=zlib.compress(b"{}"), headers={"Content-Type": ZLIB}
        )
        wrong = await send(client, {"action": "contact"}, headers={"GLPI-Agent-ID": "pc-12"})
    assert missing.status_code == 400
    assert "GLPI-Agent-ID" in decompress(missing)["message"]
    assert wrong.status_code == 400
    assert "UUID" in decompress(wrong)["message"]


async def test_a_principal_without_inventory_write_is_refused(service_app: Any) -> None:
    app = await agent_client(service_app)
    reader = identity_headers(kind="machine", roles=(), scopes=("read",), name="reader")
    async with asgi_client(app, headers=reader) as client:
        response = await send(client, example("computer_2.json"))
    assert response.status_code == 403  # the gateway answers it in the agent's protocol
    assert "inventory:write" in response.json()["detail"]
    assert await components(app) == {}


async def test_long_names_and_unusual_sections_do_not_break_a_push(service_app: Any) -> None:
    app = await agent_client(service_app)
    document = copy.deepcopy(example("networkequipment_3.json"))
    document["content"]["network_device"]["name"] = "S" * 400
    document["tag"] = "000005"
    async with asgi_client(app, headers=AGENT) as client:
        response = await send(client, document)
    assert response.status_code == 200, decompress(response)
    stored = (await components(app))["HP-2530-48G-2020-12-31-11-28-51"]
    assert stored["name"] == "S" * 300
    assert stored["kind"] == "network"
    assert stored["location"] is None


async def test_on_the_demo_an_agent_tagged_with_a_member_code_is_mapped(
    service_app: Any,
) -> None:
    app = service_app("catalogue")
    with app.state.test_sessionmaker() as session:
        assert demo.load(session)
        session.commit()
    document = example("computer_2.json")
    document["tag"] = "ludres"
    async with asgi_client(app, headers=AGENT) as client:
        response = await send(client, document)
        untagged = await send(client, example("printer_2.json"))  # GLPI: the root entity's
    async with asgi_client(app, headers=as_admin()) as admin:
        listed = (await admin.get("/glpi/member-mappings")).json()["items"]
    with app.state.test_sessionmaker() as session:
        members = mappings.load(session)
    assert response.status_code == 200, decompress(response)
    assert (await components(app))["acomputer-2021-01-26-14-32-36"]["member_codes"] == ["ludres"]
    assert {
        "match": "entity",
        "value": "Entité racine > Ville de Ludres",
        "member_code": "ludres",
    } in listed
    assert members.for_entity("Entité racine > Ville de Ludres > Écoles") == "ludres"
    assert len(listed) == 2 * len(demo.MEMBERS) + 1
    assert untagged.status_code == 200, decompress(untagged)
    printer = (await components(app))["CanonMX5970-2020-12-31-11-28-51"]
    assert printer["member_codes"] == ["grand-nancy"]


async def test_an_untagged_device_goes_to_the_member_of_glpis_root_entity(
    service_app: Any,
) -> None:
    app = service_app("catalogue")
    rows = [{"match": "entity", "value": "0", "member_code": "grand-nancy"}]
    async with asgi_client(app, headers=as_admin()) as admin:
        assert (await admin.put("/glpi/member-mappings", json={"items": rows})).status_code == 200
    async with asgi_client(app, headers=AGENT) as client:
        untagged = await send(client, example("networkequipment_1.json"))
        tagged = await send(client, example("computer_1.json"))  # its tag is not mapped
    assert untagged.status_code == 200
    assert (await components(app))["foo"]["member_codes"] == ["grand-nancy"]
    assert tagged.status_code == 422
