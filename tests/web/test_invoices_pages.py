"""Titres de recettes pages on the real stack (web → gateway → billing with its real registry
and catalogue, worked example of docs/billing.md, today = 1 June of the year): issuing from a
final run with the BP rule, forcing, the list and its filters, a title's page, corrections,
exports, and the member dashboard's titles — never another member's."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import httpx
import pytest
from facturx import get_facturx_xml_from_pdf
from markupsafe import escape
from openpyxl import load_workbook

from services.billing.invoices.signing import SigningSettings
from tests.billing.invoices_support import SIGNATORY, TitlesPlatform
from tests.billing.upstream import YEAR, check
from tests.conftest import asgi_client, sync_client
from tests.gateway.helpers import add_account
from tests.web.conftest import sign_in
from tests.web.test_billing_pages import csrf_of
from tests.web.test_dashboard_pages import contact
from web.app import create_app as create_web
from web.settings import WebSettings
from web.views.format import euros

REASON = "Convention de trésorerie : émission anticipée demandée par la commune"


@pytest.fixture
def titles_web(service_app: Any, make_gateway: Any) -> dict[str, Any]:
    platform = TitlesPlatform(service_app)
    platform.worked_example()
    for code in ("ludres", "nancy"):
        contact(platform, code)
    for code in ("ludres", "laxou"):  # nancy's BP is not voted: its titles wait
        platform.bp(code, f"{YEAR}-03-15")
    platform.forecast_made_available(f"{YEAR}-03-01")
    run = platform.run("final")
    apps = {
        "registry": platform.registry_app,
        "catalogue": platform.catalogue_app,
        "billing": platform.billing_app,
        "governance": service_app("governance"),
    }
    gateway = make_gateway(apps, registry_client=sync_client(apps["registry"]))
    add_account(gateway, "finance@dsit.test", roles=("finance",))
    add_account(gateway, "projets@dsit.test", roles=("project",))
    add_account(gateway, "admin@dsit.test", roles=("admin",))
    signer = add_account(gateway, "signataire@dsit.test", roles=("signatory",))
    check(platform.billing.post("/signatories", json={**SIGNATORY, "account_id": signer}))
    for code in ("ludres", "nancy"):
        add_account(gateway, f"referent@{code}.example", kind="contact", roles=())
    web = create_web(
        WebSettings(environment="test"), gateway_transport=httpx.ASGITransport(app=gateway)
    )
    return {"web": web, "platform": platform, "run_id": run["id"], "signer": signer}


async def validate_all(client: httpx.AsyncClient) -> httpx.Response:
    """The signatory's part: check everything in the parapheur, confirm, validate."""
    page = await client.get("/titres/a-valider")
    ids = re.findall(r'name="invoice_id" value="(\d+)"', page.text)
    data = {"csrf_token": csrf_of(page.text), "action": "valider", "invoice_id": ids}
    return await client.post("/titres/a-valider", data=data)


async def issue(client: httpx.AsyncClient, run_id: int, **form: str) -> httpx.Response:
    page = await client.get(f"/facturation/calculs/{run_id}/titres")
    data = {"csrf_token": csrf_of(page.text), **form}
    return await client.post(f"/facturation/calculs/{run_id}/titres", data=data)


def title_id(platform: TitlesPlatform, member: str, section: str = "operating") -> int:
    items = platform.titles(member_code=member, section=section)
    return int(next(t["id"] for t in items if t["kind"] == "title"))


async def test_the_run_page_offers_issuing_and_the_issue_page_shows_each_bp(
    titles_web: dict[str, Any],
) -> None:
    run_id = titles_web["run_id"]
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        run_page = await client.get(f"/facturation/calculs/{run_id}")
        page = await client.get(f"/facturation/calculs/{run_id}/titres")
    assert f'href="/facturation/calculs/{run_id}/titres"' in run_page.text
    assert "Règle du budget primitif" in page.text
    rows = re.findall(r"<th scope=\"row\">(\w+)</th>.*?data-bp=\"([\w-]+)\"", page.text, re.S)
    assert sorted(rows) == [("Laxou", "voted"), ("Ludres", "voted"), ("Nancy", "not-voted")]
    assert "voté le 15/03/" in page.text


async def test_finance_prepares_what_the_bp_rule_allows_and_sees_what_waits(
    titles_web: dict[str, Any],
) -> None:
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        answer = await issue(client, titles_web["run_id"])
    assert answer.status_code == 200
    prepared = answer.text.split('id="titres-prepares"')[1].split("</table>")[0]
    waiting = answer.text.split('id="titres-attente"')[1].split("</table>")[0]
    assert prepared.count("<tr>") == 1 + 4  # header, laxou and ludres in both sections
    assert waiting.count(">Nancy<") == 2  # named, as the registry names the member
    assert "budget primitif non voté" in waiting
    assert "4 titres préparés pour la signature, 2 en attente" in answer.text
    assert 'href="/titres/a-valider"' in answer.text
    assert titles_web["platform"].titles(status="issued") == []  # nothing issued yet


async def test_the_parapheur_says_in_french_why_the_signing_certificate_is_refused(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.billing_app.state.signing_settings = SigningSettings(demo=False)  # no key at all
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        await issue(client, titles_web["run_id"])
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "signataire@dsit.test")
        answer = await validate_all(client)
    alert = answer.text.split('id="validation-erreur">')[1].split("</p>")[0]
    assert "Aucun certificat de signature n&#39;est configuré pour Marie Exemple" in alert
    assert platform.titles(status="issued") == []


async def test_the_signatory_confirms_then_validates_and_the_titles_are_issued(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        await issue(client, titles_web["run_id"])
        finance_menu = (await client.get("/titres")).text
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "signataire@dsit.test")
        page = await client.get("/titres/a-valider")
        ids = re.findall(r'name="invoice_id" value="(\d+)"', page.text)
        token = csrf_of(page.text)
        form = {"csrf_token": token, "invoice_id": ids}
        nothing = await client.post(
            "/titres/a-valider", data={"csrf_token": token, "action": "verifier"}
        )
        confirm = await client.post("/titres/a-valider", data={**form, "action": "verifier"})
        assert platform.titles(status="issued") == []  # the confirmation issues nothing
        done = await client.post("/titres/a-valider", data={**form, "action": "valider"})
        after = await client.get("/titres/a-valider")
    assert 'href="/titres/a-valider"' not in finance_menu  # finance has no parapheur
    assert 'href="/titres/a-valider"' in page.text
    assert len(ids) == 4
    assert nothing.status_code == 422
    assert "Cochez au moins un titre." in nothing.text
    assert 'id="confirmation"' in confirm.text
    total = sum(Decimal(t["total"]) for t in platform.titles(status="prepared"))
    assert euros(str(total)) in confirm.text
    assert done.status_code == 200
    valid = done.text.split('id="titres-valides"')[1].split("</table>")[0]
    assert f"{YEAR}-01-000002" in valid  # laxou, operating
    assert f"{YEAR}-01-000003" in valid  # ludres, investment
    assert 'id="rien-a-valider"' in after.text
    issued = platform.titles(status="issued")
    assert len(issued) == 4
    assert {t["signatory"]["name"] for t in issued} == {"Marie Exemple"}
    assert {t["signatory"]["delegation"] for t in issued} == {SIGNATORY["delegation_reference"]}


async def test_the_signatory_refuses_with_a_reason_and_the_title_waits_again(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        await issue(client, titles_web["run_id"])
    one = title_id(platform, "laxou")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "signataire@dsit.test")
        page = await client.get("/titres/a-valider")
        form = {"csrf_token": csrf_of(page.text), "invoice_id": str(one)}
        short = await client.post("/titres/a-valider", data={**form, "action": "refuser"})
        why = "Montant à revoir avec la commune avant émission"
        refused = await client.post(
            "/titres/a-valider", data={**form, "action": "refuser", "reason": why}
        )
    assert short.status_code == 422
    assert 'id="refus-reason-erreur"' in short.text
    assert "1 titre renvoyé au service financier." in refused.text
    back = check(platform.billing.get(f"/invoices/{one}"))
    assert back["status"] == "ready"
    assert why in back["waiting_reason"]
    assert "Marie Exemple" in back["waiting_reason"]


async def test_the_register_of_signatories_has_its_form_in_french(
    titles_web: dict[str, Any],
) -> None:
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        page = await client.get("/signataires")
        token = csrf_of(page.text)
        empty = await client.post("/signataires", data={"csrf_token": token})
        entry = {"first_name": "Paul", "last_name": "Durand", "qualite": "Vice-président",
                 "delegation_reference": "arrêté n° 2026-200 du 2 février 2026",
                 "valid_from": "2026-02-02", "valid_to": "2026-01-01",
                 "account_id": str(titles_web["signer"]), "csrf_token": token}  # fmt: skip
        backwards = await client.post("/signataires", data=entry)
        saved = await client.post("/signataires", data={**entry, "valid_to": ""})
        listed = await client.get("/signataires")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        forbidden = await client.get("/signataires")
    assert "signataire@dsit.test" in page.text  # the accounts with the role are offered
    assert empty.status_code == 422
    for message in ("Indiquez le prénom.", "Indiquez la qualité.",
                    "Indiquez la date de début de la délégation.",
                    "Choisissez le compte avec lequel le signataire valide."):  # fmt: skip
        assert message in empty.text
    assert "La fin de la délégation précède son début." in backwards.text
    assert saved.status_code == 303
    assert "Paul Durand" in listed.text
    assert "du 02/02/2026 (sans terme)" in listed.text
    assert forbidden.status_code == 403


async def test_forcing_a_waiting_title_needs_a_reason_then_keeps_it(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        await issue(client, titles_web["run_id"])
        waiting = title_id(platform, "nancy")
        page = await client.get(f"/titres/{waiting}")
        form = {"force": "1", "csrf_token": csrf_of(page.text)}
        refused = await client.post(f"/titres/{waiting}/emission", data=form)
        forced = await client.post(
            f"/titres/{waiting}/emission", data={**form, "force_reason": REASON}
        )
        after = await client.get(f"/titres/{waiting}")
    assert 'data-status="ready"' in page.text
    assert "Préparer l'émission de ce titre" in page.text
    assert refused.status_code == 422
    assert 'id="emission-force_reason-erreur"' in refused.text
    assert forced.status_code == 303
    assert 'data-status="prepared"' in after.text
    assert "en attente de la validation d'un signataire" in after.text
    assert REASON in after.text


async def test_a_title_page_shows_debtor_imputation_basis_lines_and_documents(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    ludres = title_id(platform, "ludres")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get(f"/titres/{ludres}")
        fingerprint = await client.get(f"/titres/{ludres}/empreinte-pdf")
        pdf = await client.get(f"/titres/{ludres}/avis.pdf")
        pes = await client.get(f"/titres/{ludres}/pes.xml")
    text = page.text
    assert f"Titre {YEAR}-01-000004" in text
    assert "Débiteur" in text
    assert "Ludres" in text
    assert "70845" in text  # payroll share of a commune
    assert "20 postes × 100,00000000" in text  # the calculation basis
    assert "Plafond" in text
    assert euros("-250.00") in text
    assert "Voir la base" in text  # each line explained
    assert f'hx-get="/titres/{ludres}/empreinte-pdf"' in text
    assert f'href="/titres/{ludres}/factur-x.pdf"' in text
    bordereau = platform.billing.get(f"/invoices/{ludres}").json()["bordereau"]["id"]
    pes_sha = platform.billing.get(f"/bordereaux/{bordereau}").json()["sha256"]
    assert pes_sha in text
    signed = text.split('id="signature-pes">')[1].split("</span>")[0]
    assert signed.startswith("signé électroniquement (XAdES, politique Hélios) le ")
    assert signed.endswith(" par Marie Exemple")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["x-content-sha256"] in fingerprint.text
    assert pes.headers["x-content-sha256"] == pes_sha


async def test_a_reduction_is_saved_then_the_original_shows_its_balance(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    ludres = title_id(platform, "ludres")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get(f"/titres/{ludres}")
        form = {
            "kind": "reduction",
            "amount": "100,50",
            "line_kind": "payroll",
            "reason": "Erreur matérielle sur le nombre de postes",
            "csrf_token": csrf_of(page.text),
        }
        asked = await client.post(f"/titres/{ludres}/corrections", data=form)
        # nothing prepared before the confirmation
        assert [t for t in platform.titles() if t["kind"] != "title"] == []
        saved = await client.post(f"/titres/{ludres}/corrections", data={**form, "confirm": "1"})
        prepared = await client.get(saved.headers["location"])
        before = await client.get(f"/titres/{ludres}")
        check(platform.validate([int(saved.headers["location"].rsplit("/", 1)[1])]))
        original = await client.get(f"/titres/{ludres}")
    assert 'id="confirmer-correction"' in asked.text
    assert euros("100.50") in asked.text
    assert euros("1999.50") in asked.text.split('id="solde-apres"')[1]  # 2,100.00 − 100.50
    assert saved.status_code == 303
    assert saved.headers["location"] != f"/titres/{ludres}"  # the reduction's own page
    assert 'data-status="prepared"' in prepared.text
    assert euros("2100.00") in before.text.split("Solde dû")[-1]  # not issued yet
    assert "Réduction" in original.text
    assert "Erreur matérielle sur le nombre de postes" in original.text
    assert euros("1999.50") in original.text.split("Solde dû")[-1]  # 2,100.00 − 100.50


async def test_a_correction_beyond_the_balance_shows_the_error_next_to_the_amount(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    ludres = title_id(platform, "ludres")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get(f"/titres/{ludres}")
        base = {"csrf_token": csrf_of(page.text), "line_kind": "payroll"}
        too_much = await client.post(
            f"/titres/{ludres}/corrections",
            data={**base, "kind": "reduction", "amount": "5000", "reason": "Erreur de saisie x"},
        )
        no_reason = await client.post(
            f"/titres/{ludres}/corrections",
            data={**base, "kind": "reduction", "amount": "10", "reason": "court"},
        )
    assert too_much.status_code == 422
    assert 'id="correction-amount" name="amount" value="5000" aria-invalid="true"' in too_much.text
    assert 'id="correction-amount-erreur"' in too_much.text
    assert no_reason.status_code == 422
    assert 'id="correction-reason-erreur"' in no_reason.text
    assert len(platform.titles()) == 6  # nothing was added


async def test_the_list_filters_by_member_and_pages_without_reload(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        full = await client.get("/titres")
        partial = await client.get("/titres?member_code=ludres", headers={"HX-Request": "true"})
        waiting = await client.get("/titres?status=ready", headers={"HX-Request": "true"})
    assert '<a href="/titres" aria-current="page">Titres de recettes</a>' in full.text
    assert full.text.count('<th scope="row"><a href="/titres/') == 6
    assert partial.text.lstrip().startswith('<section id="titres-liste"')
    assert partial.text.count('<th scope="row"><a href="/titres/') == 2
    assert "Nancy" not in partial.text
    assert waiting.text.count('data-status="ready"') == 2


async def test_the_next_page_link_keeps_the_filters(titles_web: dict[str, Any]) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    for _ in range(25):  # complementary titles make a second page
        ludres = title_id(platform, "ludres")
        body = {"kind": "complementary", "amount": "1.00", "reason": "Supplément de test x",
                "lines": [{"line_kind": "payroll", "amount": "1.00"}]}  # fmt: skip
        check(platform.correct(ludres, **{**body}))  # fmt: skip
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        first = await client.get(f"/titres?fiscal_year={YEAR}", headers={"HX-Request": "true"})
        href = re.search(r'hx-get="(/titres\?[^"]+cursor=[^"]+)"', first.text)
        assert href is not None
        second = await client.get(href.group(1).replace("&amp;", "&"))
        back = re.search(r'<a href="([^"]+)"[^>]*>Page précédente', second.text)
        assert back is not None
        again = await client.get(back.group(1).replace("&amp;", "&"))
        found = await client.get("/titres", params={"reference": f"{YEAR}-01-000004"})
    assert f"fiscal_year={YEAR}&amp;cursor=" in first.text
    assert first.text.count('<th scope="row"><a href="/titres/') == 25
    assert "31 titres au total, 25 affichés, les plus récents d'abord" in first.text
    assert second.text.count('<th scope="row"><a href="/titres/') == 31 - 25
    assert "Page précédente" not in first.text
    assert ids_of(again.text) == ids_of(first.text)  # back to the first page
    assert ids_of(first.text) == sorted(ids_of(first.text), reverse=True)  # newest first
    assert found.text.count('<th scope="row"><a href="/titres/') == 1
    assert f"{YEAR}-01-000004" in found.text


def ids_of(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<th scope="row"><a href="/titres/(\d+)"', html)]


async def test_exports_pass_the_apis_csv_and_xlsx_through(titles_web: dict[str, Any]) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/titres")
        titles = await client.get(f"/titres/export/{YEAR}.csv")
        lines = await client.get(f"/titres/export/{YEAR}.csv?partie=lignes")
        book = await client.get(f"/titres/export/{YEAR}.xlsx")
    assert f'href="/titres/export/{YEAR}.xlsx"' in page.text
    rows = list(csv.reader(io.StringIO(titles.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 6
    assert titles.content == platform.billing.get(f"/invoices/export/{YEAR}.csv").content
    assert lines.content.decode("utf-8-sig").startswith("Identifiant;Exercice;Budget;Bordereau;")
    sheets = load_workbook(io.BytesIO(book.content)).sheetnames
    assert sheets == ["Titres", "Lignes"]


async def test_a_reader_without_issue_rights_sees_titles_but_no_forms(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    ludres = title_id(platform, "ludres")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "projets@dsit.test")
        page = await client.get(f"/titres/{ludres}")
        issue_page = await client.get(f"/facturation/calculs/{titles_web['run_id']}/titres")
        post = await client.post(
            f"/titres/{ludres}/corrections",
            data={"kind": "cancellation", "reason": "x" * 20, "csrf_token": csrf_of(page.text)},
        )
    assert page.status_code == 200
    assert "Corriger ce titre" not in page.text
    assert issue_page.status_code == 403
    assert post.status_code == 403


async def test_a_contact_reads_its_titles_with_lines_and_downloads_the_pdf(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    ludres = title_id(platform, "ludres")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        board = await client.get("/tableau-de-bord")
        pdf = await client.get(f"/tableau-de-bord/titres/{ludres}/avis.pdf")
        facturx = await client.get(f"/tableau-de-bord/titres/{ludres}/factur-x.pdf")
    assert f"{YEAR}-01-000004" in board.text
    assert f'href="/tableau-de-bord/titres/{ludres}/avis.pdf"' in board.text
    assert "Explication des lignes du titre" in board.text
    assert f'href="/tableau-de-bord/titres/{ludres}/factur-x.pdf"' in board.text
    assert pdf.content.startswith(b"%PDF")
    filename, xml = get_facturx_xml_from_pdf(facturx.content, check_xsd=True)
    assert filename == "factur-x.xml"  # the EN 16931 XML is embedded
    assert f"{YEAR}-01-000004".encode() in xml


async def test_another_members_contact_neither_sees_nor_opens_those_titles(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    ludres = title_id(platform, "ludres")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "referent@nancy.example")
        board = await client.get("/tableau-de-bord")
        pdf = await client.get(f"/tableau-de-bord/titres/{ludres}/avis.pdf")
        facturx = await client.get(f"/tableau-de-bord/titres/{ludres}/factur-x.pdf")
        staff_page = await client.get(f"/titres/{ludres}")
    assert "-01-000004" not in board.text
    assert "Aucun titre de recettes" in board.text  # nancy's titles still wait for its BP
    assert pdf.status_code == 404
    assert facturx.status_code == 404
    assert staff_page.status_code == 403


async def test_a_forecast_run_offers_no_issuing(titles_web: dict[str, Any]) -> None:
    forecast = titles_web["platform"].run("forecast")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        run_page = await client.get(f"/facturation/calculs/{forecast['id']}")
        page = await client.get(f"/facturation/calculs/{forecast['id']}/titres")
        posted = await client.post(
            f"/facturation/calculs/{forecast['id']}/titres",
            data={"csrf_token": csrf_of(page.text)},
        )
    assert "Émettre les titres</a>" not in run_page.text
    assert "Seul le calcul définitif en vigueur" in page.text
    assert 'action="/facturation/calculs/' not in page.text
    assert posted.status_code == 422
    refused = titles_web["platform"].billing.post(
        f"/runs/{forecast['id']}/issue", json={}, headers={"Accept-Language": "fr"}
    )
    assert refused.headers["content-language"] == "fr"
    detail = refused.json()["detail"]
    assert detail.startswith("Seul le calcul définitif en vigueur")
    assert f'id="emission-erreur">{escape(detail)}<' in posted.text  # the API's reason
    assert titles_web["platform"].titles() == []


async def test_the_member_reads_what_it_pays_this_year_and_when(
    titles_web: dict[str, Any],
) -> None:
    """Titles of past services issued today are paid from this year's budget: the top of the
    dashboard says how much is left to pay, title by title, and how to pay; prepared titles
    (not validated yet) are not shown."""
    platform = titles_web["platform"]
    this_year = dt.date.today().year
    platform.set_today(dt.date.today())
    platform.bp("ludres", f"{this_year}-01-15", year=this_year)
    body = check(platform.prepare(titles_web["run_id"], members=["ludres"]))
    ludres_ids = [t["id"] for t in body["prepared"]]
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        before = await client.get("/tableau-de-bord")
        check(platform.validate(ludres_ids))
        issued = platform.titles(member_code="ludres", status="issued")
        check(
            platform.correct(
                next(t["id"] for t in issued if t["section"] == "investment"),
                kind="reduction",
                amount="33.33",
                reason="Erreur matérielle sur la clé de répartition",
            )
        )
        after = await client.get("/tableau-de-bord")
    assert 'id="a-payer"' not in before.text
    assert 'id="mes-titres"' not in before.text  # prepared is not issued
    section = after.text.split('id="a-payer"')[1].split("</section>")[0]
    assert f"Ce que vous payez en {this_year}, et quand" in section
    # 2,100.00 operating + 333.33 investment − 33.33 reduced
    assert euros("2400.00") in section
    assert "virement au Trésor public" in section
    assert section.count("<li>") == 2
