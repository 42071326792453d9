"""HTTP endpoints of the comparisons with hiring one's own IT staff: ``/comparisons/{year}``
(every member; a member's contact sees its own) and ``/comparisons/{year}/{member_code}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from kit.db import DbSession
from kit.params import FiscalYearPath as Year
from services.billing.comparisons import service, upstream
from services.billing.comparisons.schemas import ComparisonPage, MemberComparison
from services.billing.deps import ReadPrincipal

router = APIRouter(tags=["comparisons"])
MemberCode = Annotated[str, Path(max_length=80)]


@router.get("/comparisons/{year}", response_model=ComparisonPage)
def list_comparisons(
    request: Request, session: DbSession, principal: ReadPrincipal, year: Year
) -> ComparisonPage:
    """Each member's bill of the year (current final run, else latest forecast) beside what
    employing its own IT staff for the services it uses would cost."""
    refs = upstream.references(upstream.catalogue(request.app))
    body = service.comparisons(session, year=year, principal=principal, references=refs)
    return ComparisonPage.model_validate(body)


@router.get("/comparisons/{year}/{member_code}", response_model=MemberComparison)
def read_comparison(
    request: Request,
    session: DbSession,
    principal: ReadPrincipal,
    year: Year,
    member_code: MemberCode,
) -> MemberComparison:
    principal.ensure_member(member_code)
    refs = upstream.references(upstream.catalogue(request.app))
    body = service.comparisons(
        session, year=year, principal=principal, references=refs, member=member_code
    )
    item = body["items"][0]
    return MemberComparison.model_validate(
        {**item, "fiscal_year": body["fiscal_year"], "run": body["run"]}
    )
