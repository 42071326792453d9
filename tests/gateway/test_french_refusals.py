"""The gateway's own refusals in French for a French reader (``Accept-Language: fr``), in
English otherwise: credentials, tokens, sessions, permissions and member scope, passwords,
roles and scopes, body limits; and a service's refusal passed on through the gateway."""

from __future__ import annotations

from typing import Any

from tests.conftest import asgi_client
from tests.french import both
from tests.gateway.helpers import PASSWORD, add_account, bearer
from tests.registry.factories import member_body


async def test_credentials_and_tokens_are_refused_in_french(make_gateway: Any) -> None:
    gateway = make_gateway()
    add_account(gateway, "a@test.example")
    async with asgi_client(gateway) as client:
        wrong, wrong_en = await both(
            client, "POST", "/api/auth/sessions", json={"email": "a@test.example", "password": "x"}
        )
        anonymous, anonymous_en = await both(client, "GET", "/api/auth/me")
        scheme, _ = await both(client, "GET", "/api/auth/me", headers={"Authorization": "Basic x"})
        forged, _ = await both(
            client, "GET", "/api/auth/me", headers={"Authorization": "Bearer not-a-jwt"}
        )
        machine, _ = await both(
            client, "GET", "/api/auth/me", headers={"Authorization": "Bearer mut_unknown"}
        )
        expired, _ = await both(
            client, "GET", "/api/auth/me", headers={"Cookie": "mutualis_session=gone"}
        )
    assert wrong.status_code == 401
    assert wrong.json()["title"] == "Authentification requise"
    assert wrong.json()["detail"] == "Adresse électronique ou mot de passe incorrect."
    assert wrong_en.json()["detail"] == "Wrong email address or password."
    assert anonymous.json()["detail"] == "Authentification requise."
    assert anonymous_en.json()["detail"] == "Authentication required."
    assert scheme.json()["detail"] == "Utilisez l'en-tête « Authorization: Bearer <jeton> »."
    assert forged.json()["detail"] == "Le jeton d'accès n'est pas valide."
    assert machine.json()["detail"] == "Ce jeton d'API est inconnu, révoqué ou expiré."
    assert expired.json()["detail"] == "Votre session a expiré : reconnectez-vous."


async def test_a_throttled_login_is_refused_in_french(make_gateway: Any) -> None:
    gateway = make_gateway(ip_failures_per_minute=1)
    async with asgi_client(gateway) as client:
        body = {"email": "who@test.example", "password": "x"}
        await client.post("/api/auth/sessions", json=body)
        throttled, throttled_en = await both(client, "POST", "/api/auth/sessions", json=body)
    assert throttled.status_code == 429
    assert throttled.json()["detail"] == (
        "Trop de tentatives depuis cette adresse : réessayez dans une minute."
    )
    assert (
        throttled_en.json()["detail"] == "Too many attempts from this address: retry in a minute."
    )


async def test_accounts_passwords_roles_and_scopes_are_refused_in_french(
    make_gateway: Any,
) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    add_account(gateway, "f@test.example", roles=("finance",))
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        finance = await bearer(client, "f@test.example")
        account = {"email": "new@test.example", "display_name": "N", "kind": "staff"}
        roles, roles_en = await both(
            client,
            "POST",
            "/api/auth/accounts",
            headers=admin,
            json={**account, "roles": ["chef"], "password": PASSWORD},
        )
        weak, weak_en = await both(
            client,
            "POST",
            "/api/auth/accounts",
            headers=admin,
            json={**account, "roles": ["finance"], "password": "azerty"},
        )
        taken, _ = await both(
            client,
            "POST",
            "/api/auth/accounts",
            headers=admin,
            json={**account, "email": "f@test.example", "roles": ["finance"], "password": PASSWORD},
        )
        current, _ = await both(
            client,
            "POST",
            "/api/auth/password",
            headers=finance,
            json={"current_password": "wrong", "new_password": PASSWORD + " encore"},
        )
        scopes, _ = await both(
            client,
            "POST",
            "/api/auth/api-tokens",
            headers=admin,
            json={"name": "x", "scopes": ["everything"]},
        )
        member, _ = await both(
            client,
            "POST",
            "/api/auth/api-tokens",
            headers=admin,
            json={"name": "x", "scopes": ["read"], "member_code": "nulle-part"},
        )
        past, _ = await both(
            client,
            "POST",
            "/api/auth/api-tokens",
            headers=admin,
            json={"name": "x", "scopes": ["read"], "expires_at": "2020-01-01T00:00:00+01:00"},
        )
        denied, denied_en = await both(client, "GET", "/api/auth/accounts", headers=finance)
        missing, _ = await both(client, "PATCH", "/api/auth/accounts/999", headers=admin, json={})
    assert roles.status_code == 422
    assert roles.json()["detail"] == (
        "Rôles inconnus : « chef » ; rôles possibles : Administration, Finances, Signataire "
        "(délégation de l'ordonnateur), Projets, Délégué à la protection des données."
    )
    assert roles_en.json()["detail"].startswith("Unknown or missing roles: ['chef']")
    assert weak.json()["detail"].startswith("Mot de passe trop faible : au moins ")
    assert weak.json()["errors"][0]["message"].startswith("Mot de passe trop faible")
    assert weak_en.json()["detail"].startswith("Password too weak: at least ")
    assert taken.json()["detail"] == "Un compte existe déjà pour f@test.example."
    assert current.json()["errors"][0]["message"] == "Le mot de passe actuel est incorrect."
    assert scopes.json()["detail"].startswith("Portées inconnues : « everything » ; portées ")
    assert member.json()["detail"].startswith("Aucun adhérent ne porte le code « nulle-part »")
    assert {e["field"]: e["message"] for e in past.json()["errors"]} == {
        "expires_at": "Une date à venir est attendue."
    }
    assert denied.status_code == 403
    assert denied.json()["detail"] == "Pour faire cela, il faut le droit d'administrer les comptes."
    assert denied_en.json()["detail"] == "This needs the permission accounts:admin."
    assert missing.json()["detail"] == "Aucun compte n° 999."


async def test_forwarded_refusals_are_french_from_the_gateway_and_the_service(
    make_gateway: Any,
) -> None:
    gateway = make_gateway()
    add_account(gateway, "admin@test.example")
    add_account(gateway, "dpo@test.example", roles=("dpo",))
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@test.example")
        dpo = await bearer(client, "dpo@test.example")
        await client.post("/api/registry/members", json=member_body("ludres"), headers=admin)
        token = await client.post(
            "/api/auth/api-tokens",
            headers=admin,
            json={"name": "Ludres", "scopes": ["read"], "member_code": "ludres"},
        )
        machine = {"Authorization": f"Bearer {token.json()['token']}"}
        other, other_en = await both(
            client, "GET", "/api/registry/members/nancy/contacts", headers=machine
        )
        write, _ = await both(
            client, "POST", "/api/catalogue/drivers", headers=dpo, json={"code": "x"}
        )
        service, _ = await both(client, "GET", "/api/nowhere/x", headers=admin)
        refused, refused_en = await both(
            client, "POST", "/api/registry/members", headers=admin, json=member_body("ludres")
        )
        big, big_en = await both(
            client,
            "POST",
            "/api/registry/members",
            headers={**admin, "Content-Type": "application/json"},
            content=b" " * (2 << 20),
        )
    assert other.status_code == 404
    assert other.json()["detail"] == "Aucun adhérent ne porte le code « nancy »."
    assert other_en.json()["detail"] == "No member 'nancy'"
    assert write.status_code == 403
    assert write.json()["detail"] == "dpo ne peut rien modifier dans le service « Catalogue »."
    assert service.json()["detail"].startswith("Aucun service ne s'appelle « nowhere »")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Un adhérent porte déjà le code « ludres »")
    assert refused_en.json()["detail"] == "A member with the code 'ludres' already exists."
    assert big.status_code == 413
    assert big.json()["title"] == "Contenu trop volumineux"
    assert big.json()["detail"].startswith("Le contenu envoyé dépasse ce que cette adresse accepte")
    assert big_en.json()["detail"].startswith("The request body is larger than this route")
