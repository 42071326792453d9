"""Attack 5 of the hardening review: a rotating ``X-Forwarded-For`` bypassed the per-address
login limit, and all web logins shared the web app's address, so 30 failures a minute from
anyone blocked everyone's web login. The web app now signs its client's address for the
gateway; an unsigned or forged one is ignored; uvicorn trusts no forwarded header."""

from __future__ import annotations

from typing import Any

import httpx

from kit.forwarding import CLIENT_HEADER, sign_client
from kit.settings import PLACEHOLDER_SECRET
from mutualis.launcher import Supervisor
from tests.conftest import asgi_client
from tests.gateway.helpers import PASSWORD, add_account


async def web_login(web: Any, address: str, email: str, password: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=web, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        form = await client.get("/connexion")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        return await client.post(
            "/connexion", data={"email": email, "password": password, "csrf_token": token}
        )


async def test_failures_from_one_web_client_do_not_block_the_others(web_stack: Any) -> None:
    web = web_stack["web"]
    for i in range(31):  # past the per-address limit (30 a minute)
        await web_login(web, "203.0.113.7", f"personne{i}@exemple.fr", "mauvais")
    attacker = await web_login(web, "203.0.113.7", "admin@dsit.test", PASSWORD)
    colleague = await web_login(web, "198.51.100.20", "admin@dsit.test", PASSWORD)
    assert colleague.status_code == 303, colleague.text[:300]  # signed in, sent on
    assert attacker.status_code != 303
    assert "Trop de tentatives" in attacker.text


async def test_a_forged_or_unsigned_client_address_is_ignored(make_gateway: Any) -> None:
    gateway = make_gateway(ip_failures_per_minute=5)
    add_account(gateway, "finance@dsit.test", roles=("finance",))
    async with asgi_client(gateway) as client:
        for i in range(6):
            await client.post(
                "/api/auth/token",
                data={"username": f"nobody{i}@x.example", "password": "x"},
                headers={
                    CLIENT_HEADER: f"203.0.113.{i} 1 forged",
                    "X-Forwarded-For": f"10.0.0.{i}",
                },
            )
        forged = await client.post(
            "/api/auth/token",
            data={"username": "finance@dsit.test", "password": PASSWORD},
            headers={CLIENT_HEADER: sign_client("192.0.2.1", "not-the-internal-secret-at-all")},
        )
        signed = await client.post(
            "/api/auth/token",
            data={"username": "finance@dsit.test", "password": PASSWORD},
            headers={CLIENT_HEADER: sign_client("192.0.2.1", PLACEHOLDER_SECRET)},
        )
    assert forged.status_code == 429
    assert forged.json()["type"] == "urn:mutualis:problem:login-throttled"
    assert signed.status_code == 200, signed.text  # another (trusted) address


def test_the_launcher_starts_the_apps_trusting_no_forwarded_header(
    monkeypatch: Any, tmp_path: Any
) -> None:
    started: list[list[str]] = []

    class Process:
        pid = 1
        stdout: list[str] = []

        def __init__(self, command: list[str], **_kwargs: Any) -> None:
            started.append(command)

    monkeypatch.setattr("mutualis.launcher.subprocess.Popen", Process)
    monkeypatch.setattr(
        "mutualis.launcher.threading.Thread",
        lambda **_k: type("T", (), {"start": lambda self: None})(),
    )
    supervisor = Supervisor()
    supervisor.run_dir = tmp_path / "run"
    supervisor.start()
    assert started
    assert all("--no-proxy-headers" in command for command in started)
