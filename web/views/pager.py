"""The pager of a cursor-paged list: previous and next pages without any state on the server.

``pages`` carries the chain of cursors of the pages before this one (``-`` stands for the
first page, whose cursor is empty), so "Page précédente" goes back exactly one page.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query

# the ``pages`` query parameter: the cursors of the pages before this one, "-" for the first
Pages = Annotated[str, Query(max_length=8000, pattern=r"^[A-Za-z0-9_,-]*$")]


def pager(
    *, cursor: str, pages: str, next_cursor: str | None, filters: dict[str, str]
) -> dict[str, Any]:
    """What ``partials/pager.html`` needs, with the list's filters kept in every link."""
    history = pages.split(",") if pages else []
    previous = (history[-1] if history else "-") if cursor else None
    prev_query = ""
    if previous is not None:
        params = {"cursor": "" if previous == "-" else previous, "pages": ",".join(history[:-1])}
        prev_query = urlencode({k: v for k, v in params.items() if v}) or "cursor="
    return {
        "next_cursor": next_cursor,
        "page_number": len(history) + 1 if cursor else 1,
        "next_query": urlencode(
            {"cursor": next_cursor or "", "pages": ",".join([*history, cursor or "-"])}
        ),
        "prev_query": prev_query,
        "filters": filters,
        "filters_query": urlencode({k: v for k, v in filters.items() if v}),
    }
