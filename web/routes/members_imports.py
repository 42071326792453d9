"""Imports of the registry (back office): the template to download, a simulation by default,
and the per-row report listing every error of each row."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from web.errors import error_page
from web.routes.registry_forms import Writer, page
from web.session import api
from web.views.forms import check_csrf, refusal_message
from web.views.imports import KINDS, ImportReport

router = APIRouter()
Slug = Annotated[str, Path(max_length=40)]
MAX_UPLOAD = 5 * 1024 * 1024
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def import_page(
    request: Request,
    slug: str,
    *,
    dry_run: bool = True,
    error: str | None = None,
    report: ImportReport | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "kind": KINDS[slug],
        "kinds": KINDS,
        "dry_run": dry_run,
        "error": error,
        "report": report,
    }
    return page(request, "pages/member_import.html", context, status_code=status_code)


@router.get("/adherents/import/{slug}", response_class=HTMLResponse)
async def import_form(request: Request, _user: Writer, slug: Slug) -> HTMLResponse:
    if slug not in KINDS:
        return error_page(request, 404)
    return import_page(request, slug)


@router.get("/adherents/import/{slug}/modele.{extension}")
async def import_template(request: Request, _user: Writer, slug: Slug, extension: str) -> Response:
    if slug not in KINDS or extension not in TYPES:
        return error_page(request, 404)
    kind = KINDS[slug]
    answer = await api(
        request, "GET", f"/api/registry/imports/{kind.api}/template", params={"format": extension}
    )
    return Response(
        answer.content,
        media_type=TYPES[extension],
        headers={"Content-Disposition": f'attachment; filename="{slug}-modele.{extension}"'},
    )


@router.post("/adherents/import/{slug}", response_class=HTMLResponse)
async def run_import(
    request: Request,
    user: Writer,
    slug: Slug,
    file: Annotated[UploadFile | None, File()] = None,
    dry_run: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    check_csrf(request, user, csrf_token)
    if slug not in KINDS:
        return error_page(request, 404)
    simulate = bool(dry_run)
    content = await file.read(MAX_UPLOAD + 1) if file is not None else b""
    if not content:
        error = "Choisissez un fichier CSV ou XLSX (partez du modèle)."
        return import_page(request, slug, dry_run=simulate, error=error, status_code=422)
    if len(content) > MAX_UPLOAD:
        error = "Le fichier dépasse 5 Mo : découpez-le."
        return import_page(request, slug, dry_run=simulate, error=error, status_code=422)
    answer = await api(
        request,
        "POST",
        f"/api/registry/imports/{KINDS[slug].api}",
        params={"dry_run": "true"} if simulate else {},
        content=content,
        headers={"Content-Type": "text/csv" if not content.startswith(b"PK") else TYPES["xlsx"]},
    )
    if answer.status_code != 200:
        error = refusal_message(answer)  # the API's French words (a wrong header, a bad file)
        return import_page(request, slug, dry_run=simulate, error=error, status_code=422)
    return import_page(request, slug, dry_run=simulate, report=ImportReport.of(answer.json()))
