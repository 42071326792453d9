"""The catalogue's refusals in French for a French reader (``Accept-Language: fr``), in English
otherwise: services, subscriptions, components, drivers, cost lines, usage, idempotency keys,
the permissions and the member scope (kit), pagination cursors."""

from __future__ import annotations

from typing import Any

from tests.catalogue.helpers import create_component, create_driver, create_service, direct_line
from tests.conftest import as_admin, as_contact, asgi_client, identity_headers
from tests.french import FRENCH, both, messages


async def test_services_components_and_drivers_refuse_in_french(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_service(client, name="Messagerie")
        await create_component(client, "exchange")
        await create_driver(client)
        service, service_en = await both(
            client,
            "POST",
            "/services",
            json={"code": "messagerie", "name": "x", "domain": "infra", "status": "active"},
        )
        component, _ = await both(
            client, "POST", "/components", json={"code": "exchange", "name": "x", "kind": "server"}
        )
        unknown, _ = await both(
            client, "PATCH", "/components/exchange", json={"service_code": "nulle-part"}
        )
        order, order_en = await both(
            client,
            "PATCH",
            "/components/exchange",
            json={"in_service_on": "2024-05-02", "retired_on": "2023-01-01"},
        )
        reversed_dates, reversed_en = await both(
            client,
            "POST",
            "/components",
            json={
                "code": "sauvegarde",
                "name": "Sauvegarde",
                "kind": "application",
                "in_service_on": "2024-05-02",
                "retired_on": "2023-01-01",
            },
        )
        driver, _ = await both(
            client, "POST", "/drivers", json={"code": "storage_gb", "unit": "Go"}
        )
        no_driver, _ = await both(client, "GET", "/drivers/aucun")
        no_subscription, _ = await both(client, "DELETE", "/services/messagerie/subscribers/ludres")
    assert service.status_code == 409
    assert service.json()["detail"] == (
        "Un service du catalogue porte déjà le code « messagerie » : choisissez-en un autre."
    )
    assert service_en.json()["detail"] == "A service with code 'messagerie' already exists."
    assert component.json()["detail"].startswith("Un composant porte déjà le code « exchange »")
    assert messages(unknown)["service_code"] == (
        "Aucun service du catalogue ne porte le code « nulle-part »."
    )
    assert messages(order) == {"retired_on": "Le retrait précède la mise en service (02/05/2024)."}
    assert order_en.json()["errors"][0]["message"] == "before in_service_on"
    assert messages(reversed_dates) == {"": "Le retrait précède la mise en service (02/05/2024)."}
    assert "retired_on is before in_service_on" in reversed_en.json()["errors"][0]["message"]
    assert driver.json()["detail"].startswith("Un inducteur porte déjà le code « storage_gb »")
    assert no_driver.json()["detail"] == "Aucun inducteur ne porte le code « aucun »."
    assert no_subscription.json()["detail"] == (
        "L'adhérent « ludres » n'est pas abonné au service « Messagerie »."
    )


async def test_a_cost_line_against_the_rules_is_refused_in_french(service_app: Any) -> None:
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_component(client, "exchange")
        bad = direct_line(allocation=[], driver_code="nulle-part", component_code="aucun")
        french, english = await both(client, "POST", "/cost-lines", json=bad)
        missing, _ = await both(client, "GET", "/cost-lines/999999")
    assert french.status_code == 422
    assert messages(french)["allocation"] == (
        "Un coût direct a besoin de sa clé de répartition (poids par adhérent, au moins un "
        "positif)."
    )
    assert messages(french)["component_code"] == "Aucun composant ne porte le code « aucun »."
    driver_messages = [e["message"] for e in french.json()["errors"] if e["field"] == "driver_code"]
    assert sorted(driver_messages) == [
        "Aucun inducteur ne porte le code « nulle-part ».",
        "Un coût direct n'a pas d'inducteur (ses poids sont fixes).",
    ]
    assert french.json()["detail"].startswith("La ligne de coût enfreint les règles")
    assert english.json()["detail"].startswith("The cost line breaks the billing rules")
    assert missing.json()["detail"] == "Aucune ligne de coût n° 999999."


async def test_usage_items_and_the_idempotency_key_are_french_when_asked(
    service_app: Any,
) -> None:
    twice = {
        "reference_date": "2025-12-31",
        "source": "netapp",
        "measurements": [
            {"member_code": "nancy", "quantity": "1"},
            {"member_code": "nancy", "quantity": "2"},
        ],
    }
    async with asgi_client(service_app("catalogue"), headers=as_admin()) as client:
        await create_driver(client)
        french = await client.post("/usage/2025/storage_gb", json=twice, headers=FRENCH)
        english = await client.post("/usage/2025/storage_gb", json=twice)
        key = {"Idempotency-Key": "usage-2025-fr"}
        await client.post("/usage/2025/storage_gb", json=twice, headers=key)
        changed = {**twice, "measurements": twice["measurements"][:1]}
        reused, _ = await both(client, "POST", "/usage/2025/storage_gb", json=changed, headers=key)
    assert french.json()["items"][1]["errors"] == [
        {"field": "member_code", "message": "Cet adhérent apparaît deux fois."}
    ]
    assert english.json()["items"][1]["errors"][0]["message"] == "this member appears twice"
    assert reused.status_code == 409
    assert reused.json()["detail"].startswith(
        "Cette clé d'idempotence (Idempotency-Key) a déjà servi pour une autre requête"
    )


async def test_permissions_member_scope_and_cursors_are_refused_in_french(
    service_app: Any,
) -> None:
    app = service_app("catalogue")
    reader = identity_headers(roles=("signatory",))
    async with asgi_client(app, headers=reader) as client:
        denied, denied_en = await both(
            client, "POST", "/drivers", json={"code": "accounts", "unit": "comptes"}
        )
        cursor, _ = await both(client, "GET", "/drivers", params={"cursor": "pas-un-curseur"})
    scoped = identity_headers(roles=(), kind="machine", scopes=("usage:write",), member="ludres")
    async with asgi_client(app, headers=as_admin()) as client:
        await create_driver(client)
    async with asgi_client(app, headers=scoped) as client:
        body = {"source": "x", "measurements": [{"member_code": "nancy", "quantity": "1"}]}
        other, other_en = await both(client, "POST", "/usage/2025/storage_gb", json=body)
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        hidden, _ = await both(client, "GET", "/services/nulle-part")
    assert denied.status_code == 403
    assert denied.json()["detail"] == (
        "Pour faire cela, il faut le droit de modifier le catalogue, que Test User n'a pas."
    )
    assert denied_en.json()["detail"].startswith("This action needs the permission")
    assert cursor.json()["detail"].startswith("Ce curseur de pagination n'a pas été donné")
    assert messages(cursor) == {"cursor": "Curseur de pagination invalide."}
    assert other.status_code == 403
    assert other.json()["detail"] == (
        "Vous ne pouvez modifier que les données de l'adhérent « ludres », pas celles de "
        "« nancy » : rien n'a été enregistré."
    )
    assert other_en.json()["detail"].startswith("This principal writes the data of 'ludres'")
    assert hidden.json()["detail"] == "Aucun service du catalogue ne porte le code « nulle-part »."
