"""Composants du SI (back office): the list with its filters, and a page of each component —
its lifecycle, end of support, costs by year and the members it serves — with its form."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.rendering import render
from web.routes.catalogue import missing
from web.routes.catalogue_data import Reader, Writer, drivers, members, notice, offerings, posted
from web.routes.catalogue_data import items as api_items
from web.session import User, api
from web.views.catalogue import COMPONENT_KINDS, ComponentRow, CostLineRow
from web.views.catalogue_forms import catalogue_errors, component_body
from web.views.format import euros
from web.views.forms import FormErrors
from web.views.pager import Pages, pager

router = APIRouter()
FIELDS = (
    "code",
    "name",
    "kind",
    "service_code",
    "member_codes",
    "in_service_on",
    "end_of_support_on",
    "retired_on",
)


@router.get("/catalogue/composants", response_class=HTMLResponse)
async def components_page(
    request: Request,
    user: Reader,
    kind: Annotated[str, Query(max_length=40)] = "",
    service_code: Annotated[str, Query(max_length=80)] = "",
    retired: Annotated[str, Query(pattern="^(|true|false)$")] = "",
    end_of_support_before: Annotated[str, Query(pattern=r"^(|\d{4}-\d{2}-\d{2})$")] = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
    pages: Pages = "",
) -> HTMLResponse:
    """The components, filtered; ``end_of_support_before`` is the obsolescence view (support
    of the vendor ending before a date)."""
    filters = {
        "kind": kind,
        "service_code": service_code,
        "retired": retired,
        "end_of_support_before": end_of_support_before,
    }
    params = {k: v for k, v in {**filters, "cursor": cursor, "limit": "50"}.items() if v}
    answer = await api(request, "GET", "/api/catalogue/components", params=params)
    body = answer.json() if answer.status_code == 200 else {"items": []}
    services = await offerings(request)
    names = {s.code: s.name for s in services}
    context: dict[str, Any] = {
        "rows": [ComponentRow.of(item, names) for item in body["items"]],
        "total": body.get("total"),
        **pager(cursor=cursor, pages=pages, next_cursor=body.get("next_cursor"), filters=filters),
        "kinds": COMPONENT_KINDS,
        "offerings": services,
        "refused": answer.status_code == 422,
        "can_write": user.can("catalogue:write"),
    }
    return render(
        request,
        "pages/catalogue_components.html",
        "partials/catalogue_components_table.html",
        context,
    )


def form_of(item: dict[str, Any] | None) -> dict[str, Any]:
    if item is None:
        return {"code": "", "name": "", "kind": "", "service_code": "", "member_codes": []}
    return {
        **{k: item.get(k) or "" for k in FIELDS if k != "member_codes"},
        "member_codes": item.get("member_codes") or [],
    }


async def component_page(
    request: Request,
    user: User,
    *,
    item: dict[str, Any] | None,
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    names = await members(request)
    services = await offerings(request)
    context: dict[str, Any] = {
        "component": None,
        "form": form or form_of(item),
        "errors": errors or FormErrors(),
        "kinds": COMPONENT_KINDS,
        "offerings": services,
        "service_options": {s.code: s.name for s in services},
        "members": names,
        "can_write": user.can("catalogue:write"),
        "notice": notice(request),
    }
    if item is not None:
        services_names = {s.code: s.name for s in services}
        context["component"] = ComponentRow.of(item, services_names)
        context["external_id"] = item.get("external_id") or ""
        context["served"] = [(c, names.get(c, c)) for c in item.get("member_codes") or []]
        context["served"].sort(key=lambda m: m[1].lower())
        context["years"] = await costs_by_year(request, item["code"], names)
    return render(
        request,
        "pages/catalogue_component.html",
        "pages/catalogue_component.html",
        context,
        status_code=status_code,
    )


async def costs_by_year(request: Request, code: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """The component's cost lines grouped by fiscal year, newest first, with their totals."""
    lines = await api_items(request, "/api/catalogue/cost-lines", component_code=code)
    driver_names = {d.code: d.label for d in await drivers(request)}
    grouped: dict[int, list[CostLineRow]] = defaultdict(list)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        row = CostLineRow.of(line, components={}, drivers=driver_names, members=names)
        grouped[row.fiscal_year].append(row)
        totals[row.fiscal_year] += Decimal(row.amount_raw)
    return [
        {"year": year, "lines": grouped[year], "total": euros(str(totals[year]))}
        for year in sorted(grouped, reverse=True)
    ]


async def get_component(request: Request, code: str) -> dict[str, Any] | None:
    answer = await api(request, "GET", f"/api/catalogue/components/{code}")
    found: dict[str, Any] | None = answer.json() if answer.status_code == 200 else None
    return found


@router.get("/catalogue/composants/nouveau", response_class=HTMLResponse)
async def new_component(request: Request, user: Writer) -> HTMLResponse:
    return await component_page(request, user, item=None)


@router.post("/catalogue/composants/nouveau", response_class=HTMLResponse, response_model=None)
async def create_component(request: Request, user: Writer) -> Response:
    form, lists = await posted(request, user)
    body, errors = component_body(form, lists.get("member_codes", []), creating=True)
    if not errors:
        answer = await api(request, "POST", "/api/catalogue/components", json=body)
        if answer.status_code == 201:
            return RedirectResponse(f"/catalogue/composants/{body['code']}?cree", status_code=303)
        errors = catalogue_errors(answer, FIELDS)
    form_values: dict[str, Any] = {**form, "member_codes": lists.get("member_codes", [])}
    return await component_page(
        request, user, item=None, form=form_values, errors=errors, status_code=422
    )


@router.get("/catalogue/composants/{code}", response_class=HTMLResponse)
async def component_detail(request: Request, code: str, user: Reader) -> HTMLResponse:
    item = await get_component(request, code)
    if item is None:
        return missing(request, "Ce composant n'existe pas.")
    return await component_page(request, user, item=item)


@router.post("/catalogue/composants/{code}", response_class=HTMLResponse, response_model=None)
async def update_component(request: Request, code: str, user: Writer) -> Response:
    item = await get_component(request, code)
    if item is None:
        return missing(request, "Ce composant n'existe pas.")
    form, lists = await posted(request, user)
    body, errors = component_body(form, lists.get("member_codes", []), creating=False)
    if not errors:
        answer = await api(request, "PATCH", f"/api/catalogue/components/{code}", json=body)
        if answer.status_code == 200:
            return RedirectResponse(f"/catalogue/composants/{code}?modifie", status_code=303)
        errors = catalogue_errors(answer, FIELDS)
    form_values: dict[str, Any] = {
        **form,
        "code": code,
        "member_codes": lists.get("member_codes", []),
    }
    return await component_page(
        request, user, item=item, form=form_values, errors=errors, status_code=422
    )


@router.post(
    "/catalogue/composants/{code}/retrait", response_class=HTMLResponse, response_model=None
)
async def retire_component(request: Request, code: str, user: Writer) -> Response:
    """Retire today (a component is never deleted: its costs of past years keep it)."""
    await posted(request, user)
    today = dt.date.today().isoformat()
    answer = await api(
        request, "PATCH", f"/api/catalogue/components/{code}", json={"retired_on": today}
    )
    if answer.status_code != 200:
        item = await get_component(request, code)
        errors = catalogue_errors(answer, FIELDS)
        return await component_page(request, user, item=item, errors=errors, status_code=422)
    return RedirectResponse(f"/catalogue/composants/{code}?retire", status_code=303)
