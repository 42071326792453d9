"""Every route of every service, through the gateway, for every kind of principal.

Routes come from the services' OpenAPI documents and the permission each route requires from
the route itself (``kit.identity.require``), so a new route is covered without editing this
test. A contact of member A (and a token restricted to A) must never see member B's code in any
answer, nor reach B's paths — and a path naming B's member is refused by the gateway itself,
before any service sees it (each service app is wrapped in a recorder of what reached it).

Every service holds real objects of both members, so an id route (``/runs/1/...``,
``/invoices/1``) answers with data that would leak: a final run of the worked example with its
results and issued titles, contacts, a meeting both members attend, projects, GDPR records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute

from gateway.authorization import SAFE_METHODS, forward_permissions
from kit.client import ServiceClient
from kit.permissions import permissions_for
from kit.routes import iter_api_routes
from kit.settings import PLACEHOLDER_SECRET
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR as BILLED_YEAR
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import add_account, bearer

A, B = "ludres", "nancy"  # two members of the worked example (tests/billing/upstream.py)
YEAR = str(BILLED_YEAR)


class Recorder:
    """An ASGI wrapper that notes each request reaching the app (method, path)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: list[tuple[str, str]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.calls.append((scope["method"], scope["path"]))
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class Route:
    service: str
    method: str
    path: str  # template, e.g. /members/{code}
    required: tuple[frozenset[str], ...]  # each set: one of it is needed; () = authenticated


@dataclass
class Caller:
    label: str
    headers: dict[str, str]
    permissions: frozenset[str]
    member: str | None = None


def required_permissions(route: APIRoute) -> tuple[frozenset[str], ...]:
    """Every ``require(...)`` met on the way: all must be satisfied, each by one permission."""
    found = set()
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        permissions = getattr(dependant.call, "required_permissions", None)
        if permissions:
            found.add(frozenset(permissions))
        stack.extend(dependant.dependencies)
    return tuple(sorted(found, key=sorted))


def service_routes(apps: dict[str, Any]) -> list[Route]:
    routes = []
    for service, app in apps.items():
        by_template = {
            (r.path_format, m): r for r in iter_api_routes(app.routes) for m in r.methods
        }
        for path, item in app.openapi()["paths"].items():
            if path in ("/healthz", "/readyz"):
                continue
            for method in item:
                route = by_template[(path, method.upper())]
                routes.append(Route(service, method.upper(), path, required_permissions(route)))
    return routes


def concrete(path: str, member: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ("code", "member_code"):
            return member
        if "year" in name:
            return YEAR
        if name.endswith("id"):
            return "1"
        return "storage_gb" if "driver" in name else "x1"

    return re.sub(r"\{([^}]+)\}", value, path)


def expected_allowed(caller: Caller, route: Route) -> bool:
    at_gateway = bool(
        caller.permissions & forward_permissions(route.service, route.method, route.path)
    )
    at_service = all(caller.permissions & needed for needed in route.required)
    return at_gateway and at_service


async def seed(client: Any, admin: dict[str, str]) -> None:
    """Data of both members in every service, so that a leak of B's would show. The members,
    their workstations, costs, usage, history, final run and titles come from the worked
    example (``stack``); the rest is added here through the gateway."""

    async def ok(method: str, url: str, body: dict[str, Any]) -> None:
        response = await client.request(method, url, json=body, headers=admin)
        assert response.status_code < 300, f"{method} {url}: {response.text}"

    # contact 1 is laxou's: the id routes (``/contacts/1/erase``…) act on it, not on the
    # contact of A whose login the matrix goes on using
    for code in ("laxou", A, B):
        await ok(
            "POST",
            f"/api/registry/members/{code}/contacts",
            {
                "first_name": "Camille",
                "last_name": code.capitalize(),
                "email": f"referent@{code}.example",
                "roles": ["it_referent"],
                "dashboard_access": True,
            },
        )
        await ok(
            "PUT",
            f"/api/registry/members/{code}/budget-calendar/{YEAR}",
            {"bp_voted_on": f"{YEAR}-03-15"},
        )
        await ok(
            "POST",
            "/api/governance/projects",
            {"code": f"p-{code}", "name": "Projet", "member_code": code},
        )
        await ok(
            "POST",
            "/api/governance/gdpr/records",
            {"controller_code": code, "name": "État civil", "purposes": "Actes d'état civil"},
        )
        await ok(
            "POST",
            "/api/governance/gdpr/requests",
            {
                "reference": f"DRT-{code}",
                "controller_code": code,
                "kind": "access",
                "received_on": f"{YEAR}-02-01",
            },
        )
    await ok(
        "POST",
        "/api/governance/bodies",
        {"code": "conference", "name": "Conférence", "level": "political", "frequency": "annual"},
    )
    await ok(
        "POST",
        "/api/governance/meetings",
        {
            "body_code": "conference",
            "title": "Séance",
            "held_on": f"{YEAR}-03-12",
            "invited_members": [A, B],
            "present_members": [A, B],
        },
    )
    await ok(
        "POST",
        "/api/catalogue/components",
        {"code": "messagerie", "name": "Messagerie", "kind": "application"},
    )
    await ok(
        "POST",
        "/api/catalogue/cost-lines",
        {
            "component_code": "messagerie",
            "fiscal_year": int(YEAR),
            "section": "operating",
            "nature": "maintenance",
            "amount": "1000.00",
            "mode": "direct",
            "allocation": [{"member_code": A, "weight": "1"}, {"member_code": B, "weight": "2"}],
        },
    )


@pytest.fixture
def stack(service_app: Any, make_gateway: Any) -> tuple[Any, dict[str, Any], dict[str, Recorder]]:
    """The gateway in front of the four services (each behind a recorder), the worked example
    billed for good and its titles issued."""
    titles = TitlesPlatform(service_app)
    titles.issued(titles.ready_to_issue())
    apps = {
        "registry": titles.registry_app,
        "catalogue": titles.catalogue_app,
        "billing": titles.billing_app,
        "governance": service_app("governance"),
    }
    registry = sync_client(apps["registry"], base_url="http://registry")
    for name in ("registry", "billing"):  # governance reads them for its annual report
        setattr(
            apps["governance"].state,
            f"{name}_client",
            ServiceClient(
                name,
                "http://x",
                caller="governance",
                secret=PLACEHOLDER_SECRET,
                client=sync_client(apps[name], base_url="http://x"),
            ),
        )
    recorders = {name: Recorder(app) for name, app in apps.items()}
    gateway = make_gateway(recorders, registry_client=registry)
    return gateway, apps, recorders


async def callers(client: Any, gateway: Any) -> list[Caller]:
    out = [Caller("anonymous", {}, frozenset())]
    for role in ("admin", "finance", "project", "dpo", "signatory"):
        add_account(gateway, f"{role}@dsit.test", roles=(role,))
        out.append(
            Caller(
                role,
                await bearer(client, f"{role}@dsit.test"),
                permissions_for(kind="staff", roles=[role], scopes=[]),
            )
        )
    admin = out[1].headers
    await seed(client, admin)
    add_account(gateway, f"referent@{A}.example", kind="contact", roles=())
    out.append(
        Caller(
            f"contact of {A}",
            await bearer(client, f"referent@{A}.example"),
            permissions_for(kind="contact", roles=[], scopes=[]),
            member=A,
        )
    )
    for scopes, member in (
        (["read"], None),
        (["invoices:read"], None),
        (["inventory:write"], None),
        (["usage:write"], None),
        (["read"], A),
    ):
        created = await client.post(
            "/api/auth/api-tokens",
            headers=admin,
            json={"name": f"{scopes} {member}", "scopes": scopes, "member_code": member},
        )
        assert created.status_code == 201, created.text
        out.append(
            Caller(
                f"token {scopes} {member or ''}",
                {"Authorization": f"Bearer {created.json()['token']}"},
                permissions_for(kind="machine", roles=[], scopes=scopes),
                member,
            )
        )
    return out


async def test_every_route_allows_and_denies_as_the_rules_say(
    stack: tuple[Any, dict[str, Any], dict[str, Recorder]],
) -> None:
    gateway, apps, recorders = stack
    routes = service_routes(apps)
    assert len(routes) > 20, "the services publish their routes in OpenAPI"
    failures: list[str] = []
    b_seen_by_staff: set[str] = set()  # proves B's data is there to leak
    async with asgi_client(gateway) as client:
        people = await callers(client, gateway)
        for route in routes:
            for caller in people:
                names_member = "/members/{code}" in route.path or "{member_code}" in route.path
                members = [A, B] if caller.member and names_member else [A]
                for member in members:
                    url = f"/api/{route.service}{concrete(route.path, member)}"
                    kwargs: dict[str, Any] = {"headers": caller.headers}
                    if route.method not in SAFE_METHODS:
                        kwargs["json"] = {}
                    reached = len(recorders[route.service].calls)
                    response = await client.request(route.method, url, **kwargs)
                    status = response.status_code
                    other_member = member != A
                    if other_member and "/members/{code}" in route.path:
                        if len(recorders[route.service].calls) != reached:
                            failures.append(
                                f"{caller.label:28} {route.method:6} {url} reached "
                                f"{route.service}: the gateway must refuse it ({status})"
                            )
                    if caller.label == "anonymous":
                        ok = status == 401
                    elif other_member:
                        ok = status in (403, 404)
                    elif expected_allowed(caller, route):
                        ok = status not in (401, 403) and status < 500
                        if caller.member and status == 403:
                            # an all-members resource, refused to a member-scoped principal
                            ok = response.json()["type"].endswith(":dsit-only")
                    else:
                        ok = status in (403, 404)
                    if caller.member and f'"{B}"' in response.text:
                        ok = False  # B's data reached a principal of A
                    if caller.label == "admin" and f'"{B}"' in response.text:
                        b_seen_by_staff.add(route.service)
                    if not ok:
                        failures.append(
                            f"{caller.label:28} {route.method:6} {url} -> {status} "
                            f"{response.text[:300]}"
                        )
    assert not failures, "\n".join(failures)
    assert b_seen_by_staff >= {"registry", "catalogue", "billing", "governance"}


async def test_a_direct_call_to_any_service_route_is_refused(
    stack: tuple[Any, dict[str, Any], dict[str, Recorder]],
) -> None:
    _gateway, apps, _recorders = stack
    refused = []
    for route in service_routes(apps):
        async with asgi_client(apps[route.service]) as client:
            kwargs: dict[str, Any] = {} if route.method in SAFE_METHODS else {"json": {}}
            response = await client.request(route.method, concrete(route.path, A), **kwargs)
            refused.append((route, response.status_code))
    assert refused
    assert [r for r, status in refused if status != 401] == []
