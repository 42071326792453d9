"""Cursor (keyset) pagination: ``?limit=&cursor=``, a ``Link: <…>; rel="next"`` header.

A cursor is the opaque, URL-safe encoding of the sort key of the last item returned. Lists are
ordered by a unique key so pages never skip nor repeat an item while rows are added.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import func, select

from kit.errors import ValidationFailed

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_BULK_LIMIT = 10_000  # bulk reads between services (billing inputs)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(key: Sequence[Any]) -> str:
    raw = json.dumps(list(key), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def bad_cursor() -> ValidationFailed:
    """A cursor this API did not give (forged or damaged): 422, in English and in French."""
    return ValidationFailed(
        "The cursor is not one this API gave: restart from the first page.",
        detail_fr="Ce curseur de pagination n'a pas été donné par l'API : repartez de la "
        "première page.",
        errors=[
            {
                "field": "cursor",
                "message": "invalid cursor",
                "type": "cursor",
                "message_fr": "Curseur de pagination invalide.",
            }
        ],
    )


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise bad_cursor() from exc
    if not isinstance(value, list):
        raise bad_cursor()
    return value


class PageParams(BaseModel):
    limit: int
    cursor: str | None

    @property
    def after(self) -> list[Any] | None:
        return decode_cursor(self.cursor)


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> PageParams:
    decode_cursor(cursor)  # reject a bad cursor before any work
    return PageParams(limit=limit, cursor=cursor)


def bulk_page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_BULK_LIMIT)] = 1000,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> PageParams:
    """Like ``page_params`` with pages of up to 10,000 rows, for bulk reads of billing inputs."""
    decode_cursor(cursor)
    return PageParams(limit=limit, cursor=cursor)


def build_page(
    request: Request,
    response: Response,
    rows: Sequence[T],
    *,
    limit: int,
    key: Any,
) -> tuple[list[T], str | None]:
    """Trim the ``limit + 1`` rows a repository fetched, and set the ``Link`` header.

    ``key(row)`` gives the sort key of a row; the cursor of the next page is the key of the last
    row kept. Returns the rows of this page and the next cursor (None on the last page).
    """
    items = list(rows[:limit])
    next_cursor = None
    if len(rows) > limit and items:
        next_cursor = encode_cursor(key(items[-1]))
        next_url = request.url.include_query_params(cursor=next_cursor, limit=limit)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return items, next_cursor


def count_matching(session: Any, query: Any, column: Any) -> int:
    """How many distinct ``column`` values a list's filtered query (without its cursor and
    limit) matches over all pages: the ``total`` a list answers next to its page."""
    inner = query.with_only_columns(column).distinct().order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(inner)) or 0)


def after_id(after: list[Any] | None) -> int | None:
    """The id of a ``[id]`` cursor (422 on a forged one)."""
    if after is None:
        return None
    if len(after) != 1 or not isinstance(after[0], int) or isinstance(after[0], bool):
        raise bad_cursor()
    return after[0]
