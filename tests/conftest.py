"""Shared fixtures: databases on both backends, and in-process clients of the real apps."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from importlib import import_module
from typing import Any

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kit.db import get_session
from kit.identity import IDENTITY_HEADER, Principal, sign_identity
from kit.settings import PLACEHOLDER_SECRET
from tests.databases import (
    BACKENDS,
    PG_URL,
    SKIP_POSTGRES,
    TestDatabases,
    drop_leftovers,
    postgres_answers,
)

_PG_OK: bool | None = None


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    if not SKIP_POSTGRES and postgres_answers():
        drop_leftovers()
    dbs = TestDatabases(tmp_path_factory.mktemp("databases"))
    yield dbs
    dbs.close()


def require_postgres() -> None:
    """Skip when told to (``MUTUALIS_TEST_SKIP_POSTGRES=1``), fail when the server is away."""
    global _PG_OK
    if SKIP_POSTGRES:
        pytest.skip("MUTUALIS_TEST_SKIP_POSTGRES=1")
    if _PG_OK is None:
        _PG_OK = postgres_answers()
    if not _PG_OK:
        pytest.fail(
            f"PostgreSQL does not answer at {PG_URL}: run scripts/ensure-postgres, "
            "set MUTUALIS_TEST_POSTGRES_URL, or MUTUALIS_TEST_SKIP_POSTGRES=1 to skip"
        )


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each database test runs once on SQLite and once on PostgreSQL."""
    if request.param == "postgresql":
        require_postgres()
    return str(request.param)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``postgresql`` (a PostgreSQL-only test: deploy, concurrency) obeys the same
    rule as the PostgreSQL half of the others."""
    if item.get_closest_marker("postgresql"):
        require_postgres()


def platform_group(nodeid: str) -> str:
    """Under pytest-xdist, the tests sharing a started platform stay on one worker: each e2e
    module and each ``*_platform.py`` module elsewhere (its module-scoped platform), the deploy
    tests (one platform per session); any other test is a group of its own, sent to whichever
    worker is free."""
    module = nodeid.split("::")[0]
    if module.startswith("tests/deploy/"):
        return "tests/deploy"
    if module.startswith("tests/e2e/") or module.endswith("_platform.py"):
        return module
    return nodeid


def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """xdist's own ``--dist loadgroup`` ignores the groups with this pytest (every test went to
    any worker, two deploy platforms were started): a scheduler grouping by ``platform_group``."""
    from xdist.scheduler import LoadScopeScheduling

    class PlatformScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return platform_group(nodeid)

    return PlatformScheduling(config, log)


def service_settings(service: str, database_url: str, **overrides: Any) -> Any:
    module = import_module(f"services.{service}.settings")
    cls = getattr(module, f"{service.capitalize()}Settings")
    return cls(database_url=database_url, environment="test", **overrides)


@pytest.fixture
def service_app(databases: TestDatabases, backend: str) -> Iterator[Callable[..., Any]]:
    """``service_app("registry")`` → the real app on a migrated database of ``backend``; every
    request's session joins one outer transaction rolled back after the test."""
    opened: list[Any] = []

    def make(service: str, **overrides: Any) -> Any:
        engine = databases.migrated_engine(service, backend)
        connection = engine.connect()
        outer = connection.begin()
        opened.append((connection, outer))
        factory = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        app = import_module(f"services.{service}.app").create_app(
            service_settings(service, engine.url.render_as_string(hide_password=False), **overrides)
        )

        lock = threading.Lock()

        def session_override() -> Iterator[Session]:
            # every request of this app shares one connection: concurrent requests (the web
            # app's parallel calls, the gateway's contact checks) take turns on it, as they
            # would wait for a pooled connection of their own in production
            with lock:
                session = factory()
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
                finally:
                    session.close()

        app.dependency_overrides[get_session] = session_override
        app.state.test_sessionmaker = factory
        return app

    yield make
    for connection, outer in opened:
        outer.rollback()
        connection.close()


TEMPLATE_CLAIM = "test_template"


def bind_identity(request: httpx.Request, service: str, *, path: str | None = None) -> None:
    """What the gateway does for each request: an identity for this service, method and path.
    The test helpers below write *templates* (``identity_headers``): a principal signed with
    the test secret but bound to no request, which no service accepts. The test clients bind
    each template to the request carrying it; any other identity (forged, expired, captured)
    reaches the service as it is."""
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        return
    try:
        claims = jwt.decode(
            token, PLACEHOLDER_SECRET, algorithms=["HS256"], options={"verify_aud": False}
        )
    except jwt.PyJWTError:
        return
    if claims.pop(TEMPLATE_CLAIM, False):
        request.headers[IDENTITY_HEADER] = sign_identity(
            Principal.model_validate(claims),
            PLACEHOLDER_SECRET,
            service=service,
            method=request.method,
            path=request.url.path if path is None else path,
        )


class BindingOnArrival:
    """An ASGI wrapper binding template identities to the request as the app receives it, for
    clients that are not ours (schemathesis builds its own requests, and the path it sends
    may differ from the one it reports): the gateway's part, played in front of the app."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.service = service_name(app)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            from starlette.requests import Request

            name = IDENTITY_HEADER.lower().encode()
            headers = dict(scope["headers"])
            if name in headers:
                url = Request(scope).url
                request = httpx.Request(
                    scope["method"], "http://x", headers={IDENTITY_HEADER: headers[name].decode()}
                )
                bind_identity(request, self.service, path=url.path)
                scope = {
                    **scope,
                    "headers": [(k, v) for k, v in scope["headers"] if k != name]
                    + [(name, request.headers[IDENTITY_HEADER].encode())],
                }
        await self.app(scope, receive, send)


def service_name(app: Any) -> str:
    settings = getattr(getattr(app, "state", None), "settings", None)
    return getattr(settings, "service_name", "") or ""


@asynccontextmanager
async def asgi_client(
    app: Any, base_url: str = "http://testserver", headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    service = service_name(app)

    async def bind(request: httpx.Request) -> None:
        bind_identity(request, service)

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=base_url,
        headers=headers,
        event_hooks={"request": [bind]},
    ) as c:
        yield c


def sync_client(app: Any, **kwargs: Any) -> TestClient:
    """Starlette's ``TestClient`` of ``app``, binding template identities to each request."""
    client = TestClient(app, **kwargs)
    service = service_name(app)
    client.event_hooks = {"request": [lambda request: bind_identity(request, service)]}
    return client


def identity_headers(
    *,
    roles: tuple[str, ...] = ("admin",),
    kind: str = "staff",
    member: str | None = None,
    scopes: tuple[str, ...] = (),
    subject: str = "account:1",
    name: str = "Test User",
) -> dict[str, str]:
    """The header the gateway adds for a principal, as a template the test clients bind to
    each request (``bind_identity``)."""
    principal = Principal.model_validate(
        {
            "subject": subject,
            "name": name,
            "kind": kind,
            "roles": list(roles),
            "scopes": list(scopes),
            "member": member,
        }
    )
    template = {**principal.model_dump(), TEMPLATE_CLAIM: True}
    return {IDENTITY_HEADER: jwt.encode(template, PLACEHOLDER_SECRET, algorithm="HS256")}


def as_admin() -> dict[str, str]:
    return identity_headers(roles=("admin",))


def as_contact(member: str, *, subject: str = "account:100") -> dict[str, str]:
    return identity_headers(
        kind="contact", roles=(), member=member, subject=subject, name=f"Référent {member}"
    )


_by_backend: Counter[str] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count the passed database tests by backend: the ``backend`` parameter's id, or the
    ``sqlite``/``postgresql`` marker of a test bound to one backend (both are keywords)."""
    if report.when == "call" and report.passed:
        params = report.nodeid.partition("[")[2].rstrip("]").split("-")
        for name in BACKENDS:
            if name in params or name in report.keywords:
                _by_backend[name] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if hasattr(terminalreporter.config, "workerinput"):
        return  # an xdist worker: the controller reports (it receives every worker's reports)
    terminalreporter.write_line(
        "database tests passed: " + ", ".join(f"{_by_backend[name]} on {name}" for name in BACKENDS)
    )


from tests.gateway.helpers import gateway_database, make_gateway  # noqa: E402, F401 - fixtures


def assert_refused(response: Any, *fields: str) -> None:
    """A 422 problem+json whose errors name each of ``fields`` (a status alone proves little:
    the request may have failed for another reason than the one the test is about)."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    named = {error["field"] for error in response.json().get("errors", [])}
    missing = [f for f in fields if f not in named]
    assert not missing, f"errors name {sorted(named)}, not {missing}: {response.text}"
