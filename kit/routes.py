"""Walk an app's API routes, through the routers it includes (FastAPI ≥ 0.160 keeps included
routers as branches rather than copying their routes into ``app.routes``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.routing import APIRoute


def iter_api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # fastapi.routing._IncludedRouter
            yield from iter_api_routes(route.original_router.routes)
