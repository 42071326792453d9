"""Gateway app factory (run with ``uvicorn --factory gateway.app:create_app``)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

import httpx
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool

from gateway import agent
from gateway.auth import repository
from gateway.auth.accounts import forget_erased_contact
from gateway.auth.endpoints import router as auth_router
from gateway.auth.principal import (
    BEARER_CHALLENGE,
    SAFE_METHODS,
    SESSION_COOKIE,
    authenticate,
)
from gateway.auth.secrets import password_hasher
from gateway.auth.service import SecurityLog
from gateway.authorization import authorize_forward
from gateway.clients import Upstreams, public_links
from gateway.contacts import RegistryContacts
from gateway.limits import BodyLimitMiddleware
from gateway.routing import public_router
from gateway.settings import GatewaySettings
from kit.db import create_db_engine, make_sessionmaker
from kit.errors import BadRequest, Unauthorized, install_error_handlers
from kit.forwarding import client_address
from kit.health import health_router
from kit.i18n import LanguageMiddleware
from kit.identity import Principal
from kit.logging import RequestIdMiddleware, configure_logging
from kit.metrics import install_metrics
from kit.security import SecurityHeadersMiddleware
from kit.tracing import configure_tracing

FORWARDED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def create_app(
    settings: GatewaySettings | None = None,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    registry_client: httpx.Client | None = None,
) -> FastAPI:
    settings = settings or GatewaySettings()
    configure_logging("gateway", fmt=settings.log_format, level=settings.log_level)
    upstreams = Upstreams(
        settings.upstream_urls(),
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        transports=transports,
        transport_kind=settings.upstream_transport,
    )
    engine = create_db_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    contacts = RegistryContacts(settings, client=registry_client)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.environment == "production":
            await run_in_threadpool(refuse_demo_accounts, factory)
        yield
        await upstreams.aclose()
        contacts.close()
        engine.dispose()

    app = FastAPI(
        title="Mutualis API",
        description="Public API of Mutualis: every service under /api/<service>.",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.upstreams = upstreams
    app.state.engine = engine
    app.state.sessionmaker = factory
    app.state.hasher = password_hasher(settings.password_hash_profile)
    app.state.security = SecurityLog(factory)
    app.state.resolve_contact = contacts.find_authorised
    app.state.member_exists = contacts.member_exists
    app.state.contact_email = contacts.email_of
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.https)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
    )
    install_metrics(app, "gateway", protected=True)  # bearer MUTUALIS_METRICS_TOKEN
    configure_tracing("gateway")
    app.include_router(public_router)
    app.include_router(health_router("gateway"), include_in_schema=False)  # /readyz
    app.include_router(auth_router)

    @app.api_route("/api/{service}/{path:path}", methods=FORWARDED_METHODS, include_in_schema=False)
    async def forward(service: str, path: str, request: Request):  # type: ignore[no-untyped-def]
        upstreams.client(service)  # an unknown service is a 404 before anything else
        if any(ord(c) < 32 or ord(c) == 127 for c in request.scope["path"]):
            raise BadRequest(
                "The path holds control characters: no resource has such a name.",
                detail_fr="L'adresse contient des caractères de contrôle : aucune ressource ne "
                "porte un tel nom.",
                slug="bad-path",
            )
        if agent.is_agent_path(service, path):
            try:  # the GLPI agent authenticates with HTTP Basic, refusals in its protocol
                principal = await run_in_threadpool(agent_principal_of, request)
            except agent.AgentRefused as refused:
                return agent.refusal(request, refused)
        else:
            found = await run_in_threadpool(principal_of, request)
            if found is None:
                raise Unauthorized(
                    "Authentication required.",
                    detail_fr="Authentification requise.",
                    headers=BEARER_CHALLENGE,
                )
            principal = found
        authorize_forward(
            principal,
            service=service,
            method=request.method,
            path=path,
            query=parse_qs(request.url.query),
        )
        erased = ERASURE.match(path) if service == "registry" and request.method == "POST" else None
        erased_email = (
            await run_in_threadpool(app.state.contact_email, erased.group(1)) if erased else None
        )
        response = await upstreams.forward(
            service, path, request, principal=principal, secret=settings.internal_secret
        )
        if erased_email and response.status_code < 300:
            await run_in_threadpool(forget_erased_contact, factory, erased_email)
        public = settings.public_address.rstrip("/") or str(request.base_url).rstrip("/")
        response.raw_headers = public_links(response.raw_headers, f"{public}/api/{service}")
        if request.method not in SAFE_METHODS:
            await run_in_threadpool(
                app.state.security.write,
                "write",
                principal=principal.audit_name,
                method=request.method,
                path=f"/api/{service}/{path}",
                status=response.status_code,
                client_ip=client_address(request, settings.internal_secret),
            )
        return response

    def principal_of(request: Request) -> Principal | None:
        """Every credential is checked against the database on every request: sessions and
        machine tokens are looked up (and touched), and the principal of a person is re-read
        from their account (and, for a contact, the registry) — see ``current_principal``.
        A read transaction (it may call the registry): its rare writes (a session or token
        touched at most once a minute) do not hold SQLite's write lock during that call."""
        if "authorization" not in request.headers and SESSION_COOKIE not in request.cookies:
            return None
        with factory.begin() as session:
            return authenticate(request, session)

    def agent_principal_of(request: Request) -> Principal:
        with factory.begin() as session:
            return agent.agent_principal(request, session)

    return app


ERASURE = re.compile(r"^contacts/([0-9]+)/erase$")  # a contact's GDPR erasure (registry)


def refuse_demo_accounts(factory: Any) -> None:
    with factory() as session:
        if repository.any_demo_account(session):
            raise RuntimeError(
                "Production mode refuses to start while demo accounts exist: delete them "
                "(they are created only by `mutualis run` on an empty database)."
            )
