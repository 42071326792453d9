"""HTTP endpoints of the strategic committee's pack: the live preview (JSON, HTML, PDF), the
archive (irreversible), the archived pack and its stored HTML and PDF bytes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from kit.db import DbSession
from kit.errors import ValidationFailed
from kit.http import resource_response
from kit.identity import Principal
from kit.openapi import file_responses
from services.governance.deps import ReadPrincipal, WritePrincipal
from services.governance.meetings.endpoints import MeetingDep
from services.governance.models import Meeting
from services.governance.packs import document, service, upstream
from services.governance.packs.schemas import PackArchive, PackRead

router = APIRouter(tags=["strategic pack"])
PACK = "/meetings/{meeting_id}/pack"


def dsit_reader(principal: ReadPrincipal) -> Principal:
    service.ensure_dsit(principal)
    return principal


def dsit_writer(principal: WritePrincipal) -> Principal:
    service.ensure_dsit(principal)
    return principal


Reader = Annotated[Principal, Depends(dsit_reader)]
Writer = Annotated[Principal, Depends(dsit_writer)]


def _preview(
    request: Request, session: DbSession, principal: Principal, meeting: Meeting
) -> dict[str, Any]:
    service.ensure_strategic(meeting)
    service.ensure_not_archived(session, meeting)
    sources = upstream.budget_sources(request.app, meeting.held_on.year)
    return service.preview(session, meeting=meeting, principal=principal, sources=sources)


def _file(content: bytes, media: str, name: str, sha256: str | None = None) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if sha256:
        headers["X-Content-SHA256"] = sha256
    return Response(content, media_type=media, headers=headers)


def _name(meeting: Meeting, suffix: str) -> str:
    return f"dossier-comite-strategique-{meeting.held_on.isoformat()}-{meeting.id}{suffix}"


@router.get(PACK + "/preview")
def preview_pack(
    request: Request, session: DbSession, principal: Reader, meeting: MeetingDep
) -> dict[str, Any]:
    """The pack's figures computed now from live data (nothing is stored); refused once the
    pack is archived."""
    return _preview(request, session, principal, meeting)


@router.get(PACK + "/preview.html", response_class=HTMLResponse)
def preview_pack_html(
    request: Request, session: DbSession, principal: Reader, meeting: MeetingDep
) -> HTMLResponse:
    return HTMLResponse(document.html(_preview(request, session, principal, meeting)))


@router.get(
    PACK + "/preview.pdf",
    response_class=Response,
    responses=file_responses("application/pdf", "The pack computed now, PDF"),
)
def preview_pack_pdf(
    request: Request, session: DbSession, principal: Reader, meeting: MeetingDep
) -> Response:
    html = document.html_bytes(_preview(request, session, principal, meeting))
    return _file(document.pdf_bytes(html), "application/pdf", _name(meeting, "-apercu.pdf"))


@router.post(PACK, status_code=201, response_model=PackRead)
def archive_pack(
    request: Request,
    session: DbSession,
    principal: Writer,
    meeting: MeetingDep,
    body: PackArchive,
) -> JSONResponse:
    """Generate the pack from live data and archive it with the meeting: irreversible, a
    meeting has one archived pack and it never changes (a second archive is refused)."""
    if not body.confirm:
        raise ValidationFailed(
            "Archiving the pack is irreversible: confirm it (confirm: true).",
            detail_fr="L'archivage du dossier est irréversible : confirmez-le.",
            errors=[
                {
                    "field": "confirm",
                    "message": "must be true",
                    "type": "confirmation",
                    "message_fr": "Confirmez l'archivage.",
                }
            ],
        )
    service.ensure_archivable(session, meeting)
    sources = upstream.budget_sources(request.app, meeting.held_on.year)
    pack = service.archive(session, meeting=meeting, principal=principal, sources=sources)
    payload = PackRead.model_validate(service.to_read(pack))
    return JSONResponse(
        payload.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/meetings/{meeting.id}/pack"},
    )


@router.get(PACK, response_model=PackRead)
def read_pack(
    request: Request, session: DbSession, _principal: Reader, meeting: MeetingDep
) -> Response:
    """The archived pack: when and by whom, the SHA-256 of its documents, its figures."""
    pack = service.archived_pack(session, meeting)
    return resource_response(
        request, PackRead.model_validate(service.to_read(pack, with_content=True))
    )


@router.get(
    PACK + ".html",
    response_class=Response,
    responses=file_responses("text/html", "The archived pack, HTML, as stored"),
)
def read_pack_html(session: DbSession, _principal: Reader, meeting: MeetingDep) -> Response:
    pack = service.archived_pack(session, meeting)
    return _file(pack.html, "text/html; charset=utf-8", _name(meeting, ".html"), pack.html_sha256)


@router.get(
    PACK + ".pdf",
    response_class=Response,
    responses=file_responses("application/pdf", "The archived pack, PDF, as stored"),
)
def read_pack_pdf(session: DbSession, _principal: Reader, meeting: MeetingDep) -> Response:
    pack = service.archived_pack(session, meeting)
    return _file(pack.pdf, "application/pdf", _name(meeting, ".pdf"), pack.pdf_sha256)
