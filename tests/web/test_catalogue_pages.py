"""Catalogue pages on the real stack: offerings, components filtered in place, CSV import."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.conftest import asgi_client
from tests.gateway.helpers import bearer
from tests.web.conftest import sign_in

HEADER = (
    "external_id,code,name,kind,service_code,member_codes,in_service_on,end_of_support_on,"
    "retired_on\n"
)


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


async def seed(gateway: Any) -> None:
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@dsit.test")
        offering = {"code": "messagerie", "name": "Messagerie", "domain": "collaboration"}
        created = await client.post("/api/catalogue/services", json=offering, headers=admin)
        assert created.status_code == 201, created.text
        for code, kind in (("srv-mail", "server"), ("exchange", "application")):
            component = {
                "code": code,
                "name": code.upper(),
                "kind": kind,
                "service_code": "messagerie",
            }
            answer = await client.post("/api/catalogue/components", json=component, headers=admin)
            assert answer.status_code == 201, answer.text


async def upload(client: httpx.AsyncClient, content: str, **form: str) -> httpx.Response:
    page = await client.get("/catalogue/inventaire")
    data = {"source": "tableur", "mode": "upsert", "csrf_token": csrf_of(page.text), **form}
    files = {"file": ("inventaire.csv", content.encode(), "text/csv")}
    return await client.post("/catalogue/inventaire", data=data, files=files)


async def test_the_catalogue_lists_its_offerings(web_stack: dict[str, Any]) -> None:
    await seed(web_stack["gateway"])
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/catalogue")
    assert page.status_code == 200
    assert "Messagerie" in page.text
    assert '<a href="/catalogue" aria-current="page">Catalogue</a>' in page.text


async def test_components_filter_by_kind_as_an_htmx_fragment(web_stack: dict[str, Any]) -> None:
    await seed(web_stack["gateway"])
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        full = await client.get("/catalogue/composants")
        servers = await client.get(
            "/catalogue/composants?kind=server", headers={"HX-Request": "true"}
        )
    assert "SRV-MAIL" in full.text
    assert "EXCHANGE" in full.text
    assert servers.text.lstrip().startswith('<section id="composants"')
    assert "SRV-MAIL" in servers.text
    assert "EXCHANGE" not in servers.text


async def test_a_csv_import_reports_each_created_and_rejected_row(
    web_stack: dict[str, Any],
) -> None:
    content = HEADER + "SRV-1,,Serveur un,server,,,2021-03-01,,\nSRV-2,,Serveur deux,toaster,,,,,\n"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        report = await upload(client, content)
        components = await client.get("/catalogue/composants")
    assert report.status_code == 200
    assert "<strong>1</strong> créé" in report.text
    assert "<strong>1</strong> rejeté" in report.text
    rejected = report.text.split('<tr class="item-rejected">')[1].split("</tr>")[0]
    assert "<td>3</td>" in rejected
    assert "SRV-2" in rejected
    assert "Nature" in rejected
    assert "Serveur un" in components.text


async def test_a_dry_run_import_stores_nothing(web_stack: dict[str, Any]) -> None:
    content = HEADER + "SRV-9,,Serveur neuf,server,,,,,\n"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        report = await upload(client, content, dry_run="true")
        components = await client.get("/catalogue/composants")
    assert "Simulation : rien n'a été enregistré" in report.text
    assert "<strong>1</strong> créé" in report.text
    assert "Serveur neuf" not in components.text


async def test_an_import_without_file_nor_source_shows_errors_by_field(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        response = await upload(client, "", source="")
    assert response.status_code == 422
    assert 'id="file-erreur"' in response.text
    assert 'id="source-erreur"' in response.text


async def test_a_file_the_api_cannot_read_is_explained(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/catalogue/inventaire")
        response = await client.post(
            "/catalogue/inventaire",
            data={"source": "tableur", "csrf_token": csrf_of(page.text)},
            files={"file": ("x.csv", b"\xff\xfe not utf-8", "text/csv")},
        )
    assert response.status_code == 422
    assert "UTF-8" in response.text
    assert 'id="file-erreur"' in response.text


async def test_a_contact_cannot_open_the_catalogue_back_office(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        page = await client.get("/catalogue/composants")
        upload_page = await client.get("/catalogue/inventaire")
    assert page.status_code == 403
    assert upload_page.status_code == 403


# --- forms of the catalogue (services, components, drivers, cost lines, usage) -------------

YEAR = 2026


async def post_form(client: httpx.AsyncClient, page: str, action: str, **data: Any) -> Any:
    form = await client.get(page)
    assert form.status_code == 200, form.text
    return await client.post(action, data={"csrf_token": csrf_of(form.text), **data})


def error_of(page: str, field_id: str) -> str:
    return html_text(page.split(f'id="{field_id}-erreur">')[1].split("</span>")[0])


async def seed_costs(gateway: Any) -> None:
    """The offering and components of ``seed``, and a driver with its label."""
    await seed(gateway)
    async with asgi_client(gateway) as client:
        admin = await bearer(client, "admin@dsit.test")
        driver = {"code": "mail_accounts", "label": "Comptes de messagerie", "unit": "comptes"}
        answer = await client.post("/api/catalogue/drivers", json=driver, headers=admin)
        assert answer.status_code == 201, answer.text


async def test_a_service_is_created_and_edited_through_its_form(web_stack: dict[str, Any]) -> None:
    new = "/catalogue/services/nouveau"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(client, new, new, code="Mauvais Code", name="", domain="")
        created = await post_form(
            client,
            new,
            new,
            code="stockage",
            name="Stockage",
            domain="infrastructure",
            service_levels="Disponibilité : 99,5 % en heures ouvrées",
            status="active",
        )
        page = "/catalogue/services/stockage"
        edited = await post_form(
            client,
            page,
            page,
            name="Stockage et sauvegarde",
            domain="infrastructure",
            status="active",
            note="Sauvegarde ajoutée",
        )
        shown = await client.get(edited.headers["location"])
        listed = await client.get("/catalogue")
    assert refused.status_code == 422
    assert "Un code s'écrit en minuscules" in error_of(refused.text, "sv-code")
    assert error_of(refused.text, "sv-name") == "Obligatoire."
    assert created.status_code == 303
    assert edited.status_code == 303
    assert "Stockage et sauvegarde" in shown.text
    assert "Modifications enregistrées." in shown.text
    assert "Infrastructure" in listed.text
    assert ">infrastructure<" not in listed.text


async def test_a_member_subscribes_then_leaves_a_service(web_stack: dict[str, Any]) -> None:
    await seed(web_stack["gateway"])
    page = "/catalogue/services/messagerie"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        missing = await post_form(client, page, f"{page}/adherents", member_code="")
        bad_date = await post_form(
            client, page, f"{page}/adherents", member_code="ludres", since="31/02/2026"
        )
        await post_form(client, page, f"{page}/adherents", member_code="ludres", since="2026-01-01")
        subscribed = await client.get(page)
        await post_form(client, page, f"{page}/adherents/ludres/retrait")
        left = await client.get(page)
    assert error_of(missing.text, "ab-member_code") == "Choisissez l'adhérent qui s'abonne."
    assert "jj/mm/aaaa" in error_of(bad_date.text, "ab-since")
    assert '<th scope="row">Ludres</th><td>01/01/2026</td>' in subscribed.text
    assert "Aucun adhérent abonné." in left.text


async def test_a_component_is_created_edited_retired_and_shows_costs_and_members(
    web_stack: dict[str, Any],
) -> None:
    await seed_costs(web_stack["gateway"])
    new = "/catalogue/composants/nouveau"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(
            client,
            new,
            new,
            code="srv-fichiers",
            name="Serveur de fichiers",
            kind="server",
            in_service_on="01/03/2024",
            retired_on="01/01/2023",
        )
        duplicate = await post_form(
            client, new, new, code="exchange", name="Doublon", kind="application"
        )
        created = await client.post(
            new,
            data={
                "csrf_token": csrf_of((await client.get(new)).text),
                "code": "srv-fichiers",
                "name": "Serveur de fichiers",
                "kind": "server",
                "service_code": "messagerie",
                "in_service_on": "01/03/2024",
                "end_of_support_on": "2030-12-31",
                "member_codes": ["ludres", "nancy"],
            },
        )
        page = "/catalogue/composants/srv-fichiers"
        await post_form(
            client,
            "/catalogue/couts/nouveau",
            "/catalogue/couts/nouveau",
            component_code="srv-fichiers",
            fiscal_year=str(YEAR),
            section="operating",
            nature="hosting",
            amount="1 234,56",
            mode="indirect",
            driver_code="mail_accounts",
            label="Hébergement du serveur",
        )
        edited = await post_form(
            client,
            page,
            page,
            name="Serveur de fichiers (NAS)",
            kind="storage",
            service_code="messagerie",
            in_service_on="2024-03-01",
            member_codes="nancy",
        )
        shown = await client.get(page)
        await post_form(client, page, f"{page}/retrait")
        retired = await client.get(page)
    assert refused.status_code == 422
    assert error_of(refused.text, "cp-retired_on") == (
        "La date de retrait précède la mise en service."
    )
    assert error_of(duplicate.text, "cp-code") == "Ce code est déjà pris : choisissez-en un autre."
    assert created.status_code == 303, created.text
    assert edited.status_code == 303, edited.text
    assert "Serveur de fichiers (NAS)" in shown.text
    assert "Stockage" in shown.text
    assert "Exercice 2026 : 1\u202f234,56\u00a0€" in shown.text
    assert "Hébergement" in shown.text
    assert "Inducteur : Comptes de messagerie" in shown.text
    servis = shown.text.split('id="servis-titre"')[1].split("</section>")[0]
    assert "Nancy" in servis
    assert "Ludres" not in servis
    assert "Retiré" in retired.text


async def test_a_driver_is_created_with_its_label_and_edited(web_stack: dict[str, Any]) -> None:
    page = "/catalogue/inducteurs"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(client, page, page, code="stockage_go", label="", unit="")
        await post_form(client, page, page, code="stockage_go", label="Stockage", unit="Go")
        duplicate = await post_form(client, page, page, code="stockage_go", label="X", unit="Go")
        edit = f"{page}/stockage_go"
        await post_form(client, edit, edit, label="Stockage sauvegardé", unit="Go")
        listed = await client.get(page)
    assert error_of(refused.text, "in-label") == "Obligatoire."
    assert error_of(refused.text, "in-unit") == "Obligatoire."
    assert "déjà pris" in error_of(duplicate.text, "in-code")
    assert "Stockage sauvegardé" in listed.text


async def test_the_cost_line_form_checks_amounts_weights_and_drivers_in_french(
    web_stack: dict[str, Any],
) -> None:
    await seed_costs(web_stack["gateway"])
    new = "/catalogue/couts/nouveau"
    base = {"component_code": "exchange", "fiscal_year": str(YEAR), "section": "operating"}
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        bad = await post_form(
            client,
            new,
            new,
            **base,
            nature="licence",
            amount="12,345",
            mode="direct",
            depreciation_years="3",
        )
        no_driver = await post_form(
            client, new, new, **base, nature="licence", amount="100", mode="indirect"
        )
        created = await post_form(
            client,
            new,
            new,
            **base,
            nature="licence",
            amount="8 400,50",
            mode="direct",
            **{"weight-nancy": "3", "weight-ludres": "1,5"},
            label="Licences Exchange",
        )
        listed = await client.get(f"/catalogue/couts?exercice={YEAR}")
        line_id = re.findall(r'href="/catalogue/couts/(\d+)"', listed.text)[0]
        edit = f"/catalogue/couts/{line_id}"
        form = await client.get(edit)
        edited = await post_form(
            client,
            edit,
            edit,
            **base,
            nature="licence",
            amount="9 000",
            mode="direct",
            **{"weight-nancy": "3", "weight-ludres": ""},
            label="Licences Exchange",
        )
        after = await client.get(f"/catalogue/couts?exercice={YEAR}")
        await post_form(client, edit, f"{edit}/suppression")
        deleted = await client.get(f"/catalogue/couts?exercice={YEAR}")
    assert bad.status_code == 422
    assert error_of(bad.text, "cl-amount") == "2 décimales au plus."
    assert "Seul un investissement" in error_of(bad.text, "cl-depreciation_years")
    assert "clé de répartition" in error_of(bad.text, "cl-allocation")
    assert "inducteur" in error_of(no_driver.text, "cl-driver_code")
    assert created.status_code == 303, created.text
    assert "Licences" in listed.text
    assert ">licence<" not in listed.text
    assert "Fonctionnement" in listed.text
    assert "8\u202f400,50\u00a0€" in listed.text
    assert "Ludres : 1,5" in listed.text
    assert 'value="8400,50"' in form.text
    assert edited.status_code == 303
    assert "9\u202f000,00\u00a0€" in after.text
    assert "Ludres" not in after.text
    assert "Aucune ligne de coût pour cet exercice." in deleted.text


async def test_a_usage_is_recorded_and_corrected_through_the_form(
    web_stack: dict[str, Any],
) -> None:
    await seed_costs(web_stack["gateway"])
    page = f"/catalogue/usages?exercice={YEAR}&inducteur=mail_accounts"
    fields = {"exercice": str(YEAR), "inducteur": "mail_accounts"}
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(
            client, page, "/catalogue/usages", **fields, member_code="nancy", quantity="beaucoup"
        )
        await post_form(
            client,
            page,
            "/catalogue/usages",
            **fields,
            member_code="nancy",
            quantity="1 840,5",
            reference_date="31/12/2025",
        )
        shown = await client.get(page)
    assert "virgule" in error_of(refused.text, "us-quantity")
    assert '<th scope="row">Nancy</th><td class="num">1\u202f840,5</td><td>31/12/2025</td>' in (
        shown.text
    )
    assert "Comptes de messagerie" in shown.text


# --- imports of cost lines and usage --------------------------------------------------------

COSTS_HEADER = (
    "Référence;Composant;Exercice;Date;Section;Nature;Montant;Mode;Inducteur;Répartition\n"
)


async def import_file(
    client: httpx.AsyncClient, slug: str, content: bytes, name: str, **form: str
) -> httpx.Response:
    page = await client.get(f"/catalogue/{slug}/import")
    data = {"source": "ciril", "csrf_token": csrf_of(page.text), **form}
    files = {"file": (name, content, "application/octet-stream")}
    return await client.post(f"/catalogue/{slug}/import", data=data, files=files)


def rejected_rows(html: str) -> list[str]:
    return [part.split("</tr>")[0] for part in html.split('<tr class="item-rejected">')[1:]]


async def test_a_cost_import_simulation_stores_nothing_and_lists_every_error_of_a_row(
    web_stack: dict[str, Any],
) -> None:
    await seed_costs(web_stack["gateway"])
    content = COSTS_HEADER + (
        "M-1;exchange;;15/03/2026;Fonctionnement;Maintenance;1 234,56;indirect;mail_accounts;\n"
        "M-2;srv-mail;2026;;investissement;licences;2.500,10;direct;;nancy:3 | ludres:1\n"
        "M-3;inconnu;20X6;32/13/2026;sectionx;achat;douze;direct;mail_accounts;\n"
    )
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        simulated = await import_file(
            client, "couts", content.encode("cp1252"), "export.csv", dry_run="true"
        )
        before = await client.get(f"/catalogue/couts?exercice={YEAR}")
        imported = await import_file(client, "couts", content.encode(), "export.csv")
        after = await client.get(f"/catalogue/couts?exercice={YEAR}")
    assert simulated.status_code == 200, simulated.text
    assert "Simulation : rien n'a été enregistré" in simulated.text
    assert "<strong>2</strong> créés (si vous importez)" in simulated.text
    [row] = rejected_rows(simulated.text)
    assert "<td>4</td>" in row
    assert "M-3" in row
    for message in (
        "Composant : Composant « inconnu » inconnu",
        "Exercice : « 20X6 » n'est pas un nombre",
        "Date : « 32/13/2026 » n'est pas une date",
        "Section : « sectionx » inconnu",
        "Nature : « achat » inconnu",
        "Montant : « douze » n'est pas un nombre",
        "Inducteur : Un coût direct n'a pas d'inducteur",
        "Clé de répartition : Un coût direct a besoin de sa clé de répartition",
    ):
        assert message in html_text(row), (message, row)
    assert "Aucune ligne de coût pour cet exercice." in before.text
    assert "<strong>2</strong> créés" in imported.text
    assert "1\u202f234,56\u00a0€" in after.text
    assert "2\u202f500,10\u00a0€" in after.text
    assert "M-2" in after.text


def html_text(fragment: str) -> str:
    return html.unescape(fragment)


async def test_a_cost_import_reads_an_xlsx_workbook(web_stack: dict[str, Any]) -> None:
    import io

    from openpyxl import Workbook

    await seed_costs(web_stack["gateway"])
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "N° mandat",
            "Code composant",
            "Date mandat",
            "Section",
            "Nature",
            "Montant TTC",
            "Mode",
            "Inducteur",
            "Tiers",
        ]
    )
    sheet.append(
        [
            "M-9",
            "exchange",
            __import__("datetime").date(2026, 4, 2),
            "fonctionnement",
            "abonnement",
            1234.56,
            "indirect",
            "mail_accounts",
            "Microsoft",
        ]
    )
    out = io.BytesIO()
    book.save(out)
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        imported = await import_file(client, "couts", out.getvalue(), "export.xlsx")
        listed = await client.get(f"/catalogue/couts?exercice={YEAR}")
    assert "<strong>1</strong> créé" in imported.text, imported.text
    assert "Colonnes ignorées (inconnues du modèle) : tiers." in imported.text
    assert "Abonnement" in listed.text
    assert "1\u202f234,56\u00a0€" in listed.text


async def test_the_import_templates_download_in_csv_and_xlsx(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        costs_csv = await client.get("/catalogue/couts/import/modele.csv")
        costs_xlsx = await client.get("/catalogue/couts/import/modele.xlsx")
        usage_csv = await client.get("/catalogue/usages/import/modele.csv")
    assert costs_csv.headers["content-type"].startswith("text/csv")
    assert costs_csv.content.decode("utf-8-sig").startswith("reference;composant;exercice")
    assert "12 500,00" in costs_csv.content.decode("utf-8-sig")
    assert costs_xlsx.content.startswith(b"PK")
    assert "attachment" in costs_xlsx.headers["content-disposition"]
    assert usage_csv.content.decode("utf-8-sig").startswith("exercice;inducteur;adherent")


async def test_a_usage_import_reports_every_error_and_stores_the_good_rows(
    web_stack: dict[str, Any],
) -> None:
    await seed_costs(web_stack["gateway"])
    content = (
        "exercice;inducteur;adherent;quantite;date\n"
        "2026;mail_accounts;nancy;1 840;31/12/2025\n"
        "2026;mail_accounts;ludres;12,5;\n"
        "deux;inconnu;Pas Un Code;-4;hier\n"
    )
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        simulated = await import_file(
            client, "usages", content.encode(), "usages.csv", source="releve", dry_run="true"
        )
        imported = await import_file(
            client, "usages", content.encode(), "usages.csv", source="releve"
        )
        shown = await client.get(f"/catalogue/usages?exercice={YEAR}&inducteur=mail_accounts")
    assert "Simulation : rien n'a été enregistré" in simulated.text
    [row] = rejected_rows(simulated.text)
    text = html_text(row)
    for column in ("Exercice :", "Inducteur :", "Adhérent :", "Quantité :", "Date :"):
        assert column in text, (column, text)
    assert "<strong>2</strong> créés" in imported.text
    # each row named by its driver's label and its member's name, not their codes
    assert "mail_accounts" not in imported.text.split('id="rapport"')[1]
    assert ">2026 Comptes de messagerie Nancy<" in imported.text
    assert "1\u202f840" in shown.text
    assert "12,5" in shown.text


async def test_a_file_without_the_required_columns_is_refused_in_french(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await import_file(client, "couts", b"foo;bar\n1;2\n", "x.csv")
    assert refused.status_code == 422
    assert "Colonnes manquantes : reference, composant" in html_text(refused.text)


def test_the_pages_have_a_label_for_every_code_of_the_api() -> None:
    from services.catalogue import common, labels
    from web.views import catalogue_labels as web

    for literal, table, api_table in (
        (common.Nature, web.NATURES, labels.NATURES),
        (common.Section, web.SECTIONS, labels.SECTIONS),
        (common.Mode, web.MODES, labels.MODES),
        (common.ComponentKind, web.COMPONENT_KINDS, labels.COMPONENT_KINDS),
        (common.OfferingStatus, web.OFFERING_STATUSES, None),
    ):
        codes = set(literal.__args__)  # type: ignore[attr-defined]
        assert set(table) == codes
        if api_table is not None:
            assert set(api_table) == codes
