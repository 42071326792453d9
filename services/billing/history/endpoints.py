"""HTTP endpoints of imported history: one total by API, or a whole CSV file."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from kit.db import DbSession
from kit.errors import BadRequest, NotFound
from kit.http import resource_response
from kit.openapi import created_or_replaced
from kit.pagination import PageParams, build_page, page_params
from kit.params import FiscalYearPath as Year
from services.billing.deps import ReadPrincipal, WritePrincipal, cursor_key
from services.billing.engine.money import to_cents
from services.billing.history import repository, service
from services.billing.history.schemas import (
    MEMBER_CODE,
    HistoryPage,
    HistoryRead,
    HistoryWrite,
    ImportReport,
)
from services.billing.models import HistoryTotal

router = APIRouter(tags=["history"])
MemberCode = Annotated[str, Path(max_length=80, pattern=MEMBER_CODE)]


def get_history_or_404(
    session: DbSession, principal: ReadPrincipal, year: Year, member_code: MemberCode
) -> HistoryTotal:
    principal.ensure_member(member_code)
    found = repository.get(session, year, member_code)
    if found is None:
        raise NotFound(
            f"No imported operating total for '{member_code}' in {year}.",
            detail_fr=f"Aucun total de fonctionnement importé pour l'adhérent « {member_code} » "
            f"en {year}.",
            slug="history-not-found",
        )
    return found


@router.get("/history", response_model=HistoryPage)
def list_history(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    member_code: Annotated[str | None, Query(max_length=80)] = None,
) -> HistoryPage:
    """Imported totals, by year then member; a member's contact sees only its own."""
    if principal.member is not None:
        member_code = principal.member
    after = cursor_key(page.after, int, str)
    rows = repository.list_page(
        session,
        limit=page.limit,
        after=(int(str(after[0])), str(after[1])) if after else None,
        fiscal_year=fiscal_year,
        member_code=member_code,
    )
    items, next_cursor = build_page(
        request, response, rows, limit=page.limit, key=lambda h: [h.fiscal_year, h.member_code]
    )
    return HistoryPage(
        items=[service.to_read(h) for h in items],
        next_cursor=next_cursor,
        total=repository.count(session, fiscal_year=fiscal_year, member_code=member_code),
    )


@router.get("/history/{year}/{member_code}", response_model=HistoryRead)
def read_history(
    request: Request, entry: Annotated[HistoryTotal, Depends(get_history_or_404)]
) -> Response:
    return resource_response(request, service.to_read(entry))


@router.put(
    "/history/{year}/{member_code}",
    response_model=HistoryRead,
    responses=created_or_replaced(HistoryRead),
)
def put_history(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    year: Year,
    member_code: MemberCode,
    body: HistoryWrite,
) -> Response:
    """Record the operating total billed to a member for a year before Mutualis."""
    service.check_year(year, first_fiscal_year=request.app.state.settings.first_fiscal_year)
    outcome = service.put_history(
        session,
        principal=principal,
        year=year,
        member_code=member_code,
        cents=to_cents(body.operating_total),
        source="api",
    )
    entry = repository.get(session, year, member_code)
    assert entry is not None
    return resource_response(
        request, service.to_read(entry), status_code=201 if outcome == "created" else 200
    )


@router.post(
    "/history/import",
    response_model=ImportReport,
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def import_history(
    request: Request,
    principal: WritePrincipal,
    session: DbSession,
) -> ImportReport:
    """CSV with a header ``fiscal_year,member_code,operating_total`` (``;`` and a decimal comma
    are accepted too). Valid rows are upserted; the answer lists the rejected ones and why."""
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            "The CSV must be encoded in UTF-8.",
            detail_fr="Le CSV doit être encodé en UTF-8.",
            slug="bad-encoding",
        ) from exc
    return await run_in_threadpool(
        service.import_csv,
        session,
        principal=principal,
        text=text,
        first_fiscal_year=request.app.state.settings.first_fiscal_year,
    )
