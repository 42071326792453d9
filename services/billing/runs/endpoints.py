"""HTTP endpoints of runs: launch (202), poll, results per member, explanation, snapshot."""

from __future__ import annotations

import zlib
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.errors import Conflict, Forbidden, NotFound
from kit.http import resource_response
from kit.pagination import PageParams, build_page, bulk_page_params, page_params
from services.billing.deps import ReadPrincipal, WritePrincipal, cursor_key
from services.billing.forecasts import overrun
from services.billing.models import Run, RunMember
from services.billing.runs import repository, service, worker
from services.billing.runs.explain import explain
from services.billing.runs.schemas import (
    Explanation,
    MemberResultPage,
    MemberResultRead,
    RunCreate,
    RunPage,
    RunRead,
)

router = APIRouter(tags=["runs"])
MemberCode = Annotated[str, Path(max_length=80)]


def get_run_or_404(
    session: DbSession, principal: ReadPrincipal, run_id: Annotated[int, Path(ge=1)]
) -> Run:
    """The run; the principal's right to read runs is checked first, so that a principal without
    it learns nothing of the run (not even its kind or status)."""
    del principal
    run = service.get_run(session, run_id)
    if run is None:
        raise NotFound(
            f"No run {run_id}.",
            detail_fr=f"Le calcul n° {run_id} n'existe pas.",
            slug="run-not-found",
        )
    return run


RunDep = Annotated[Run, Depends(get_run_or_404)]


def get_succeeded_run(run: RunDep) -> Run:
    if run.status != "succeeded":
        raise Conflict(
            f"The run {run.id} is {run.status} ({run.progress} %): it has no results"
            + (" — see its problems." if run.status == "failed" else " yet; poll GET /runs/{id}."),
            detail_fr=f"Le calcul n° {run.id} "
            + (
                "a échoué : il n'a pas de résultats ; voyez ses anomalies."
                if run.status == "failed"
                else f"est en cours ({run.progress} %) : il n'a pas encore de résultats."
            ),
            slug="run-has-no-results",
        )
    return run


SucceededRun = Annotated[Run, Depends(get_succeeded_run)]


def get_member_result_or_404(
    session: DbSession, principal: ReadPrincipal, run: SucceededRun, code: MemberCode
) -> RunMember:
    principal.ensure_member(code)
    row = repository.member(session, run.id, code)
    if row is None:
        raise NotFound(
            f"The run {run.id} has no result for '{code}'.",
            detail_fr=f"Le calcul n° {run.id} n'a pas de résultat pour l'adhérent « {code} ».",
            slug="member-not-found",
        )
    return row


MemberResult = Annotated[RunMember, Depends(get_member_result_or_404)]


@router.post("/runs", status_code=202, response_model=RunRead)
def launch_run(
    request: Request,
    session: DbSession,
    principal: WritePrincipal,
    body: RunCreate,
    background: BackgroundTasks,
) -> JSONResponse:
    """Queue a run and answer 202 with its id; poll ``GET /runs/{id}`` for its progress."""
    run = service.launch_run(session, principal=principal, data=body)
    session.flush()
    session.refresh(run)
    background.add_task(worker.dispatch, request.app)  # after the commit, once answered
    payload = RunRead.model_validate(service.run_read(run, principal=principal))
    return JSONResponse(
        payload.model_dump(mode="json"), status_code=202, headers={"Location": f"/runs/{run.id}"}
    )


@router.get("/runs", response_model=RunPage)
def list_runs(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    kind: Literal["forecast", "final"] | None = None,
    status: Literal["queued", "running", "succeeded", "failed"] | None = None,
) -> RunPage:
    """Runs, newest first."""
    after = cursor_key(page.after, int)
    rows = repository.list_page(
        session,
        limit=page.limit,
        before_id=int(str(after[0])) if after else None,
        fiscal_year=fiscal_year,
        kind=kind,
        status=status,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda r: [r.id])
    return RunPage(
        items=[RunRead.model_validate(service.run_read(r, principal=principal)) for r in items],
        next_cursor=next_cursor,
        total=repository.count(session, fiscal_year=fiscal_year, kind=kind, status=status),
    )


@router.get("/runs/{run_id}", response_model=RunRead)
def read_run(request: Request, principal: ReadPrincipal, run: RunDep) -> Response:
    return resource_response(request, service.run_read(run, principal=principal))


@router.get("/runs/{run_id}/members", response_model=MemberResultPage)
def list_member_results(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    run: SucceededRun,
    page: Annotated[PageParams, Depends(bulk_page_params)],
) -> MemberResultPage:
    """Each member's totals (without lines), by code; a member's contact sees only its own."""
    after = cursor_key(page.after, str)
    rows = repository.members_page(
        session,
        run.id,
        limit=page.limit,
        after=str(after[0]) if after else None,
        member_code=principal.member,
    )
    items, next_cursor = build_page(
        request, response, rows, limit=page.limit, key=lambda r: [r.member_code]
    )
    return MemberResultPage(
        items=[
            MemberResultRead.model_validate(
                service.member_read(
                    r, run, service.previous_year(session, run, r.member_code), lines=False
                )
            )
            for r in items
        ],
        next_cursor=next_cursor,
    )


@router.get("/runs/{run_id}/members/{code}", response_model=MemberResultRead)
def read_member_result(
    request: Request, session: DbSession, run: SucceededRun, row: MemberResult
) -> Response:
    previous = service.previous_year(session, run, row.member_code)
    body = service.member_read(row, run, previous, lines=True)
    percent = request.app.state.settings.forecast_overrun_percent
    body["forecast_comparison"] = overrun.member_comparison(session, run, row, percent)
    return resource_response(request, body)


@router.get("/runs/{run_id}/members/{code}/explain", response_model=Explanation)
def explain_member_result(request: Request, run: SucceededRun, row: MemberResult) -> Response:
    """Every line back to its cost lines, weights or usage, unit price, rounding and cap."""
    return resource_response(request, explain(run, row))


@router.get("/runs/{run_id}/snapshot")
def read_snapshot(session: DbSession, principal: ReadPrincipal, run: SucceededRun) -> Response:
    """Every input of the run, as canonical JSON (DSIT only: it holds every member's data).
    Its SHA-256 is the run's ``snapshot_hash``."""
    if principal.member is not None:
        raise Forbidden(
            "The snapshot holds every member's data: DSIT only.",
            detail_fr="L'instantané contient les données de tous les adhérents : il est réservé "
            "à la DSIT.",
            slug="dsit-only",
        )
    stored = repository.snapshot(session, run.id)
    if stored is None:
        raise NotFound(
            f"The run {run.id} has no snapshot.",
            detail_fr=f"Le calcul n° {run.id} n'a pas d'instantané de ses données.",
            slug="snapshot-not-found",
        )
    data = zlib.decompress(stored.data)
    return Response(
        data,
        media_type="application/json",
        headers={"X-Content-Hash": stored.content_hash, "ETag": f'"{stored.content_hash}"'},
    )
