"""HTTP endpoints of the project portfolio and the workload plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from kit.db import DbSession
from kit.errors import NotFound
from kit.http import resource_response
from kit.pagination import PageParams, build_page, page_params
from services.governance.deps import ReadPrincipal, WritePrincipal, after_id
from services.governance.models import Project
from services.governance.projects import repository, service
from services.governance.projects.schemas import (
    CapacityWrite,
    ProjectCreate,
    ProjectPage,
    ProjectRead,
    ProjectUpdate,
    Quarter,
    Status,
    WorkloadPlan,
    WorkloadWrite,
)

router = APIRouter(prefix="/projects", tags=["projects"])
TeamPath = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]


def get_project_or_404(
    session: DbSession, principal: ReadPrincipal, code: Annotated[str, Path(max_length=80)]
) -> Project:
    project = repository.by_code(session, code, member=principal.member)
    if project is None:
        raise NotFound(
            f"No project '{code}'.",
            detail_fr=f"Le projet « {code} » n'existe pas.",
            slug="project-not-found",
        )
    return project


ProjectDep = Annotated[Project, Depends(get_project_or_404)]


@router.get("/workload/{year}", response_model=WorkloadPlan)
def read_workload(
    session: DbSession, principal: ReadPrincipal, year: Annotated[int, Path(ge=2000, le=2100)]
) -> WorkloadPlan:
    """Person-days planned per team and quarter against capacity, overloads flagged. Totals
    count every project; a member's contact sees only its and shared projects itemised."""
    return WorkloadPlan.model_validate(
        service.workload_plan(session, year=year, principal=principal)
    )


@router.put("/workload/capacity/{team}/{quarter}", response_model=CapacityWrite)
def put_capacity(
    session: DbSession,
    principal: WritePrincipal,
    team: TeamPath,
    quarter: Annotated[Quarter, Path()],
    body: CapacityWrite,
) -> CapacityWrite:
    row = service.set_capacity(
        session, principal=principal, team=team, quarter=quarter, person_days=body.person_days
    )
    return CapacityWrite(person_days=row.person_days)


@router.get("", response_model=ProjectPage)
def list_projects(
    request: Request,
    response: Response,
    session: DbSession,
    principal: ReadPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    status: Status | None = None,
    member: Annotated[str | None, Query(max_length=80)] = None,
) -> ProjectPage:
    """The portfolio; a member's contact sees its member's projects and shared ones."""
    if member:
        principal.ensure_member(member)
    rows = repository.list_page(
        session,
        limit=page.limit,
        after=after_id(page.after),
        member=principal.member,
        status=status,
        for_member=member,
    )
    items, next_cursor = build_page(request, response, rows, limit=page.limit, key=lambda p: [p.id])
    return ProjectPage(
        items=[ProjectRead(**service.to_read(p)) for p in items],
        next_cursor=next_cursor,
        total=repository.count(session, member=principal.member, status=status, for_member=member),
    )


@router.post("", status_code=201, response_model=ProjectRead)
def create_project(
    session: DbSession, principal: WritePrincipal, body: ProjectCreate
) -> JSONResponse:
    project = service.create_project(session, principal=principal, data=body)
    return JSONResponse(
        ProjectRead(**service.to_read(project)).model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/projects/{project.code}"},
    )


@router.get("/{code}", response_model=ProjectRead)
def read_project(request: Request, project: ProjectDep) -> Response:
    return resource_response(request, ProjectRead(**service.to_read(project)))


@router.patch("/{code}", response_model=ProjectRead)
def update_project(
    session: DbSession, principal: WritePrincipal, project: ProjectDep, data: ProjectUpdate
) -> ProjectRead:
    return ProjectRead(
        **service.to_read(
            service.update_project(session, principal=principal, project=project, data=data)
        )
    )


@router.get("/{code}/workload", response_model=WorkloadWrite)
def read_project_workload(session: DbSession, project: ProjectDep) -> WorkloadWrite:
    """The person-days the project needs, per team and quarter (what the PUT replaces)."""
    rows = sorted(
        repository.lines_of_project(session, project.id), key=lambda r: (r.quarter, r.team)
    )
    return WorkloadWrite.model_validate(
        {
            "lines": [
                {"team": r.team, "quarter": r.quarter, "person_days": r.person_days} for r in rows
            ]
        }
    )


@router.put("/{code}/workload", status_code=204)
def put_project_workload(
    session: DbSession, principal: WritePrincipal, project: ProjectDep, body: WorkloadWrite
) -> Response:
    """Replace the person-days the project needs, per team and quarter."""
    service.set_project_workload(session, principal=principal, project=project, data=body)
    return Response(status_code=204)
