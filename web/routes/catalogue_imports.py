"""Imports of cost lines and of usage (back office): a CSV or XLSX file, its template, a
simulation that stores nothing, and a report listing every error of every rejected row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from web.rendering import render
from web.routes.catalogue_data import UsageWriter, Writer, drivers, members
from web.session import User, api
from web.views.catalogue import LoadReport
from web.views.forms import FormErrors, check_csrf, problem_errors

router = APIRouter()
MAX_UPLOAD = 5 * 1024 * 1024
FIELDS = ("file", "source")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ImportKind:
    slug: str  # the page's path: /catalogue/<slug>/import
    title: str
    api_path: str
    template_path: str
    template_name: str
    default_source: str
    source_hint: str
    columns: list[tuple[str, str]]  # (column, what to put in it)


COSTS = ImportKind(
    "couts",
    "Import des coûts (dépenses de la DSIT)",
    "/api/catalogue/cost-line-imports",
    "/api/catalogue/cost-line-imports/template",
    "couts-modele",
    "logiciel-financier",
    "le logiciel financier d'où vient l'export (ex. : ciril, astre)",
    [
        ("reference", "n° de mandat ou de pièce : un nouvel import du même fichier met à jour"),
        ("composant", "code du composant (voir Composants du SI)"),
        ("exercice", "année ; vide : l'année de la date"),
        ("date", "date de la dépense (25/09/2026)"),
        ("section", "fonctionnement ou investissement"),
        ("nature", "acquisition, maintenance, licences, abonnement, hébergement, prestation"),
        ("montant", "en euros, virgule décimale acceptée (1 234,56)"),
        ("mode", "direct (clé de répartition) ou indirect (inducteur)"),
        ("inducteur", "code de l'inducteur, pour un coût indirect"),
        ("repartition", "pour un coût direct : nancy:3 | ludres:1"),
        ("amortissement", "années, pour un investissement amorti"),
        ("libelle", "libellé libre"),
    ],
)
USAGE = ImportKind(
    "usages",
    "Import des usages par inducteur",
    "/api/catalogue/usage-imports",
    "/api/catalogue/usage-imports/template",
    "usages-modele",
    "releve",
    "l'outil ou la personne qui a mesuré (ex. : supervision, releve-2026)",
    [
        ("exercice", "année de l'usage"),
        ("inducteur", "code de l'inducteur (voir Inducteurs)"),
        ("adherent", "code de l'adhérent (ex. : nancy)"),
        ("quantite", "virgule décimale acceptée (1 250,5)"),
        ("date", "date du relevé (31/12/2026), facultative"),
    ],
)


def import_page(
    request: Request,
    kind: ImportKind,
    *,
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    report: LoadReport | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "kind": kind,
        "form": form or {"source": kind.default_source, "dry_run": True},
        "errors": errors or FormErrors(),
        "report": report,
    }
    return render(
        request,
        "pages/catalogue_table_import.html",
        "partials/catalogue_import_report.html",
        context,
        status_code=status_code,
    )


async def template(request: Request, kind: ImportKind, file_format: str) -> Response:
    answer = await api(request, "GET", kind.template_path, params={"format": file_format})
    media = XLSX if file_format == "xlsx" else "text/csv; charset=utf-8"
    name = f"{kind.template_name}.{file_format}"
    return Response(
        answer.content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def upload(
    request: Request,
    user: User,
    kind: ImportKind,
    *,
    file: UploadFile | None,
    source: str,
    dry_run: str,
    csrf_token: str,
) -> HTMLResponse:
    check_csrf(request, user, csrf_token)
    form = {"source": source, "dry_run": bool(dry_run)}
    errors = FormErrors()
    content = await file.read(MAX_UPLOAD + 1) if file is not None else b""
    if not content:
        errors.fields["file"] = "Choisissez un fichier CSV ou XLSX (voir le modèle)."
    elif len(content) > MAX_UPLOAD:
        errors.fields["file"] = "Le fichier dépasse 5 Mo : découpez-le."
    source = source.strip().lower()
    if not source:
        errors.fields["source"] = f"Indiquez la source : {kind.source_hint}."
    elif not source.replace("-", "").replace("_", "").replace(".", "").isalnum():
        errors.fields["source"] = "Un code : minuscules, chiffres et tirets (ex. : ciril)."
    if errors:
        return import_page(request, kind, form=form, errors=errors, status_code=422)
    params = {"source": source}
    if dry_run:
        params["dry_run"] = "true"
    answer = await api(
        request,
        "POST",
        kind.api_path,
        params=params,
        content=content,
        headers={"Content-Type": XLSX if content.startswith(b"PK") else "text/csv"},
    )
    if answer.status_code != 200:
        errors = problem_errors(answer, FIELDS)
        return import_page(request, kind, form=form, errors=errors, status_code=422)
    names = {}
    if kind is USAGE:  # its rows are keyed by year, driver and member codes: name them
        names = {d.code: d.label for d in await drivers(request)} | await members(request)
    return import_page(request, kind, form=form, report=LoadReport.of(answer.json(), names))


Upload = Annotated[UploadFile | None, File()]
Source = Annotated[str, Form(max_length=80)]
Flag = Annotated[str, Form(max_length=10)]
Token = Annotated[str, Form(max_length=200)]


@router.get("/catalogue/couts/import", response_class=HTMLResponse)
async def costs_import_form(request: Request, _user: Writer) -> HTMLResponse:
    return import_page(request, COSTS)


@router.get("/catalogue/couts/import/modele.{file_format}")
async def costs_template(request: Request, file_format: str, _user: Writer) -> Response:
    return await template(request, COSTS, "xlsx" if file_format == "xlsx" else "csv")


@router.post("/catalogue/couts/import", response_class=HTMLResponse)
async def costs_import(
    request: Request,
    user: Writer,
    file: Upload = None,
    source: Source = "",
    dry_run: Flag = "",
    csrf_token: Token = "",
) -> HTMLResponse:
    return await upload(
        request, user, COSTS, file=file, source=source, dry_run=dry_run, csrf_token=csrf_token
    )


@router.get("/catalogue/usages/import", response_class=HTMLResponse)
async def usage_import_form(request: Request, _user: UsageWriter) -> HTMLResponse:
    return import_page(request, USAGE)


@router.get("/catalogue/usages/import/modele.{file_format}")
async def usage_template(request: Request, file_format: str, _user: UsageWriter) -> Response:
    return await template(request, USAGE, "xlsx" if file_format == "xlsx" else "csv")


@router.post("/catalogue/usages/import", response_class=HTMLResponse)
async def usage_import(
    request: Request,
    user: UsageWriter,
    file: Upload = None,
    source: Source = "",
    dry_run: Flag = "",
    csrf_token: Token = "",
) -> HTMLResponse:
    return await upload(
        request, user, USAGE, file=file, source=source, dry_run=dry_run, csrf_token=csrf_token
    )
