"""The GLPI agent pushing to Mutualis through the real gateway and services, as the agent does
it: its server URL ``/api/catalogue/glpi-agent``, zlib bodies, a first request without
credentials answered 401 ``WWW-Authenticate: Basic``, then HTTP Basic with a machine token of
scope ``inventory:write`` as the password. Every example of GLPI's inventory_format repository
(``tests/catalogue/glpi_examples``, unchanged copies of ``../shared/glpi/examples``)."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import asgi_client
from tests.gateway.helpers import add_account, bearer
from tests.registry.factories import member_body

EXAMPLES = Path(__file__).resolve().parents[1] / "catalogue" / "glpi_examples"
URL = "/api/catalogue/glpi-agent"
ZLIB = "application/x-compress-zlib"
AGENT_ID = "3a609a2e-947f-4e6a-9af9-32c024ac3944"
CONTACT = {
    "action": "contact",
    "deviceid": "glpixps-2018-07-09-09-07-13",
    "name": "GLPI-Agent",
    "version": "1.11",
    "installed-tasks": ["inventory", "netdiscovery", "netinventory", "deploy", "collect"],
    "enabled-tasks": ["inventory"],
    "httpd-port": 62354,
    "tag": "000005",
}


@dataclass
class Stack:
    client: httpx.AsyncClient
    admin: dict[str, str]
    tokens: dict[str, str]  # name → plain machine token


def basic(token: str, user: str = "agent-ludres") -> dict[str, str]:
    pair = base64.b64encode(f"{user}:{token}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()  # the file's bytes as they are


async def push(
    client: httpx.AsyncClient,
    body: bytes,
    headers: dict[str, str] | None = None,
    *,
    request_id: str | None = None,
) -> httpx.Response:
    """A POST as the agent writes it: zlib body, its headers (``Client/GLPI.pm``)."""
    sent = {
        "Content-Type": ZLIB,
        "GLPI-Agent-ID": AGENT_ID,
        "Pragma": "no-cache",
        "User-Agent": "GLPI-Agent_v1.11",
        **(headers or {}),
    }
    if request_id:
        sent["GLPI-Request-ID"] = request_id
    return await client.post(URL, content=zlib.compress(body), headers=sent)


def answer(response: httpx.Response) -> Any:
    if response.headers["content-type"].startswith(ZLIB):
        return json.loads(zlib.decompress(response.content))
    assert response.headers["content-type"].startswith("application/json"), response.headers
    return response.json()


@asynccontextmanager
async def stack(make_gateway: Any) -> AsyncIterator[Stack]:
    """The gateway before every real service, members ludres and nancy, the agent's tag
    000005 mapped to ludres, and machine tokens: ``ludres`` (inventory:write restricted to
    ludres), ``any`` (inventory:write), ``reader`` (read)."""
    gateway = make_gateway()
    add_account(gateway, "admin@dsit.test")
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@dsit.test")
        for code in ("ludres", "nancy"):
            created = await client.post(
                "/api/registry/members", json=member_body(code), headers=admin
            )
            assert created.status_code == 201, created.text
        mapped = await client.put(
            "/api/catalogue/glpi/member-mappings",
            headers=admin,
            json={"items": [{"match": "tag", "value": "000005", "member_code": "ludres"}]},
        )
        assert mapped.status_code == 200, mapped.text
        tokens = {}
        for name, scopes, member in (
            ("ludres", ["inventory:write"], "ludres"),
            ("any", ["inventory:write"], None),
            ("reader", ["read"], None),
        ):
            created = await client.post(
                "/api/auth/api-tokens",
                headers=admin,
                json={"name": f"GLPI agent {name}", "scopes": scopes, "member_code": member},
            )
            assert created.status_code == 201, created.text
            tokens[name] = created.json()["token"]
        yield Stack(client, admin, tokens)


async def agent_components(s: Stack) -> dict[str, dict[str, Any]]:
    listed = await s.client.get(
        "/api/catalogue/components",
        params={"source": "glpi-agent", "limit": "500"},
        headers=s.admin,
    )
    assert listed.status_code == 200, listed.text
    return {c["external_id"]: c for c in listed.json()["items"]}


async def audit_entries(s: Stack) -> list[Any]:
    entries = await s.client.get(
        "/api/catalogue/audit-entries", params={"limit": "500"}, headers=s.admin
    )
    assert entries.status_code == 200, entries.text
    items: list[Any] = entries.json()["items"]
    return items


def without_last_seen(found: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: {f: v for f, v in c.items() if f != "last_seen_at"} for k, c in found.items()}


EXPECTED = {  # deviceid → (serial, manufacturer, kind), as GLPI's examples describe them
    "glpixps-2018-07-09-09-07-13": ("640HP72", "Dell Inc.", "workstation"),
    "acomputer-2021-01-26-14-32-36": ("2FAGP34", "Dell Inc.", "workstation"),
    "foo": ("SSI1912014B", "Cisco", "network"),
    "HP-2530-48G-2020-12-31-11-28-51": ("CN5BFP62CP", "Hewlett-Packard", "network"),
    "NPIF2BE10-2020-12-31-11-28-51": ("PHCVN191TG", "Hewlett-Packard", "printer"),
    "CanonMX5970-2020-12-31-11-28-51": ("SDFSDF9874", "Canon", "printer"),
}


async def test_every_example_pushed_as_the_agent_sends_it_is_one_component(
    make_gateway: Any,
) -> None:
    names = sorted(p.name for p in EXAMPLES.glob("*.json"))
    assert len(names) == 11
    async with stack(make_gateway) as s:
        agent = basic(s.tokens["ludres"])
        for name in names:
            response = await push(s.client, example(name), agent)
            assert response.status_code == 200, (name, answer(response))
            assert response.headers["content-type"] == ZLIB
            assert answer(response) == {"status": "ok", "expiration": 24}, name
        stored = await agent_components(s)
        audited = len(await audit_entries(s))
        for name in names:  # pushed again: nothing changes
            response = await push(s.client, example(name), agent)
            assert answer(response) == {"status": "ok", "expiration": 24}, name
        again = await agent_components(s)
        audited_again = len(await audit_entries(s))
    assert {k: (c["serial"], c["manufacturer"], c["kind"]) for k, c in stored.items()} == EXPECTED
    assert stored["foo"]["name"] == "ucs6248up-cluster-pa3-B"
    assert stored["foo"]["model"] == "UCS 6248UP 48-Port"
    assert stored["foo"]["location"] == "paris.pa3"
    assert stored["glpixps-2018-07-09-09-07-13"]["name"] == "glpixps"
    assert all(c["member_codes"] == ["ludres"] for c in stored.values())
    assert all(c["source"] == "glpi-agent" and c["status"] == "in_service" for c in stored.values())
    assert without_last_seen(again) == without_last_seen(stored)
    assert all(again[k]["last_seen_at"] >= stored[k]["last_seen_at"] for k in stored)
    assert audited_again == audited


async def test_the_whole_agent_exchange_contact_inventory_then_again(make_gateway: Any) -> None:
    """What ``glpi-agent --server http://…/api/catalogue/glpi-agent --user … --password …``
    does on each run: CONTACT (first without credentials, then with them), then INVENTORY."""
    async with stack(make_gateway) as s:
        agent = basic(s.tokens["ludres"])
        runs = []
        for run in range(2):
            request_id = f"42E6A9A{run}"
            challenged = await push(s.client, json.dumps(CONTACT).encode(), request_id=request_id)
            contact = await push(
                s.client, json.dumps(CONTACT).encode(), agent, request_id=request_id
            )
            inventory = await push(
                s.client, example("computer_1.json"), agent, request_id=f"42E6A9B{run}"
            )
            runs.append((challenged, contact, inventory, await agent_components(s)))
        security = await s.client.get("/api/auth/audit", params={"event": "write"}, headers=s.admin)
    (challenged, contact, inventory, first), (_, again, inventory_again, second) = runs
    assert challenged.status_code == 401
    assert challenged.headers["www-authenticate"] == 'Basic realm="basic"'
    assert challenged.headers["glpi-request-id"] == "42E6A9A0"
    assert answer(challenged) == {
        "status": "error",
        "message": "Authorization header required to send an inventory",
    }
    assert contact.status_code == 200
    assert contact.headers["content-type"] == ZLIB
    assert contact.headers["glpi-request-id"] == "42E6A9A0"
    assert contact.headers["glpi-agent-id"] == AGENT_ID
    assert answer(contact)["status"] == "ok"
    assert answer(contact)["expiration"] == 24
    assert answer(contact)["tasks"]["inventory"]["server"] == "glpi"
    assert set(answer(contact)["disabled"]) == {"netdiscovery", "netinventory", "deploy", "collect"}
    assert answer(again) == answer(contact)
    assert inventory.headers["glpi-request-id"] == "42E6A9B0"
    assert inventory_again.headers["glpi-request-id"] == "42E6A9B1"
    assert answer(inventory) == answer(inventory_again) == {"status": "ok", "expiration": 24}
    assert list(first) == list(second) == ["glpixps-2018-07-09-09-07-13"]
    assert without_last_seen(second) == without_last_seen(first)
    pushes = [e for e in security.json()["items"] if e["path"] == URL]
    assert pushes
    assert all(e["principal"].startswith("token:") for e in pushes)


async def test_wrong_credentials_are_refused_in_the_agents_protocol(make_gateway: Any) -> None:
    async with stack(make_gateway) as s:
        body = example("computer_2.json")
        wrong_token = await push(s.client, body, basic("mut_" + "x" * 40))
        password = await push(s.client, body, basic("correct horse battery staple"))
        garbage = await push(s.client, body, {"Authorization": "Basic !!!"})
        reader = await push(s.client, body, basic(s.tokens["reader"]))
        bearer_token = await push(s.client, body, {"Authorization": f"Bearer {s.tokens['ludres']}"})
        elsewhere = await s.client.get(
            "/api/catalogue/components", headers=basic(s.tokens["ludres"])
        )
        found = await agent_components(s)
    for refused in (wrong_token, password, garbage):
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == 'Basic realm="basic"'
        assert answer(refused)["status"] == "error"
        assert answer(refused)["message"].startswith("Access denied.")
    assert reader.status_code == 403
    assert "inventory:write" in answer(reader)["message"]
    assert bearer_token.status_code == 200  # a machine token as a bearer works here too
    # Basic stays refused everywhere else, as before
    assert elsewhere.status_code == 401
    assert elsewhere.headers["content-type"].startswith("application/problem+json")
    assert list(found) == ["acomputer-2021-01-26-14-32-36"]


async def test_a_corrupt_body_is_a_json_error_never_a_500(make_gateway: Any) -> None:
    async with stack(make_gateway) as s:
        agent = basic(s.tokens["ludres"])
        corrupt = await s.client.post(
            URL,
            content=zlib.compress(example("printer_1.json"))[:200] + b"garbage",
            headers={"Content-Type": ZLIB, "GLPI-Agent-ID": AGENT_ID, **agent},
        )
        not_json = await push(s.client, b"<REQUEST><QUERY>PROLOG</QUERY></REQUEST>", agent)
        found = await agent_components(s)
    assert corrupt.status_code == 400
    assert answer(corrupt)["status"] == "error"
    assert not_json.status_code == 400
    assert answer(not_json)["message"] == "JSON not well formed!"
    assert found == {}


async def test_an_untagged_device_with_an_unrestricted_token_says_what_to_map(
    make_gateway: Any,
) -> None:
    async with stack(make_gateway) as s:
        agent = basic(s.tokens["any"])
        untagged = await push(s.client, example("printer_2.json"), agent)
        tagged = await push(s.client, example("computer_1.json"), agent)
        found = await agent_components(s)
    assert untagged.status_code == 422
    assert "carries no tag" in answer(untagged)["message"]
    assert "Correspondances GLPI" in answer(untagged)["message"]
    assert tagged.status_code == 200
    assert found["glpixps-2018-07-09-09-07-13"]["member_codes"] == ["ludres"]
    assert "CanonMX5970-2020-12-31-11-28-51" not in found
