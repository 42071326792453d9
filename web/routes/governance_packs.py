"""Gouvernance (back office): the strategic committee's pack of a meeting — its live preview,
its archive after a confirmation page (irreversible), the archived HTML and PDF as stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.governance import GOV, Reader, Writer
from web.session import api
from web.views.forms import check_csrf, refusal_message
from web.views.governance import MeetingRow
from web.views.governance_pack import pack_view

router = APIRouter()
MeetingId = Annotated[int, Path(ge=1, le=2**31)]
PAGE = "pages/governance_pack.html"


def seance(meeting_id: int) -> str:
    return f"/gouvernance/seances/{meeting_id}"


@router.get("/gouvernance/seances/{meeting_id}/dossier", response_class=HTMLResponse)
async def pack_page(request: Request, _user: Reader, meeting_id: MeetingId) -> HTMLResponse:
    """The archived pack's figures when it is archived, else the preview computed now."""
    meeting = await api(request, "GET", f"{GOV}/meetings/{meeting_id}")
    if meeting.status_code != 200:
        return error_page(request, 404)
    archived = await api(request, "GET", f"{GOV}/meetings/{meeting_id}/pack")
    if archived.status_code == 200:
        answer, figures = archived, archived.json()["content"]
    else:
        answer = await api(request, "GET", f"{GOV}/meetings/{meeting_id}/pack/preview")
        figures = answer.json() if answer.status_code == 200 else None
    context = {
        "meeting": MeetingRow.of(meeting.json()),
        "archived": archived.status_code == 200,
        "pack": pack_view(figures) if figures is not None else None,
        "refusal": None if figures is not None else refusal_message(answer),
    }
    return render(request, PAGE, PAGE, context, status_code=200 if figures else 409)


@router.get("/gouvernance/seances/{meeting_id}/dossier/archiver", response_class=HTMLResponse)
async def confirm_archive(request: Request, _user: Writer, meeting_id: MeetingId) -> Response:
    meeting = await api(request, "GET", f"{GOV}/meetings/{meeting_id}")
    if meeting.status_code != 200:
        return error_page(request, 404)
    title = meeting.json()["title"]
    context = {
        "heading": f"archiver le dossier du comité stratégique de la séance « {title} »",
        "back_href": f"{seance(meeting_id)}#dossier",
        "back_label": "La séance",
        "consequences": [
            "Le dossier est établi maintenant à partir des données du jour : portefeuille de "
            "projets, plan de charge, qualité de service, suivi budgétaire de chaque adhérent, "
            "décisions à suivre.",
            "Sa version HTML et sa version PDF sont archivées avec la séance, avec leur "
            "empreinte SHA-256.",
            "Le dossier archivé ne change plus jamais, même si les données changent ensuite : "
            "il ne pourra pas être généré de nouveau.",
        ],
        "action": f"/gouvernance/seances/{meeting_id}/dossier/archiver",
        "hidden": {},
        "submit": "Archiver le dossier",
    }
    page = "pages/governance_confirm.html"
    return render(request, page, page, context)


@router.post("/gouvernance/seances/{meeting_id}/dossier/archiver", response_class=HTMLResponse)
async def archive(
    request: Request,
    user: Writer,
    meeting_id: MeetingId,
    confirmation: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(request, user, csrf_token)
    if confirmation != "oui":
        return RedirectResponse(f"{seance(meeting_id)}/dossier/archiver", status_code=303)
    answer = await api(request, "POST", f"{GOV}/meetings/{meeting_id}/pack", json={"confirm": True})
    if answer.status_code == 201:
        return RedirectResponse(f"{seance(meeting_id)}#dossier", status_code=303)
    meeting = await api(request, "GET", f"{GOV}/meetings/{meeting_id}")
    if meeting.status_code != 200:
        return error_page(request, 404)
    context = {
        "meeting": MeetingRow.of(meeting.json()),
        "archived": False,
        "pack": None,
        "refusal": refusal_message(answer),
    }
    status = answer.status_code if answer.status_code in (403, 409, 422) else 503
    return render(request, PAGE, PAGE, context, status_code=status)


async def _file(request: Request, path: str, name: str, media: str) -> Response:
    answer = await api(request, "GET", path)
    if answer.status_code != 200:
        return error_page(request, 404 if answer.status_code in (404, 409) else 503)
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if answer.headers.get("x-content-sha256"):
        headers["X-Content-SHA256"] = answer.headers["x-content-sha256"]
    return Response(answer.content, media_type=media, headers=headers)


@router.get("/gouvernance/seances/{meeting_id}/dossier.{fmt}", response_class=Response)
async def archived_file(
    request: Request,
    _user: Reader,
    meeting_id: MeetingId,
    fmt: Annotated[str, Path(pattern="^(html|pdf)$")],
) -> Response:
    """The archived pack's bytes as governance stored them (its HTML carries its own styles,
    which this site's Content-Security-Policy would block if it were shown inline)."""
    media = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    name = f"dossier-comite-strategique-{meeting_id}.{fmt}"
    return await _file(request, f"{GOV}/meetings/{meeting_id}/pack.{fmt}", name, media)


@router.get("/gouvernance/seances/{meeting_id}/dossier/apercu.pdf", response_class=Response)
async def preview_pdf(request: Request, _user: Reader, meeting_id: MeetingId) -> Response:
    name = f"dossier-comite-strategique-{meeting_id}-apercu.pdf"
    path = f"{GOV}/meetings/{meeting_id}/pack/preview.pdf"
    return await _file(request, path, name, "application/pdf")
