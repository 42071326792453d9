"""An indicator's page and the form of its measurements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.rendering import render
from web.routes.governance import GOV, Reader
from web.routes.governance_plans_forms.common import ERRORS, CodePath, posted
from web.session import User, api
from web.views.format import date
from web.views.governance_forms import (
    Field,
    Form,
    decimal_text,
    french_checks,
    refused,
    status_of,
)
from web.views.governance_labels import member_names, value_label

router = APIRouter()


async def measurement_fields(request: Request, indicator: dict[str, Any]) -> list[Field]:
    fields = [
        Field("period", "Fin de la période mesurée", "date", required=True),
        Field(
            "member_code",
            "Adhérent",
            "select",
            options=await member_names(request),
            hint="vide : tous les adhérents ensemble",
        ),
    ]
    if indicator.get("is_rate"):
        fields += [
            Field("numerator", "Numérateur", "number"),
            Field("denominator", "Dénominateur", "number", hint="le taux en est calculé"),
        ]
    else:
        fields.append(Field("value", f"Valeur ({indicator.get('unit') or ''})", "number"))
    fields.append(Field("source", "Source de la mesure", required=True, hint="outil ou service"))
    return fields


async def indicator_page(
    request: Request, user: User, code: str, form: Form | None = None, status_code: int = 200
) -> Response:
    answer = await api(request, "GET", f"{GOV}/master-plans/indicators/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    indicator = answer.json()
    fields = await measurement_fields(request, indicator)
    listed = await api(
        request,
        "GET",
        f"{GOV}/master-plans/indicators/{code}/measurements",
        params={"limit": "1000"},
    )
    names = await member_names(request)
    items = listed.json().get("items", []) if listed.status_code == 200 else []
    unit = indicator.get("unit") or ""
    measurements = [
        {
            "period": date(m["period"]),
            "member": names.get(m.get("member_code") or "", "Tous les adhérents"),
            "value": value_label(m.get("value"), unit),
            "source": m.get("source") or "",
        }
        for m in sorted(items, key=lambda m: m["period"], reverse=True)
    ]
    context = {
        "indicator": indicator,
        "target": value_label(indicator.get("target"), unit),
        "baseline": value_label(indicator.get("baseline"), unit),
        "measurements": measurements,
        "can_write": user.can("indicators:write"),
        "form": form or Form(fields, {"period": dt.date.today().isoformat(), "source": "DSIT"}),
    }
    page = "pages/governance_indicator.html"
    return render(request, page, page, context, status_code=status_code)


@router.get("/gouvernance/schemas-directeurs/indicateurs/{code}", response_class=HTMLResponse)
async def read_indicator(request: Request, user: Reader, code: CodePath) -> Response:
    return await indicator_page(request, user, code)


@router.post(
    "/gouvernance/schemas-directeurs/indicateurs/{code}/mesures", response_class=HTMLResponse
)
async def record_measurement(request: Request, user: Reader, code: CodePath) -> Response:
    if not user.can("indicators:write"):
        return error_page(request, 403)
    answer = await api(request, "GET", f"{GOV}/master-plans/indicators/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    fields = await measurement_fields(request, answer.json())
    values = await posted(request, user, tuple(f.name for f in fields))
    form = Form(fields, values, french_checks(fields, values))
    measured = [n for n in ("value", "numerator", "denominator") if values.get(n)]
    if not measured and not form.errors.fields:
        name = "numerator" if "numerator" in values else "value"
        form.errors.fields[name] = "Indiquez la valeur mesurée."
    if form.errors.fields:
        form.errors.message = ERRORS
        return await indicator_page(request, user, code, form, 422)
    item: dict[str, Any] = {
        "period": values["period"],
        "member_code": values["member_code"] or None,
        "source": values["source"],
    }
    for name in measured:
        item[name] = decimal_text(values[name])
    answer = await api(
        request,
        "POST",
        f"{GOV}/master-plans/indicators/{code}/measurements",
        json={"measurements": [item]},
    )
    if answer.status_code == 200:
        return RedirectResponse(
            f"/gouvernance/schemas-directeurs/indicateurs/{code}", status_code=303
        )
    form.errors = refused(answer, fields)
    return await indicator_page(request, user, code, form, status_of(answer))
