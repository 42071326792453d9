"""HTTP endpoints of simulations: made, listed, read, changed, deleted; their result, their
comparison with the base run (every member, one member line by line) and exports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.http import resource_response
from kit.openapi import file_responses
from kit.pagination import PageParams, build_page, page_params
from services.billing.deps import ReadPrincipal, cursor_key
from services.billing.engine.money import fmt
from services.billing.models import Simulation
from services.billing.simulations import comparison, exports, repository, service
from services.billing.simulations.schemas import (
    Comparison,
    MemberComparison,
    SimulatedResult,
    SimulationCreate,
    SimulationPage,
    SimulationRead,
    SimulationUpdate,
)

router = APIRouter(tags=["simulations"])
MemberCode = Annotated[str, Path(max_length=80)]


def get_simulation_or_404(
    session: DbSession, principal: ReadPrincipal, simulation_id: Annotated[int, Path(ge=1)]
) -> Simulation:
    return service.get_visible(session, principal, simulation_id)


SimulationDep = Annotated[Simulation, Depends(get_simulation_or_404)]


def _read(session: DbSession, simulation: Simulation, principal: Any) -> dict[str, Any]:
    return SimulationRead.model_validate(
        service.simulation_read(session, simulation, principal)
    ).model_dump(mode="json")


@router.post("/simulations", status_code=201, response_model=SimulationRead)
def create_simulation(
    session: DbSession, principal: ReadPrincipal, body: SimulationCreate
) -> JSONResponse:
    """Save a named simulation on the year's latest run (or ``base_run_id``); refused when its
    changes do not fit the run or cannot be computed. Nothing of the run moves."""
    simulation = service.create(session, principal=principal, data=body)
    session.flush()
    session.refresh(simulation)
    return JSONResponse(
        _read(session, simulation, principal),
        status_code=201,
        headers={"Location": f"/simulations/{simulation.id}"},
    )


@router.get("/simulations", response_model=SimulationPage)
def list_simulations(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    member_code: Annotated[str | None, Query(max_length=80)] = None,
) -> SimulationPage:
    """Newest first; a member's contact lists its member's simulations only."""
    after = cursor_key(page.after, int)
    staff = service.is_staff(principal)
    member = member_code if staff else principal.member
    rows = repository.list_page(
        session,
        limit=page.limit,
        before_id=int(str(after[0])) if after else None,
        fiscal_year=fiscal_year,
        member_code=member,
        staff=staff,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda r: [r.id])
    return SimulationPage(
        items=[
            SimulationRead.model_validate(service.simulation_read(session, r, principal))
            for r in items
        ],
        next_cursor=next_cursor,
        total=repository.count(session, fiscal_year=fiscal_year, member_code=member, staff=staff),
    )


@router.get("/simulations/{simulation_id}", response_model=SimulationRead)
def read_simulation(
    request: Request, session: DbSession, principal: ReadPrincipal, simulation: SimulationDep
) -> Response:
    return resource_response(request, _read(session, simulation, principal))


@router.patch("/simulations/{simulation_id}", response_model=SimulationRead)
def update_simulation(
    session: DbSession, principal: ReadPrincipal, simulation: SimulationDep, body: SimulationUpdate
) -> dict[str, Any]:
    """Rename it or replace its changes (its base run stays)."""
    service.update(session, principal=principal, simulation=simulation, data=body)
    session.refresh(simulation)
    return _read(session, simulation, principal)


@router.delete("/simulations/{simulation_id}", status_code=204)
def delete_simulation(
    session: DbSession, principal: ReadPrincipal, simulation: SimulationDep
) -> Response:
    service.delete(session, principal=principal, simulation=simulation)
    return Response(status_code=204)


@router.get("/simulations/{simulation_id}/result", response_model=SimulatedResult)
def simulation_result(
    request: Request, session: DbSession, principal: ReadPrincipal, simulation: SimulationDep
) -> Response:
    """The simulated bill of every member (a member's contact: its own), with its lines."""
    _run, _base, simulated = service.results(session, simulation)
    only = service.member_filter(principal, None)
    staff = service.is_staff(principal)
    members = [
        {
            "member_code": m.code,
            "name": m.name,
            "is_host": m.is_host,
            "invoiced": m.invoiced,
            "workstations": m.workstations,
            **{k: fmt(v) for k, v in comparison.member_amounts(m).items()},
            "lines": m.lines,
        }
        for m in simulated.members
        if only is None or m.code == only
    ]
    body = {
        "simulation_id": simulation.id,
        "fiscal_year": simulated.fiscal_year,
        "members": members,
        "totals": {k: fmt(int(v)) for k, v in simulated.totals.items()} if staff else None,
        "payroll": simulated.payroll if staff else None,
    }
    return resource_response(request, SimulatedResult.model_validate(body).model_dump(mode="json"))


@router.get("/simulations/{simulation_id}/compare", response_model=Comparison)
def compare_simulation(
    request: Request,
    session: DbSession,
    principal: ReadPrincipal,
    simulation: SimulationDep,
    lines: bool = False,
) -> Response:
    """Every member's bill in the base run and in the simulation, and the difference
    (``?lines=true``: line by line too). A member's contact sees its own member only."""
    _run, base, simulated = service.results(session, simulation)
    only = service.member_filter(principal, None)
    members = comparison.compare(base, simulated, only=only, lines=lines)
    body = {
        "simulation": _read(session, simulation, principal),
        "members": members,
        "totals": comparison.compare_totals(base, simulated)
        if service.is_staff(principal)
        else None,
    }
    return resource_response(request, Comparison.model_validate(body).model_dump(mode="json"))


@router.get("/simulations/{simulation_id}/compare/{code}", response_model=MemberComparison)
def compare_member(
    request: Request,
    session: DbSession,
    principal: ReadPrincipal,
    simulation: SimulationDep,
    code: MemberCode,
) -> Response:
    """One member's lines in the base run and in the simulation, with each difference."""
    principal.ensure_member(code)
    _run, base, simulated = service.results(session, simulation)
    found = comparison.compare(base, simulated, only=code, lines=True)
    if not found:
        raise service.unknown_member(simulation, code)
    return resource_response(
        request, MemberComparison.model_validate(found[0]).model_dump(mode="json")
    )


@router.get(
    "/simulations/{simulation_id}/export.xlsx",
    response_class=Response,
    responses=file_responses(exports.XLSX, "The comparison, XLSX (French headers)"),
)
def export_xlsx(
    session: DbSession, principal: ReadPrincipal, simulation: SimulationDep
) -> Response:
    content = exports.workbook(exports.document(session, simulation, principal))
    return Response(
        content,
        media_type=exports.XLSX,
        headers={"Content-Disposition": f'attachment; filename="simulation-{simulation.id}.xlsx"'},
    )


@router.get(
    "/simulations/{simulation_id}/export.pdf",
    response_class=Response,
    responses=file_responses("application/pdf", "The comparison, PDF in French"),
)
def export_pdf(session: DbSession, principal: ReadPrincipal, simulation: SimulationDep) -> Response:
    content = exports.pdf(exports.document(session, simulation, principal))
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="simulation-{simulation.id}.pdf"'},
    )
