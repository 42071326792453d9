"""Services refuse calls without a valid internal identity and check permissions themselves."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kit.app import create_service_app
from kit.identity import IDENTITY_HEADER, Principal, require, sign_identity
from services.registry.settings import RegistrySettings
from tests.conftest import as_contact, asgi_client, identity_headers

router = APIRouter()


@router.post("/things")
def write_thing(
    principal: Annotated[Principal, Depends(require("registry:write"))],
) -> dict[str, str]:
    return {"by": principal.subject}


@router.get("/members/{code}")
def read_member(code: str, principal: Annotated[Principal, Depends(require("registry:read"))]):
    principal.ensure_member(code)
    return {"code": code}


def app():  # type: ignore[no-untyped-def]
    settings = RegistrySettings(database_url="sqlite://", environment="test")
    return create_service_app(settings=settings, title="t", description="t", routers=[router])


async def test_a_direct_call_without_identity_is_401() -> None:
    async with asgi_client(app()) as client:
        response = await client.post("/things")
        probe = await client.get("/healthz")
    assert response.status_code == 401
    assert response.json()["type"] == "urn:mutualis:problem:identity-missing"
    assert probe.status_code == 200


async def test_forged_or_expired_identities_are_401() -> None:
    principal = Principal(subject="account:1", name="x", kind="staff", roles=["admin"])
    bound = {"service": "registry", "method": "POST", "path": "/things"}
    forged = sign_identity(principal, "another-secret-another-secret-123", **bound)
    expired = sign_identity(principal, "change-me-development-only-secret", ttl=-10, **bound)
    async with asgi_client(app()) as client:
        bad = await client.post("/things", headers={IDENTITY_HEADER: forged})
        old = await client.post("/things", headers={IDENTITY_HEADER: expired})
    assert bad.json()["type"] == "urn:mutualis:problem:identity-invalid"
    assert old.json()["type"] == "urn:mutualis:problem:identity-expired"


async def test_permissions_come_from_roles_and_scopes() -> None:
    async with asgi_client(app()) as client:
        finance = await client.post("/things", headers=identity_headers(roles=("finance",)))
        project = await client.post("/things", headers=identity_headers(roles=("project",)))
        token = await client.post(
            "/things", headers=identity_headers(kind="machine", roles=(), scopes=("read",))
        )
    assert finance.status_code == 200
    assert project.status_code == 403
    assert project.json()["type"] == "urn:mutualis:problem:permission-denied"
    assert token.status_code == 403


async def test_a_contact_sees_only_its_member() -> None:
    async with asgi_client(app(), headers=as_contact("ludres")) as client:
        own = await client.get("/members/ludres")
        other = await client.get("/members/nancy")
    assert own.status_code == 200
    assert other.status_code == 404
