"""Inducteurs, coûts de possession et usages (back office): lists and forms of drivers, cost
lines (direct with their allocation key, indirect with their driver) and usage per driver and
year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.rendering import render
from web.routes.catalogue import missing
from web.routes.catalogue_data import (
    Reader,
    UsageWriter,
    Writer,
    components,
    drivers,
    members,
    notice,
    posted,
)
from web.routes.catalogue_data import items as api_items
from web.session import User, api
from web.views.catalogue import CostLineRow, DriverRow, UsageRow
from web.views.catalogue_forms import (
    catalogue_errors,
    cost_line_body,
    driver_body,
    form_year,
    usage_body,
)
from web.views.catalogue_labels import FIELD_LABELS, MODES, NATURES, SECTIONS
from web.views.format import euros
from web.views.forms import FormErrors

router = APIRouter()
DRIVER_FIELDS = ("code", "label", "unit", "description")
LINE_FIELDS = (
    "component_code",
    "fiscal_year",
    "section",
    "nature",
    "amount",
    "mode",
    "driver_code",
    "allocation",
    "depreciation_years",
    "label",
)
Year = Annotated[str, Query(alias="exercice", max_length=4)]


def this_year() -> int:
    return dt.date.today().year


# --- drivers ---------------------------------------------------------------------------------


async def drivers_page(
    request: Request,
    user: User,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "drivers": await drivers(request),
        "form": form or {"code": "", "label": "", "unit": "", "description": ""},
        "errors": errors or FormErrors(),
        "can_write": user.can("catalogue:write"),
        "notice": notice(request),
    }
    return render(
        request,
        "pages/catalogue_drivers.html",
        "pages/catalogue_drivers.html",
        context,
        status_code=status_code,
    )


@router.get("/catalogue/inducteurs", response_class=HTMLResponse)
async def list_drivers(request: Request, user: Reader) -> HTMLResponse:
    return await drivers_page(request, user)


@router.post("/catalogue/inducteurs", response_class=HTMLResponse, response_model=None)
async def create_driver(request: Request, user: Writer) -> Response:
    form, _ = await posted(request, user)
    body, errors = driver_body(form, creating=True)
    if not errors:
        answer = await api(request, "POST", "/api/catalogue/drivers", json=body)
        if answer.status_code == 201:
            return RedirectResponse("/catalogue/inducteurs?cree", status_code=303)
        errors = catalogue_errors(answer, DRIVER_FIELDS)
    return await drivers_page(request, user, form=form, errors=errors, status_code=422)


async def driver_page(
    request: Request,
    driver: DriverRow,
    *,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "driver": driver,
        "form": form
        or {"label": driver.label, "unit": driver.unit, "description": driver.description},
        "errors": errors or FormErrors(),
        "notice": notice(request),
    }
    return render(
        request,
        "pages/catalogue_driver.html",
        "pages/catalogue_driver.html",
        context,
        status_code=status_code,
    )


async def get_driver(request: Request, code: str) -> DriverRow | None:
    answer = await api(request, "GET", f"/api/catalogue/drivers/{code}")
    return DriverRow.of(answer.json()) if answer.status_code == 200 else None


@router.get("/catalogue/inducteurs/{code}", response_class=HTMLResponse)
async def edit_driver_form(request: Request, code: str, _user: Writer) -> HTMLResponse:
    driver = await get_driver(request, code)
    if driver is None:
        return missing(request, "Cet inducteur n'existe pas.")
    return await driver_page(request, driver)


@router.post("/catalogue/inducteurs/{code}", response_class=HTMLResponse, response_model=None)
async def update_driver(request: Request, code: str, user: Writer) -> Response:
    driver = await get_driver(request, code)
    if driver is None:
        return missing(request, "Cet inducteur n'existe pas.")
    form, _ = await posted(request, user)
    body, errors = driver_body(form, creating=False)
    if not errors:
        answer = await api(request, "PATCH", f"/api/catalogue/drivers/{code}", json=body)
        if answer.status_code == 200:
            return RedirectResponse("/catalogue/inducteurs?modifie", status_code=303)
        errors = catalogue_errors(answer, DRIVER_FIELDS)
    return await driver_page(request, driver, form=form, errors=errors, status_code=422)


# --- cost lines ------------------------------------------------------------------------------


@router.get("/catalogue/couts", response_class=HTMLResponse)
async def cost_lines_page(
    request: Request,
    user: Reader,
    year: Year = "",
    component: Annotated[str, Query(alias="composant", max_length=120)] = "",
) -> HTMLResponse:
    fiscal_year = int(year) if year.isdigit() else this_year()
    params = {"fiscal_year": str(fiscal_year)}
    if component:
        params["component_code"] = component
    lines = await api_items(request, "/api/catalogue/cost-lines", **params)
    names = await components(request)
    driver_names = {d.code: d.label for d in await drivers(request)}
    member_names = await members(request)
    rows = [
        CostLineRow.of(line, components=names, drivers=driver_names, members=member_names)
        for line in lines
    ]
    rows.sort(key=lambda r: (r.component_name.lower(), r.section, r.id))
    total = sum((Decimal(r.amount_raw) for r in rows), Decimal(0))
    context = {
        "rows": rows,
        "total": euros(str(total)),
        "year": fiscal_year,
        "component": component,
        "components": names,
        "can_write": user.can("catalogue:write"),
        "notice": notice(request),
    }
    return render(
        request, "pages/catalogue_costs.html", "partials/catalogue_costs_table.html", context
    )


def line_form(item: dict[str, Any] | None) -> dict[str, Any]:
    if item is None:
        return {"fiscal_year": str(this_year()), "section": "operating", "mode": "direct"}
    return {
        **{k: str(item.get(k) or "") for k in LINE_FIELDS if k != "allocation"},
        "amount": item["amount"].replace(".", ","),
        "weights": {a["member_code"]: a["weight"].replace(".", ",") for a in item["allocation"]},
    }


async def cost_line_page(
    request: Request,
    *,
    line_id: int | None,
    item: dict[str, Any] | None = None,
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "line_id": line_id,
        "item": item,
        "form": form or line_form(item),
        "errors": errors or FormErrors(),
        "components": await components(request),
        "driver_labels": {d.code: f"{d.label} ({d.unit})" for d in await drivers(request)},
        "members": await members(request),
        "sections": SECTIONS,
        "natures": NATURES,
        "modes": MODES,
        "notice": notice(request),
    }
    return render(
        request,
        "pages/catalogue_cost_line.html",
        "pages/catalogue_cost_line.html",
        context,
        status_code=status_code,
    )


def weights_of(form: dict[str, str]) -> dict[str, str]:
    return {k.removeprefix("weight-"): v for k, v in form.items() if k.startswith("weight-")}


@router.get("/catalogue/couts/nouveau", response_class=HTMLResponse)
async def new_cost_line(request: Request, _user: Writer) -> HTMLResponse:
    form = line_form(None)
    if request.query_params.get("composant"):
        form["component_code"] = request.query_params["composant"]
    return await cost_line_page(request, line_id=None, form=form)


@router.post("/catalogue/couts/nouveau", response_class=HTMLResponse, response_model=None)
async def create_cost_line(request: Request, user: Writer) -> Response:
    form, _ = await posted(request, user)
    body, errors = cost_line_body(form, weights_of(form))
    if not errors:
        answer = await api(request, "POST", "/api/catalogue/cost-lines", json=body)
        if answer.status_code == 201:
            year = body["fiscal_year"]
            return RedirectResponse(f"/catalogue/couts?exercice={year}&cree", status_code=303)
        errors = catalogue_errors(answer, LINE_FIELDS)
    values = {**form, "weights": weights_of(form)}
    return await cost_line_page(request, line_id=None, form=values, errors=errors, status_code=422)


async def get_line(request: Request, line_id: int) -> dict[str, Any] | None:
    answer = await api(request, "GET", f"/api/catalogue/cost-lines/{line_id}")
    found: dict[str, Any] | None = answer.json() if answer.status_code == 200 else None
    return found


@router.get("/catalogue/couts/{line_id:int}", response_class=HTMLResponse)
async def edit_cost_line_form(request: Request, line_id: int, _user: Writer) -> HTMLResponse:
    item = await get_line(request, line_id)
    if item is None:
        return missing(request, "Cette ligne de coût n'existe pas.")
    return await cost_line_page(request, line_id=line_id, item=item)


@router.post("/catalogue/couts/{line_id:int}", response_class=HTMLResponse, response_model=None)
async def update_cost_line(request: Request, line_id: int, user: Writer) -> Response:
    item = await get_line(request, line_id)
    if item is None:
        return missing(request, "Cette ligne de coût n'existe pas.")
    form, _ = await posted(request, user)
    body, errors = cost_line_body(form, weights_of(form))
    if not errors:
        answer = await api(request, "PATCH", f"/api/catalogue/cost-lines/{line_id}", json=body)
        if answer.status_code == 200:
            year = body["fiscal_year"]
            return RedirectResponse(f"/catalogue/couts?exercice={year}&modifie", status_code=303)
        errors = catalogue_errors(answer, LINE_FIELDS)
    values = {**form, "weights": weights_of(form)}
    return await cost_line_page(
        request, line_id=line_id, item=item, form=values, errors=errors, status_code=422
    )


@router.post(
    "/catalogue/couts/{line_id:int}/suppression", response_class=HTMLResponse, response_model=None
)
async def delete_cost_line(request: Request, line_id: int, user: Writer) -> Response:
    await posted(request, user)
    item = await get_line(request, line_id)
    await api(request, "DELETE", f"/api/catalogue/cost-lines/{line_id}")
    year = item["fiscal_year"] if item else this_year()
    return RedirectResponse(f"/catalogue/couts?exercice={year}&supprime", status_code=303)


# --- usage -----------------------------------------------------------------------------------


async def usage_page(
    request: Request,
    user: User,
    *,
    year: int,
    driver_code: str,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    all_drivers = await drivers(request)
    driver = next((d for d in all_drivers if d.code == driver_code), None)
    if driver is None and all_drivers:
        driver = all_drivers[0]
    names = await members(request)
    rows: list[UsageRow] = []
    if driver is not None:
        found = await api_items(request, f"/api/catalogue/usage/{year}/{driver.code}")
        rows = sorted((UsageRow.of(u, names) for u in found), key=lambda r: r.member.lower())
    context = {
        "year": year,
        "driver": driver,
        "drivers": all_drivers,
        "rows": rows,
        "members": names,
        "form": form or {"member_code": "", "quantity": "", "reference_date": ""},
        "errors": errors or FormErrors(),
        "can_write": user.can("usage:write"),
        "notice": notice(request),
    }
    return render(
        request,
        "pages/catalogue_usage.html",
        "partials/catalogue_usage_table.html",
        context,
        status_code=status_code,
    )


@router.get("/catalogue/usages", response_class=HTMLResponse)
async def list_usage(
    request: Request,
    user: Reader,
    year: Year = "",
    driver: Annotated[str, Query(alias="inducteur", max_length=60)] = "",
) -> HTMLResponse:
    fiscal_year = int(year) if year.isdigit() else this_year()
    return await usage_page(request, user, year=fiscal_year, driver_code=driver)


@router.post("/catalogue/usages", response_class=HTMLResponse, response_model=None)
async def record_usage(request: Request, user: UsageWriter) -> Response:
    form, _ = await posted(request, user)
    errors = FormErrors()
    year = form_year(errors, form, "exercice")
    driver = form.get("inducteur", "")
    body, more = usage_body(form)
    errors.fields.update(more.fields)
    if not errors and year is not None:
        path = f"/api/catalogue/usage/{year}/{driver}"
        answer = await api(request, "POST", path, json=body)
        if answer.status_code == 200:
            rejected = [i for i in answer.json()["items"] if i["status"] == "rejected"]
            if not rejected:
                target = f"/catalogue/usages?exercice={year}&inducteur={driver}&modifie"
                return RedirectResponse(target, status_code=303)
            for e in rejected[0]["errors"]:
                name = e["field"].split(".")[-1]
                errors.fields[name] = e["message"]
        else:
            errors = catalogue_errors(answer, ("member_code", "quantity", "reference_date"))
    if errors.message is None and not errors.fields:
        errors.message = "Mesure refusée."
    for name in list(errors.fields):
        if name not in ("member_code", "quantity", "reference_date", "exercice"):
            errors.message = f"{FIELD_LABELS.get(name, name)} : {errors.fields.pop(name)}"
    return await usage_page(
        request,
        user,
        year=year or this_year(),
        driver_code=driver,
        form=form,
        errors=errors,
        status_code=422,
    )
