"""Staffing references: profiles' yearly employer costs and per-service needs by size band,
written by the DSIT, read by everyone, refused in French when wrong."""

from __future__ import annotations

from typing import Any

from services.catalogue import demo
from tests.catalogue.helpers import create_service
from tests.conftest import as_admin, as_contact, asgi_client, identity_headers
from tests.french import both, messages

RSSI = {
    "code": "rssi",
    "label": "RSSI",
    "yearly_cost": "80000.00",
    "reference_year": 2025,
    "source": "Indicatif, grilles CNFPT",
}


async def test_profiles_and_needs_are_created_read_updated_and_deleted(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "securite", name="Sécurité")
        created = await client.post("/staffing/profiles", json=RSSI)
        need = await client.post(
            "/staffing/needs",
            json={"service_code": "securite", "profile_code": "rssi", "fte": "0.2"},
        )
        band = await client.post(
            "/staffing/needs",
            json={
                "service_code": "securite",
                "profile_code": "rssi",
                "fte": "0.5",
                "min_workstations": 250,
            },
        )
        patched = await client.patch(
            "/staffing/profiles/rssi", json={"yearly_cost": "82000.50", "min_fte": "0.25"}
        )
        need_patched = await client.patch(
            f"/staffing/needs/{need.json()['id']}", json={"fte": "0.3"}
        )
        listed = await client.get("/staffing/needs", params={"service_code": "securite"})
        deleted = await client.delete(f"/staffing/needs/{band.json()['id']}")
        after = await client.get("/staffing/needs")
        profiles = await client.get("/staffing/profiles")
    assert created.status_code == 201, created.text
    assert created.json() == {**RSSI, "min_fte": "0.5", "description": ""}
    assert need.status_code == 201, need.text
    assert need.json()["service_name"] == "Sécurité"
    assert need.json()["min_workstations"] == 0
    assert patched.json()["yearly_cost"] == "82000.50"
    assert patched.json()["min_fte"] == "0.25"
    assert need_patched.json()["fte"] == "0.3"
    assert [(n["min_workstations"], n["fte"]) for n in listed.json()["items"]] == [
        (0, "0.3"),
        (250, "0.5"),
    ]
    assert deleted.status_code == 204
    assert [n["id"] for n in after.json()["items"]] == [need.json()["id"]]
    assert [p["code"] for p in profiles.json()["items"]] == ["rssi"]


async def test_wrong_references_are_refused_in_french(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, "securite", name="Sécurité")
        await client.post("/staffing/profiles", json=RSSI)
        duplicate, duplicate_en = await both(client, "POST", "/staffing/profiles", json=RSSI)
        bad, _ = await both(
            client,
            "POST",
            "/staffing/profiles",
            json={**RSSI, "code": "dpo", "yearly_cost": "0", "min_fte": "1.5", "source": ""},
        )
        unknown, _ = await both(
            client,
            "POST",
            "/staffing/needs",
            json={"service_code": "nulle-part", "profile_code": "rssi", "fte": "0.2"},
        )
        no_profile, _ = await both(
            client,
            "POST",
            "/staffing/needs",
            json={"service_code": "securite", "profile_code": "aucun", "fte": "0.2"},
        )
        zero, _ = await both(
            client,
            "POST",
            "/staffing/needs",
            json={"service_code": "securite", "profile_code": "rssi", "fte": "0"},
        )
        body = {"service_code": "securite", "profile_code": "rssi", "fte": "0.2"}
        await client.post("/staffing/needs", json=body)
        twice, _ = await both(client, "POST", "/staffing/needs", json=body)
        in_use, _ = await both(client, "DELETE", "/staffing/profiles/rssi")
        missing, _ = await both(client, "GET", "/staffing/profiles/aucun")
        no_need, _ = await both(client, "GET", "/staffing/needs/999999")
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"] == (
        "Un profil porte déjà le code « rssi » : choisissez-en un autre."
    )
    assert duplicate_en.json()["detail"] == "A staffing profile with code 'rssi' already exists."
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert set(messages(bad)) == {"yearly_cost", "min_fte", "source"}
    assert all(m and "Input" not in m for m in messages(bad).values()), bad.text
    assert messages(unknown)["service_code"] == (
        "Aucun service du catalogue ne porte le code « nulle-part »."
    )
    assert messages(no_profile)["profile_code"] == "Aucun profil ne porte le code « aucun »."
    assert set(messages(zero)) == {"fte"}
    assert twice.status_code == 409
    assert twice.json()["detail"].startswith("Ce service a déjà un besoin de ce profil")
    assert in_use.status_code == 409
    assert in_use.json()["detail"] == (
        "Le profil « RSSI » est utilisé par 1 besoin(s) de services : supprimez-les d'abord."
    )
    assert missing.json()["detail"] == "Aucun profil ne porte le code « aucun »."
    assert no_need.json()["detail"] == "Le besoin n° 999999 n'existe pas."


async def test_a_members_contact_reads_but_does_not_write_the_references(
    service_app: Any,
) -> None:
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as admin:
        await admin.post("/staffing/profiles", json=RSSI)
    async with asgi_client(app, headers=as_contact("ludres")) as contact:
        read = await contact.get("/staffing/profiles/rssi")
        write, _ = await both(contact, "PATCH", "/staffing/profiles/rssi", json={"label": "x"})
        create, _ = await both(contact, "POST", "/staffing/profiles", json={**RSSI, "code": "x"})
    assert read.status_code == 200
    assert write.status_code == 403
    assert create.status_code == 403
    assert write.headers["content-type"].startswith("application/problem+json")


async def test_the_demo_catalogue_has_sourced_references_and_needs_for_each_active_service(
    service_app: Any,
) -> None:
    app = service_app("catalogue")
    with app.state.test_sessionmaker() as session:
        assert demo.load(session)
        session.commit()
    async with asgi_client(app, headers=as_admin()) as client:
        profiles = (await client.get("/staffing/profiles", params={"limit": 500})).json()
        needs = (await client.get("/staffing/needs", params={"limit": 500})).json()
        services = (await client.get("/services", params={"limit": 500})).json()
    codes = {p["code"] for p in profiles["items"]}
    assert {"technicien", "ingenieur-systemes-reseaux", "chef-de-projet", "rssi", "dpo"} <= codes
    assert {"developpeur"} <= codes
    assert all(
        "CNFPT" in p["source"] and "non vérifié" in p["source"] and p["reference_year"] == 2025
        for p in profiles["items"]
    )
    active = {s["code"] for s in services["items"] if s["status"] == "active"}
    assert active <= {n["service_code"] for n in needs["items"]}
    assert {n["min_workstations"] for n in needs["items"]} == {0, 50, 250, 1000}


async def test_a_member_token_with_catalogue_rights_writes_no_reference(service_app: Any) -> None:
    """A principal with the right to write, restricted to one member: the references stay the
    DSIT's (the service refuses it, whatever rights the gateway gave)."""
    app = service_app("catalogue")
    async with asgi_client(app, headers=as_admin()) as admin:
        await admin.post("/staffing/profiles", json=RSSI)
    token = identity_headers(roles=("admin",), member="ludres")  # rights, one member
    async with asgi_client(app, headers=token) as agent:
        changed = await agent.patch("/staffing/profiles/rssi", json={"label": "Autre"})
        created = await agent.post("/staffing/profiles", json={**RSSI, "code": "autre"})
        deleted = await agent.delete("/staffing/profiles/rssi")
    async with asgi_client(app, headers=as_admin()) as admin:
        kept = (await admin.get("/staffing/profiles/rssi")).json()
    assert [r.status_code for r in (changed, created, deleted)] == [403, 403, 403]
    assert kept["label"] == RSSI["label"]
