"""Catalogue et inventaire (back office): offerings, IS components with filters, and the
CSV inventory import with its per-row report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from web.rendering import render
from web.session import User, api, require_page
from web.views.catalogue import COMPONENT_KINDS, ComponentRow, LoadReport, OfferingRow
from web.views.forms import FormErrors, check_csrf, problem_errors

router = APIRouter()
Reader = Annotated[User, Depends(require_page("catalogue:read", staff_only=True))]
Loader = Annotated[User, Depends(require_page("inventory:write", staff_only=True))]
MAX_UPLOAD = 5 * 1024 * 1024
IMPORT_FIELDS = ("file", "source", "mode")


async def offerings(request: Request) -> list[OfferingRow]:
    answer = await api(request, "GET", "/api/catalogue/services", params={"limit": "500"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    return [OfferingRow.of(item) for item in items]


@router.get("/catalogue", response_class=HTMLResponse)
async def catalogue_page(request: Request, user: Reader) -> HTMLResponse:
    context = {"offerings": await offerings(request), "can_load": user.can("inventory:write")}
    return render(
        request, "pages/catalogue_services.html", "pages/catalogue_services.html", context
    )


@router.get("/catalogue/composants", response_class=HTMLResponse)
async def components_page(
    request: Request,
    _user: Reader,
    kind: Annotated[str, Query(max_length=40)] = "",
    service_code: Annotated[str, Query(max_length=80)] = "",
    retired: Annotated[str, Query(pattern="^(|true|false)$")] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    filters = {"kind": kind, "service_code": service_code, "retired": retired}
    params = {k: v for k, v in {**filters, "cursor": cursor, "limit": "50"}.items() if v}
    answer = await api(request, "GET", "/api/catalogue/components", params=params)
    body = answer.json() if answer.status_code == 200 else {"items": []}
    context: dict[str, Any] = {
        "rows": [ComponentRow.of(item) for item in body["items"]],
        "next_cursor": body.get("next_cursor"),
        "filters": filters,
        "filters_query": "&".join(f"{k}={v}" for k, v in filters.items() if v),
        "kinds": COMPONENT_KINDS,
        "offerings": [] if request.headers.get("hx-request") else await offerings(request),
        "refused": answer.status_code == 422,
    }
    return render(
        request,
        "pages/catalogue_components.html",
        "partials/catalogue_components_table.html",
        context,
    )


def import_page(
    request: Request,
    *,
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    report: LoadReport | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "form": form or {"source": "", "mode": "upsert", "dry_run": True},
        "errors": errors or FormErrors(),
        "report": report,
    }
    return render(
        request,
        "pages/catalogue_import.html",
        "partials/catalogue_import_report.html",
        context,
        status_code=status_code,
    )


@router.get("/catalogue/inventaire", response_class=HTMLResponse)
async def import_form(request: Request, _user: Loader) -> HTMLResponse:
    return import_page(request)


@router.get("/catalogue/inventaire/modele.csv")
async def import_template(request: Request, _user: Loader) -> Response:
    answer = await api(request, "GET", "/api/catalogue/inventory/csv-template")
    return Response(
        answer.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="inventaire-modele.csv"'},
    )


@router.post("/catalogue/inventaire", response_class=HTMLResponse)
async def import_csv(
    request: Request,
    user: Loader,
    file: Annotated[UploadFile | None, File()] = None,
    source: Annotated[str, Form(max_length=80)] = "",
    mode: Annotated[str, Form(max_length=10)] = "upsert",
    dry_run: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    check_csrf(request, user, csrf_token)
    form = {"source": source, "mode": mode, "dry_run": bool(dry_run)}
    errors = FormErrors()
    content = await file.read(MAX_UPLOAD + 1) if file is not None else b""
    if not content:
        errors.fields["file"] = "Choisissez un fichier CSV (voir le modèle)."
    elif len(content) > MAX_UPLOAD:
        errors.fields["file"] = "Le fichier dépasse 5 Mo : découpez-le."
    if not source.strip():
        errors.fields["source"] = "Indiquez la source de l'inventaire (ex. : glpi, tableur-reseau)."
    if mode not in ("upsert", "full"):
        errors.fields["mode"] = "Mode inconnu."
    if errors:
        return import_page(request, form=form, errors=errors, status_code=422)
    params = {"source": source.strip(), "mode": mode}
    if dry_run:
        params["dry_run"] = "true"
    answer = await api(
        request,
        "POST",
        "/api/catalogue/inventory/csv",
        params=params,
        content=content,
        headers={"Content-Type": "text/csv"},
    )
    if answer.status_code != 200:
        errors = problem_errors(answer, IMPORT_FIELDS)
        return import_page(request, form=form, errors=errors, status_code=422)
    return import_page(request, form=form, report=LoadReport.of(answer.json()))
