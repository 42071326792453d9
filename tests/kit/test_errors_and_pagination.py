"""The shared error, pagination, ETag and request-id behaviour every app relies on."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Request, Response
from pydantic import BaseModel, Field

from kit.errors import Conflict, install_error_handlers
from kit.http import resource_response
from kit.logging import RequestIdMiddleware
from kit.pagination import PageParams, build_page, decode_cursor, encode_cursor, page_params
from tests.conftest import asgi_client

ROWS = [{"code": f"m{i:03d}"} for i in range(7)]


class Body(BaseModel):
    name: str = Field(min_length=2)
    count: int


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestIdMiddleware)

    @app.post("/things")
    def create(body: Body) -> Body:
        return body

    @app.get("/things")
    def list_things(
        request: Request, response: Response, page: Annotated[PageParams, Depends(page_params)]
    ) -> dict[str, object]:
        after = page.after[0] if page.after else ""
        rows = [r for r in ROWS if r["code"] > after][: page.limit + 1]
        items, cursor = build_page(
            request, response, rows, limit=page.limit, key=lambda r: [r["code"]]
        )
        return {"items": items, "next_cursor": cursor}

    @app.get("/things/{code}")
    def read(request: Request, code: str) -> Response:
        return resource_response(request, {"code": code})

    @app.delete("/things/{code}")
    def delete(code: str) -> None:
        raise Conflict(f"{code} has history and cannot be deleted", slug="member-has-history")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    return app


async def test_validation_errors_name_each_field() -> None:
    async with asgi_client(make_app()) as client:
        response = await client.post("/things", json={"name": "x", "count": "many"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:mutualis:problem:validation-error"
    assert {e["field"] for e in problem["errors"]} == {"name", "count"}
    assert problem["instance"] == "/things"


async def test_unexpected_error_is_a_problem_without_trace() -> None:
    async with asgi_client(make_app()) as client:
        response = await client.get("/boom", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    assert response.json()["request_id"] == "req-42"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


async def test_unknown_route_and_method_are_problems() -> None:
    async with asgi_client(make_app()) as client:
        missing = await client.get("/nothing")
        wrong = await client.put("/things")
    assert missing.status_code == 404
    assert missing.json()["type"] == "urn:mutualis:problem:not-found"
    assert wrong.status_code == 405
    assert "GET" in wrong.headers["allow"]


async def test_app_error_keeps_its_stable_type() -> None:
    async with asgi_client(make_app()) as client:
        response = await client.delete("/things/ludres")
    assert response.status_code == 409
    assert response.json()["type"] == "urn:mutualis:problem:member-has-history"


async def test_cursor_pages_visit_every_row_once() -> None:
    seen: list[str] = []
    async with asgi_client(make_app()) as client:
        url = "/things?limit=3"
        while url:
            response = await client.get(url)
            seen += [r["code"] for r in response.json()["items"]]
            link = response.headers.get("link")
            url = link[1 : link.index(">")] if link else ""
    assert seen == [r["code"] for r in ROWS]


@pytest.mark.parametrize("cursor", ["%%%", "bm90LWEtbGlzdA", "eyJhIjoxfQ"])
async def test_a_forged_cursor_is_a_422(cursor: str) -> None:
    async with asgi_client(make_app()) as client:
        response = await client.get("/things", params={"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor(["ludres", 2024])) == ["ludres", 2024]


async def test_etag_and_if_none_match() -> None:
    async with asgi_client(make_app()) as client:
        first = await client.get("/things/ludres")
        etag = first.headers["etag"]
        again = await client.get("/things/ludres", headers={"If-None-Match": etag})
        other = await client.get("/things/nancy", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert other.status_code == 200


async def test_request_id_is_generated_or_passed_through() -> None:
    async with asgi_client(make_app()) as client:
        given = await client.get("/things/a", headers={"X-Request-ID": "abc-123"})
        made = await client.get("/things/a")
        unsafe = await client.get("/things/a", headers={"X-Request-ID": "bad id\n"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32
    assert unsafe.headers["x-request-id"] != "bad id\n"


async def test_a_constraint_race_is_a_409_not_a_500() -> None:
    from sqlalchemy.exc import IntegrityError

    app = make_app()

    @app.post("/race")
    def race() -> None:
        raise IntegrityError("INSERT …", {}, Exception("duplicate key value"))

    async with asgi_client(app) as client:
        response = await client.post("/race")
    assert response.status_code == 409
    assert "duplicate key" not in response.text
