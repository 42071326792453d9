"""Conventions (back office): the list, a convention with its amendments (avenants,
prorogations) and the members' adhesions (deliberation, signature, departure), and their forms."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.errors import error_page
from web.routes.registry_forms import FRENCH, Code, Reader, Writer, page, submitted
from web.session import api
from web.views.format import date
from web.views.forms import FormErrors
from web.views.registry import AMENDMENT_KINDS, AdhesionRow, Checks, api_errors

router = APIRouter()
ConventionCode = Annotated[str, Path(max_length=60)]
CONVENTION_FIELDS = (
    "code", "title", "starts_on", "ends_on", "tacit_renewal", "renewal_months", "max_ends_on",
    "notice_months", "terminated_on", "deliberation_ref", "deliberated_on", "previous_code",
)  # fmt: skip
AMENDMENT_FIELDS = ("kind", "reference", "deliberated_on", "signed_on", "summary", "extends_to")
ADHESION_FIELDS = ("member_code", "deliberation_ref", "deliberated_on", "signed_on", "left_on")
DATES = ("starts_on", "ends_on", "max_ends_on", "terminated_on", "deliberated_on",
         "signed_on", "left_on", "extends_to", "effective_ends_on")  # fmt: skip


def shown(item: dict[str, Any]) -> dict[str, Any]:
    """An API record with its dates the French way (for the page and the form)."""
    return {k: (date(v) if k in DATES else v) for k, v in item.items()}


@router.get("/conventions", response_class=HTMLResponse)
async def conventions_page(request: Request, user: Reader) -> HTMLResponse:
    answer = await api(request, "GET", "/api/registry/conventions", params={"limit": "200"})
    items = answer.json().get("items", []) if answer.status_code == 200 else []
    context = {"rows": [shown(i) for i in items], "can_write": user.can("registry:write")}
    return page(request, "pages/conventions.html", context)


def convention_body(form: dict[str, Any], *, creating: bool) -> tuple[dict[str, Any], Checks]:
    c = Checks(form)
    body: dict[str, Any] = {
        "title": c.text("title", required=True, max_length=300),
        "notice_months": c.integer("notice_months", maximum=24),
        "deliberation_ref": c.text("deliberation_ref"),
        "deliberated_on": c.day("deliberated_on"),
    }
    if creating:
        body |= {
            "code": c.code(),
            "starts_on": c.day("starts_on", required=True),
            "ends_on": c.day("ends_on", required=True),
            "tacit_renewal": c.flag("tacit_renewal"),
            "renewal_months": c.integer("renewal_months", minimum=1, maximum=60),
            "max_ends_on": c.day("max_ends_on"),
            "previous_code": c.text("previous_code", max_length=60),
        }
        c.after("ends_on", body["ends_on"], body["starts_on"], "La fin précède le début.")
    else:
        body["terminated_on"] = c.day("terminated_on")
    return body, c


def form_page(
    request: Request,
    *,
    form: dict[str, Any],
    creating: bool,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"form": form, "creating": creating, "errors": errors or FormErrors()}
    return page(request, "pages/convention_form.html", context, status_code=status_code)


@router.get("/conventions/nouvelle", response_class=HTMLResponse)
async def new_convention(request: Request, _user: Writer) -> HTMLResponse:
    form = {"tacit_renewal": True, "renewal_months": "12", "notice_months": "3"}
    return form_page(request, form=form, creating=True)


@router.post("/conventions/nouvelle", response_class=HTMLResponse)
async def create_convention(request: Request, user: Writer) -> Response:
    form = await submitted(request, user)
    body, c = convention_body(form, creating=True)
    if c.errors:
        return form_page(request, form=form, creating=True, errors=c.errors, status_code=422)
    answer = await api(request, "POST", "/api/registry/conventions", json=body, headers=FRENCH)
    if answer.status_code != 201:
        errors = api_errors(answer, CONVENTION_FIELDS)
        return form_page(request, form=form, creating=True, errors=errors, status_code=422)
    return RedirectResponse(f"/conventions/{body['code']}", status_code=303)


async def detail_page(
    request: Request,
    code: str,
    *,
    amendment: tuple[dict[str, Any], FormErrors] | None = None,
    adhesion: tuple[dict[str, Any], FormErrors] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/registry/conventions/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    adhesions = await api(
        request, "GET", f"/api/registry/conventions/{code}/adhesions", params={"limit": "200"}
    )
    members = await api(request, "GET", "/api/registry/members", params={"limit": "200"})
    convention = shown(answer.json())
    user = request.state.user
    context = {
        "convention": convention,
        "amendments": [
            {**shown(a), "kind_label": AMENDMENT_KINDS.get(a["kind"], a["kind"])}
            for a in answer.json().get("amendments", [])
        ],
        "adhesions": [AdhesionRow.of(a) for a in adhesions.json().get("items", [])],
        "members": {m["code"]: m["name"] for m in members.json().get("items", [])},
        "amendment_kinds": AMENDMENT_KINDS,
        "amendment": amendment or ({"kind": "amendment"}, FormErrors()),
        "adhesion": adhesion or ({}, FormErrors()),
        "can_write": user.can("registry:write"),
    }
    return page(request, "pages/convention.html", context, status_code=status_code)


@router.get("/conventions/{code}", response_class=HTMLResponse)
async def convention_page(request: Request, _user: Reader, code: ConventionCode) -> HTMLResponse:
    return await detail_page(request, code)


@router.get("/conventions/{code}/modifier", response_class=HTMLResponse)
async def edit_convention(request: Request, _user: Writer, code: ConventionCode) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/registry/conventions/{code}")
    if answer.status_code != 200:
        return error_page(request, 404)
    return form_page(request, form=shown(answer.json()), creating=False)


@router.post("/conventions/{code}/modifier", response_class=HTMLResponse)
async def update_convention(request: Request, user: Writer, code: ConventionCode) -> Response:
    form = {**await submitted(request, user), "code": code}
    body, c = convention_body(form, creating=False)
    if c.errors:
        return form_page(request, form=form, creating=False, errors=c.errors, status_code=422)
    answer = await api(
        request, "PATCH", f"/api/registry/conventions/{code}", json=body, headers=FRENCH
    )
    if answer.status_code != 200:
        errors = api_errors(answer, CONVENTION_FIELDS)
        return form_page(request, form=form, creating=False, errors=errors, status_code=422)
    return RedirectResponse(f"/conventions/{code}", status_code=303)


@router.post("/conventions/{code}/avenants", response_class=HTMLResponse)
async def add_amendment(request: Request, user: Writer, code: ConventionCode) -> Response:
    form = await submitted(request, user)
    c = Checks(form)
    body = {
        "kind": c.choice("kind", AMENDMENT_KINDS),
        "reference": c.text("reference", required=True),
        "deliberated_on": c.day("deliberated_on"),
        "signed_on": c.day("signed_on"),
        "summary": c.text("summary", max_length=5000) or "",
        "extends_to": c.day("extends_to"),
    }
    if body["kind"] == "extension" and not form.get("extends_to"):
        c.fail("extends_to", "Une prorogation dit jusqu'à quand : indiquez la nouvelle fin.")
    errors = c.errors
    if not errors:
        answer = await api(
            request, "POST", f"/api/registry/conventions/{code}/amendments", json=body,
            headers=FRENCH,
        )  # fmt: skip
        if answer.status_code == 201:
            return RedirectResponse(f"/conventions/{code}#avenants", status_code=303)
        errors = api_errors(answer, AMENDMENT_FIELDS)
    return await detail_page(request, code, amendment=(form, errors), status_code=422)


def adhesion_body(form: dict[str, Any], *, creating: bool) -> tuple[dict[str, Any], Checks]:
    c = Checks(form)
    body = {
        "deliberation_ref": c.text("deliberation_ref"),
        "deliberated_on": c.day("deliberated_on"),
        "signed_on": c.day("signed_on"),
        "left_on": c.day("left_on"),
    }
    if creating:
        body["member_code"] = c.text("member_code", required=True, max_length=60)
    c.after("left_on", body["left_on"], body["signed_on"], "Le départ précède la signature.")
    return body, c


@router.post("/conventions/{code}/adhesions", response_class=HTMLResponse)
async def add_adhesion(request: Request, user: Writer, code: ConventionCode) -> Response:
    form = await submitted(request, user)
    body, c = adhesion_body(form, creating=True)
    errors = c.errors
    if not errors:
        answer = await api(
            request, "POST", f"/api/registry/conventions/{code}/adhesions", json=body,
            headers=FRENCH,
        )  # fmt: skip
        if answer.status_code == 201:
            return RedirectResponse(f"/conventions/{code}#adhesions", status_code=303)
        errors = api_errors(answer, ADHESION_FIELDS)
    return await detail_page(request, code, adhesion=(form, errors), status_code=422)


@router.get("/conventions/{code}/adhesions/{member}/modifier", response_class=HTMLResponse)
async def edit_adhesion(
    request: Request, _user: Writer, code: ConventionCode, member: Code
) -> HTMLResponse:
    answer = await api(request, "GET", f"/api/registry/members/{member}/adhesions")
    found = [a for a in answer.json().get("items", []) if a["convention_code"] == code]
    if answer.status_code != 200 or not found:
        return error_page(request, 404)
    return adhesion_page(request, code, member, form=shown(found[0]))


def adhesion_page(
    request: Request,
    code: str,
    member: str,
    *,
    form: dict[str, Any],
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"code": code, "member": member, "form": form, "errors": errors or FormErrors()}
    return page(request, "pages/convention_adhesion.html", context, status_code=status_code)


@router.post("/conventions/{code}/adhesions/{member}/modifier", response_class=HTMLResponse)
async def update_adhesion(
    request: Request, user: Writer, code: ConventionCode, member: Code
) -> Response:
    form = await submitted(request, user)
    body, c = adhesion_body(form, creating=False)
    errors = c.errors
    if not errors:
        answer = await api(
            request, "PATCH", f"/api/registry/conventions/{code}/adhesions/{member}", json=body,
            headers=FRENCH,
        )  # fmt: skip
        if answer.status_code == 200:
            return RedirectResponse(f"/conventions/{code}#adhesions", status_code=303)
        errors = api_errors(answer, ADHESION_FIELDS)
    return adhesion_page(request, code, member, form=form, errors=errors, status_code=422)
