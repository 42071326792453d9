"""Inventory loads as CSV files, and the downloadable template."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, asgi_client

CSV_HEADERS = {"Content-Type": "text/csv"}


async def test_the_template_is_a_csv_file_that_loads_as_is(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post(
            "/services", json={"code": "messagerie", "name": "Messagerie", "domain": "support"}
        )
        template = await client.get("/inventory/csv-template")
        loaded = await client.post(
            "/inventory/csv",
            params={"source": "tableur"},
            content=template.content,
            headers=CSV_HEADERS,
        )
    assert template.headers["content-type"].startswith("text/csv")
    assert "attachment" in template.headers["content-disposition"]
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Identifiant;Code;Nom;Type;Service;Adhérents;Mise en service;")
    assert loaded.json()["summary"]["created"] == 1


async def test_a_bad_csv_line_is_rejected_with_its_line_number_and_field(
    service_app: Any,
) -> None:
    content = (
        b"external_id;name;kind;member_codes;end_of_support_on\n"
        b"S1;Serveur 1;server;nancy|laxou;2027-01-31\n"
        b"S2;Serveur 2;robot;;\n"
        b"S3;Serveur 3;server;;31/02/2027\n"
    )
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post(
            "/inventory/csv", params={"source": "tableur"}, content=content, headers=CSV_HEADERS
        )
        stored = await client.get("/components/tableur-s1")
    rows = [
        (r["row"], r["status"], [e["field"] for e in r["errors"]]) for r in response.json()["items"]
    ]
    assert rows == [
        (2, "created", []),
        (3, "rejected", ["kind"]),
        (4, "rejected", ["end_of_support_on"]),
    ]
    assert stored.json()["member_codes"] == ["laxou", "nancy"]


async def test_a_csv_with_an_unknown_column_is_refused_whole(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post(
            "/inventory/csv",
            params={"source": "tableur"},
            content=b"external_id,name,kind,colour\nS1,x,server,red\n",
            headers=CSV_HEADERS,
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "header"
    assert "colour" in response.json()["detail"]


async def test_a_csv_full_load_with_dry_run_reports_retirements_without_writing(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await client.post(
            "/inventory/csv",
            params={"source": "tableur"},
            headers=CSV_HEADERS,
            content=b"external_id,name,kind\nS1,a,server\nS2,b,server\n",
        )
        dry = await client.post(
            "/inventory/csv",
            params={"source": "tableur", "mode": "full", "dry_run": "true"},
            content=b"external_id,name,kind\nS1,a,server\n",
            headers=CSV_HEADERS,
        )
        s2 = await client.get("/components/tableur-s2")
    assert dry.json()["summary"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
        "retired": 1,
    }
    assert s2.json()["retired_on"] is None


async def test_a_file_that_is_not_utf8_is_refused(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post(
            "/inventory/csv",
            params={"source": "tableur"},
            headers=CSV_HEADERS,
            content="external_id,name,kind\nS1,Messagerie élus,server\n".encode("latin-1"),
        )
    assert response.status_code == 422
    assert "UTF-8" in response.json()["detail"]


async def test_a_file_that_is_not_csv_is_a_422(service_app: Any) -> None:
    body = "external_id,name,kind\n1,Messagerie,application\n2," + "x" * 200_000
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        refused = await client.post(
            "/inventory/csv", params={"source": "tableur"}, content=body, headers=CSV_HEADERS
        )
    assert refused.status_code == 422
    assert "not readable as CSV" in refused.json()["detail"]


async def test_a_csv_written_in_french_loads_like_its_keys(service_app: Any) -> None:
    content = (
        "Identifiant;Nom;Type;Adhérents;Fin de support;Numéro de série\n"
        "PC-1;Poste accueil;Poste de travail;ludres;31/12/2027;5CG1\n"
        "VM-1;Messagerie;machine virtuelle;;2028-06-30;\n"
    ).encode()
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        response = await client.post(
            "/inventory/csv", params={"source": "tableur"}, content=content, headers=CSV_HEADERS
        )
        pc = await client.get("/components/tableur-pc-1")
        vm = await client.get("/components/tableur-vm-1")
        refused = await client.post(
            "/inventory/csv",
            params={"source": "tableur"},
            content=b"Identifiant;Couleur\nX;rouge\n",
            headers={**CSV_HEADERS, "Accept-Language": "fr"},
        )
    assert response.json()["summary"]["created"] == 2, response.text
    assert (pc.json()["kind"], pc.json()["end_of_support_on"]) == ("workstation", "2027-12-31")
    assert (pc.json()["serial"], pc.json()["member_codes"]) == ("5CG1", ["ludres"])
    assert vm.json()["kind"] == "virtual_machine"
    assert refused.headers["content-language"] == "fr"
    assert "inconnues : Couleur ; manquantes : Nom, Type" in refused.json()["detail"]
