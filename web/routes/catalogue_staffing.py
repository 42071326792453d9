"""Références de personnel (back office): the reference yearly employer costs per profile and,
per catalogue service, the share of a post a body needs by size; lists, forms, confirmations
of deletion. The member's comparison with hiring its own staff is computed from them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.rendering import render
from web.routes.catalogue import missing
from web.routes.catalogue_data import Reader, Writer, items, notice, offerings, posted
from web.session import api
from web.views.catalogue_forms import catalogue_errors
from web.views.catalogue_staffing import (
    NEED_FIELDS,
    PROFILE_FIELDS,
    NeedRow,
    ProfileRow,
    need_body,
    profile_body,
)
from web.views.forms import FormErrors

router = APIRouter()
BASE = "/catalogue/personnel"
ProfileCode = Annotated[str, Path(max_length=80, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
NeedId = Annotated[int, Path(ge=1, le=2**31)]
EMPTY_PROFILE = {"code": "", "label": "", "yearly_cost": "", "reference_year": "",
                 "source": "", "min_fte": "0,5", "description": ""}  # fmt: skip
EMPTY_NEED = {"service_code": "", "profile_code": "", "min_workstations": "0", "fte": "",
              "note": ""}  # fmt: skip


async def profiles(request: Request) -> list[ProfileRow]:
    return [ProfileRow.of(p) for p in await items(request, "/api/catalogue/staffing/profiles")]


async def needs(request: Request) -> list[NeedRow]:
    rows = [NeedRow.of(n) for n in await items(request, "/api/catalogue/staffing/needs")]
    return sorted(rows, key=lambda n: (n.service_name.lower(), n.profile_label, n.min_workstations))


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    template = f"pages/{name}.html"
    return render(request, template, template, context, status_code=status)


@router.get(BASE, response_class=HTMLResponse)
async def staffing_page(request: Request, user: Reader) -> HTMLResponse:
    context = {
        "profiles": await profiles(request),
        "needs": await needs(request),
        "can_write": user.can("catalogue:write"),
        "notice": notice(request),
    }
    return page(request, "catalogue_staffing", context)


# --- profiles ----------------------------------------------------------------------------------


async def profile_page(
    request: Request,
    *,
    profile: ProfileRow | None,
    form: dict[str, str],
    errors: FormErrors | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {"profile": profile, "form": form, "errors": errors or FormErrors()}
    return page(request, "catalogue_staffing_profile", context, status)


async def get_profile(request: Request, code: str) -> ProfileRow | None:
    answer = await api(request, "GET", f"/api/catalogue/staffing/profiles/{code}")
    return ProfileRow.of(answer.json()) if answer.status_code == 200 else None


@router.get(f"{BASE}/profils/nouveau", response_class=HTMLResponse)
async def new_profile_form(request: Request, _user: Writer) -> HTMLResponse:
    return await profile_page(request, profile=None, form=dict(EMPTY_PROFILE))


@router.post(f"{BASE}/profils", response_class=HTMLResponse, response_model=None)
async def create_profile(request: Request, user: Writer) -> Response:
    form, _ = await posted(request, user)
    body, errors = profile_body(form, creating=True)
    if not errors:
        answer = await api(request, "POST", "/api/catalogue/staffing/profiles", json=body)
        if answer.status_code == 201:
            return RedirectResponse(f"{BASE}?cree", status_code=303)
        errors = catalogue_errors(answer, PROFILE_FIELDS)
    return await profile_page(request, profile=None, form=form, errors=errors, status=422)


@router.get(f"{BASE}/profils/{{code}}", response_class=HTMLResponse)
async def edit_profile_form(request: Request, code: ProfileCode, _user: Writer) -> HTMLResponse:
    profile = await get_profile(request, code)
    if profile is None:
        return missing(request, "Ce profil n'existe pas.")
    return await profile_page(request, profile=profile, form=profile.form())


@router.post(f"{BASE}/profils/{{code}}", response_class=HTMLResponse, response_model=None)
async def update_profile(request: Request, code: ProfileCode, user: Writer) -> Response:
    profile = await get_profile(request, code)
    if profile is None:
        return missing(request, "Ce profil n'existe pas.")
    form, _ = await posted(request, user)
    body, errors = profile_body(form, creating=False)
    if not errors:
        path = f"/api/catalogue/staffing/profiles/{code}"
        answer = await api(request, "PATCH", path, json=body)
        if answer.status_code == 200:
            return RedirectResponse(f"{BASE}?modifie", status_code=303)
        errors = catalogue_errors(answer, PROFILE_FIELDS)
    form = {**form, "code": code}
    return await profile_page(request, profile=profile, form=form, errors=errors, status=422)


def confirm_page(
    request: Request, *, what: str, action: str, consequence: str, error: str = ""
) -> HTMLResponse:
    context = {"what": what, "action": action, "consequence": consequence, "error": error}
    return page(request, "catalogue_staffing_confirm", context, 409 if error else 200)


@router.get(f"{BASE}/profils/{{code}}/suppression", response_class=HTMLResponse)
async def confirm_profile_deletion(
    request: Request, code: ProfileCode, _user: Writer
) -> HTMLResponse:
    profile = await get_profile(request, code)
    if profile is None:
        return missing(request, "Ce profil n'existe pas.")
    return confirm_page(
        request,
        what=f"le profil « {profile.label} »",
        action=f"{BASE}/profils/{code}/suppression",
        consequence="Les comparaisons avec un recrutement en propre ne le compteront plus.",
    )


@router.post(
    f"{BASE}/profils/{{code}}/suppression", response_class=HTMLResponse, response_model=None
)
async def delete_profile(request: Request, code: ProfileCode, user: Writer) -> Response:
    await posted(request, user)
    profile = await get_profile(request, code)
    if profile is None:
        return missing(request, "Ce profil n'existe pas.")
    answer = await api(request, "DELETE", f"/api/catalogue/staffing/profiles/{code}")
    if answer.status_code == 204:
        return RedirectResponse(f"{BASE}?supprime", status_code=303)
    return confirm_page(
        request,
        what=f"le profil « {profile.label} »",
        action=f"{BASE}/profils/{code}/suppression",
        consequence="",
        error=catalogue_errors(answer, ()).message or "La suppression a été refusée.",
    )


# --- needs -------------------------------------------------------------------------------------


async def need_page(
    request: Request,
    *,
    need: NeedRow | None,
    form: dict[str, str],
    errors: FormErrors | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "need": need,
        "form": form,
        "errors": errors or FormErrors(),
        "services": {o.code: o.name for o in await offerings(request)},
        "profiles": {p.code: p.label for p in await profiles(request)},
    }
    return page(request, "catalogue_staffing_need", context, status)


async def get_need(request: Request, need_id: int) -> NeedRow | None:
    answer = await api(request, "GET", f"/api/catalogue/staffing/needs/{need_id}")
    return NeedRow.of(answer.json()) if answer.status_code == 200 else None


@router.get(f"{BASE}/besoins/nouveau", response_class=HTMLResponse)
async def new_need_form(request: Request, _user: Writer) -> HTMLResponse:
    form = {**EMPTY_NEED, "service_code": request.query_params.get("service", "")}
    return await need_page(request, need=None, form=form)


@router.post(f"{BASE}/besoins", response_class=HTMLResponse, response_model=None)
async def create_need(request: Request, user: Writer) -> Response:
    form, _ = await posted(request, user)
    body, errors = need_body(form, creating=True)
    if not errors:
        answer = await api(request, "POST", "/api/catalogue/staffing/needs", json=body)
        if answer.status_code == 201:
            return RedirectResponse(f"{BASE}?cree", status_code=303)
        errors = catalogue_errors(answer, NEED_FIELDS)
    return await need_page(request, need=None, form=form, errors=errors, status=422)


@router.get(f"{BASE}/besoins/{{need_id}}", response_class=HTMLResponse)
async def edit_need_form(request: Request, need_id: NeedId, _user: Writer) -> HTMLResponse:
    need = await get_need(request, need_id)
    if need is None:
        return missing(request, "Ce besoin n'existe pas.")
    return await need_page(request, need=need, form=need.form())


@router.post(f"{BASE}/besoins/{{need_id}}", response_class=HTMLResponse, response_model=None)
async def update_need(request: Request, need_id: NeedId, user: Writer) -> Response:
    need = await get_need(request, need_id)
    if need is None:
        return missing(request, "Ce besoin n'existe pas.")
    form, _ = await posted(request, user)
    body, errors = need_body(form, creating=False)
    if not errors:
        path = f"/api/catalogue/staffing/needs/{need_id}"
        answer = await api(request, "PATCH", path, json=body)
        if answer.status_code == 200:
            return RedirectResponse(f"{BASE}?modifie", status_code=303)
        errors = catalogue_errors(answer, NEED_FIELDS)
    form = {**form, "service_code": need.service_code, "profile_code": need.profile_code}
    return await need_page(request, need=need, form=form, errors=errors, status=422)


def need_label(need: NeedRow) -> str:
    return (
        f"le besoin de « {need.profile_label} » pour « {need.service_name} » "
        f"(à partir de {need.min_workstations} postes)"
    )


@router.get(f"{BASE}/besoins/{{need_id}}/suppression", response_class=HTMLResponse)
async def confirm_need_deletion(request: Request, need_id: NeedId, _user: Writer) -> HTMLResponse:
    need = await get_need(request, need_id)
    if need is None:
        return missing(request, "Ce besoin n'existe pas.")
    return confirm_page(
        request,
        what=need_label(need),
        action=f"{BASE}/besoins/{need_id}/suppression",
        consequence="Les comparaisons avec un recrutement en propre ne le compteront plus.",
    )


@router.post(
    f"{BASE}/besoins/{{need_id}}/suppression", response_class=HTMLResponse, response_model=None
)
async def delete_need(request: Request, need_id: NeedId, user: Writer) -> Response:
    await posted(request, user)
    await api(request, "DELETE", f"/api/catalogue/staffing/needs/{need_id}")
    return RedirectResponse(f"{BASE}?supprime", status_code=303)
