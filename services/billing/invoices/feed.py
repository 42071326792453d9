"""The change feed of titles: ``GET /invoices/changes?after=<seq>``.

Every change of a title (issued, corrected, cancelled) takes the next ``seq`` from the feed
counter, locked from the start of the changing transaction to its commit: a transaction that
commits later always has a larger seq, so a client that keeps the last seq it saw and asks for
what comes after misses nothing and never gets an event twice, while titles keep being issued.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kit.db import DbSession
from kit.http import resource_response
from services.billing.invoices import repository
from services.billing.invoices.deps import InvoiceReader
from services.billing.invoices.schemas import ChangePage
from services.billing.invoices.views import invoice_read

router = APIRouter(tags=["invoices"])


@router.get("/invoices/changes", response_model=ChangePage)
def list_changes(
    request: Request,
    session: DbSession,
    principal: InvoiceReader,
    after: Annotated[int, Query(ge=0, le=2**62, description="The last seq seen (0: all)")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    """Changes in commit order. Keep ``next_cursor`` and ask again with ``?after=`` it; an empty
    page means nothing new yet (poll later)."""
    events = list(
        repository.events_after(session, after=after, limit=limit, member_code=principal.member)
    )
    has_more = len(events) > limit
    events = events[:limit]
    invoices = repository.invoices_by_id(session, {e.invoice_id for e in events})
    items = [
        {
            "seq": e.seq,
            "event": e.event,
            "occurred_at": e.occurred_at,
            "invoice": invoice_read(session, invoices[e.invoice_id]),
        }
        for e in events
    ]
    last = events[-1].seq if events else after
    out = resource_response(
        request, {"items": items, "next_cursor": str(last), "has_more": has_more}
    )
    if has_more:
        next_url = request.url.include_query_params(after=last, limit=limit)
        out.headers["Link"] = f'<{next_url}>; rel="next"'
    return out
