"""HTTP helpers for single resources: strong ETags and ``If-None-Match``."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse


def etag_of(payload: Any) -> str:
    body = json.dumps(jsonable_encoder(payload), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def if_none_match(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return "*" in candidates or etag in candidates


def resource_response(request: Request, payload: Any, *, status_code: int = 200) -> Response:
    """A JSON response carrying its ``ETag``; 304 when the client already holds that version."""
    data = jsonable_encoder(payload)
    etag = etag_of(data)
    if status_code == 200 and if_none_match(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse(data, status_code=status_code, headers={"ETag": etag})


async def raw_body(request: Request) -> bytes:
    """The request's body as bytes (a CSV upload), for a sync endpoint."""
    return await request.body()


RawBody = Annotated[bytes, Depends(raw_body)]
