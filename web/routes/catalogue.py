"""Catalogue de services (back office): the offerings, their forms and subscriptions, and the
CSV inventory import with its per-row report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.rendering import render
from web.routes.catalogue_data import Reader, Writer, members, notice, offerings, posted
from web.session import User, api, require_page
from web.views.catalogue import LoadReport, OfferingRow
from web.views.catalogue_forms import catalogue_errors, form_date, offering_body
from web.views.catalogue_labels import DOMAINS, OFFERING_STATUSES
from web.views.format import date
from web.views.forms import FormErrors, check_csrf, problem_errors

router = APIRouter()
Loader = Annotated[User, Depends(require_page("inventory:write", staff_only=True))]
MAX_UPLOAD = 5 * 1024 * 1024
IMPORT_FIELDS = ("file", "source", "mode")
OFFERING_FIELDS = ("code", "name", "domain", "description", "status", "service_levels", "note")


@router.get("/catalogue", response_class=HTMLResponse)
async def catalogue_page(request: Request, user: Reader) -> HTMLResponse:
    context = {
        "offerings": await offerings(request),
        "can_load": user.can("inventory:write"),
        "can_write": user.can("catalogue:write"),
    }
    return render(
        request, "pages/catalogue_services.html", "pages/catalogue_services.html", context
    )


def service_form(offering: OfferingRow | None) -> dict[str, str]:
    if offering is None:
        return {"code": "", "name": "", "domain": "", "description": "", "status": "draft"}
    return {
        "code": offering.code,
        "name": offering.name,
        "domain": offering.domain_code,
        "description": offering.description,
        "status": offering.status,
        "service_levels": "\n".join(f"{i} : {c}" for i, c in offering.service_levels),
        "note": "",
    }


async def service_page(
    request: Request,
    user: User,
    *,
    offering: OfferingRow | None,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    subscription: dict[str, str] | None = None,
    subscription_errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    names = await members(request)
    subscribers: list[dict[str, str]] = []
    if offering is not None:
        path = f"/api/catalogue/services/{offering.code}/subscribers"
        answer = await api(request, "GET", path, params={"limit": "500"})
        for s in answer.json().get("items", []) if answer.status_code == 200 else []:
            code = s["member_code"]
            subscribers.append(
                {"code": code, "name": names.get(code, code), "since": date(s.get("since"))}
            )
        subscribers.sort(key=lambda s: s["name"].lower())
    domains = dict(DOMAINS)
    if offering is not None and offering.domain_code not in domains:
        domains[offering.domain_code] = offering.domain
    context = {
        "offering": offering,
        "form": form or service_form(offering),
        "errors": errors or FormErrors(),
        "domains": domains,
        "statuses": OFFERING_STATUSES,
        "subscribers": subscribers,
        "members": names,
        "subscription": subscription or {"member_code": "", "since": ""},
        "subscription_errors": subscription_errors or FormErrors(),
        "can_write": user.can("catalogue:write"),
        "notice": notice(request),
    }
    return render(
        request,
        "pages/catalogue_service.html",
        "pages/catalogue_service.html",
        context,
        status_code=status_code,
    )


async def get_offering(request: Request, code: str) -> OfferingRow | None:
    answer = await api(request, "GET", f"/api/catalogue/services/{code}")
    return OfferingRow.of(answer.json()) if answer.status_code == 200 else None


@router.get("/catalogue/services/nouveau", response_class=HTMLResponse)
async def new_service(request: Request, user: Writer) -> HTMLResponse:
    return await service_page(request, user, offering=None)


@router.post("/catalogue/services/nouveau", response_class=HTMLResponse, response_model=None)
async def create_service(request: Request, user: Writer) -> Response:
    form, _ = await posted(request, user)
    body, errors = offering_body(form, creating=True)
    if not errors:
        answer = await api(request, "POST", "/api/catalogue/services", json=body)
        if answer.status_code == 201:
            return RedirectResponse(f"/catalogue/services/{body['code']}?cree", status_code=303)
        errors = catalogue_errors(answer, OFFERING_FIELDS)
    return await service_page(
        request, user, offering=None, form=form, errors=errors, status_code=422
    )


@router.get("/catalogue/services/{code}", response_class=HTMLResponse)
async def service_detail(request: Request, code: str, user: Reader) -> HTMLResponse:
    offering = await get_offering(request, code)
    if offering is None:
        return missing(request, "Ce service n'est pas au catalogue.")
    return await service_page(request, user, offering=offering)


@router.post("/catalogue/services/{code}", response_class=HTMLResponse, response_model=None)
async def update_service(request: Request, code: str, user: Writer) -> Response:
    offering = await get_offering(request, code)
    if offering is None:
        return missing(request, "Ce service n'est pas au catalogue.")
    form, _ = await posted(request, user)
    body, errors = offering_body(form, creating=False)
    if not errors:
        answer = await api(request, "PATCH", f"/api/catalogue/services/{code}", json=body)
        if answer.status_code == 200:
            return RedirectResponse(f"/catalogue/services/{code}?modifie", status_code=303)
        errors = catalogue_errors(answer, OFFERING_FIELDS)
    form["code"] = code
    return await service_page(
        request, user, offering=offering, form=form, errors=errors, status_code=422
    )


@router.post(
    "/catalogue/services/{code}/adherents", response_class=HTMLResponse, response_model=None
)
async def subscribe(request: Request, code: str, user: Writer) -> Response:
    offering = await get_offering(request, code)
    if offering is None:
        return missing(request, "Ce service n'est pas au catalogue.")
    form, _ = await posted(request, user)
    errors = FormErrors()
    member = form.get("member_code", "").strip()
    if not member:
        errors.fields["member_code"] = "Choisissez l'adhérent qui s'abonne."
    since = form_date(errors, form, "since")
    if not errors:
        path = f"/api/catalogue/services/{code}/subscribers/{member}"
        answer = await api(request, "PUT", path, json={"since": since})
        if answer.status_code in (200, 201):
            return RedirectResponse(f"/catalogue/services/{code}?abonne", status_code=303)
        errors = catalogue_errors(answer, ("member_code", "since"))
    return await service_page(
        request,
        user,
        offering=offering,
        subscription=form,
        subscription_errors=errors,
        status_code=422,
    )


@router.post(
    "/catalogue/services/{code}/adherents/{member}/retrait",
    response_class=HTMLResponse,
    response_model=None,
)
async def unsubscribe(request: Request, code: str, member: str, user: Writer) -> Response:
    await posted(request, user)
    await api(request, "DELETE", f"/api/catalogue/services/{code}/subscribers/{member}")
    return RedirectResponse(f"/catalogue/services/{code}?desabonne", status_code=303)


def missing(request: Request, message: str) -> HTMLResponse:
    return render(
        request,
        "pages/error.html",
        "partials/error.html",
        {"title": "Introuvable", "message": message},
        status_code=404,
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
