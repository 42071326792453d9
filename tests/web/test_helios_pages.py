"""The Hélios follow-up pages on the real stack (web → gateway → billing): a bordereau marked
as sent after a confirmation, an acquit for the demo's bordereaux (one taken, one rejected with
an error, one unknown) uploaded with a confirmation, the rejected one sent again, a payments
CSV turning titles paid, visible on the member's dashboard, and overdue titles with their age."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from services.billing.engine.money import fmt, to_cents
from tests.billing.helios_support import acquit
from tests.billing.upstream import YEAR, check
from tests.conftest import asgi_client
from tests.web.conftest import sign_in
from tests.web.test_billing_pages import csrf_of
from tests.web.test_invoices_pages import titles_web  # noqa: F401 - the fixture
from web.views.format import euros

SIRET_ERROR = ("ERREUR_SIRET", "SIRET DU DEBITEUR INCONNU")


def bordereaux(titles_web: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: F811
    """Finance prepared, the signatory validated in two goes: two bordereaux."""
    platform = titles_web["platform"]
    ids = sorted(t["id"] for t in check(platform.prepare(titles_web["run_id"]))["prepared"])
    made = []
    for part in (ids[:2], ids[2:]):
        made += check(platform.validate(part))["bordereaux"]
    return made


def comma(amount: str) -> str:
    """``"1234.50"`` → ``"1234,50"`` (a French spreadsheet's amount)."""
    return amount.replace(".", ",")


def text(page: Any) -> str:
    return html.unescape(page.text)


async def test_finance_follows_a_bordereau_to_hélios_and_back(
    titles_web: dict[str, Any],  # noqa: F811
) -> None:
    taken, rejected = bordereaux(titles_web)
    ghost = {**taken, "number": 77}
    xml = acquit([(taken, True, []), (rejected, False, [SIRET_ERROR]), (ghost, True, [])])
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/titres/helios")
        confirm = await client.get(f"/titres/helios/bordereaux/{taken['id']}/transmis")
        sent = await client.post(
            f"/titres/helios/bordereaux/{taken['id']}/transmis",
            data={"csrf_token": csrf_of(confirm.text)},
        )
        after_sent = await client.get(sent.headers["location"])
        token = csrf_of(after_sent.text)
        files = {"fichier": ("acquit.xml", xml, "application/xml")}
        unconfirmed = await client.post(
            "/titres/helios/acquits", data={"csrf_token": token}, files=files
        )
        applied = await client.post(
            "/titres/helios/acquits",
            data={"csrf_token": token, "confirmation": "oui"},
            files=files,
        )
        rejected_titles = await client.get("/titres", params={"state": "rejected"})
        rejected_title = await client.get(f"/titres/{rejected['invoice_ids'][0]}")
        finance_page = await client.get("/titres/helios")
        finance_resend = await client.get(f"/titres/helios/bordereaux/{rejected['id']}/renvoi")
    async with asgi_client(titles_web["web"]) as client:  # a new file: the signatory signs it
        await sign_in(client, "signataire@dsit.test")
        resend = await client.get(f"/titres/helios/bordereaux/{rejected['id']}/renvoi")
        resent = await client.post(
            f"/titres/helios/bordereaux/{rejected['id']}/renvoi",
            data={"csrf_token": csrf_of(resend.text)},
        )
        after_resent = await client.get(resent.headers["location"])
    assert page.status_code == 200
    assert text(page).count('data-state="signed">Signé<') == 2
    assert f'href="/titres/helios/bordereaux/{taken["id"]}/pes.xml"' in page.text
    assert "Vous confirmez avoir déposé ce fichier PES" in text(confirm)
    assert sent.status_code == 303
    assert f"Bordereau n° {taken['number']} marqué comme transmis." in text(after_sent)
    assert 'data-state="sent">Transmis<' in after_sent.text
    assert unconfirmed.status_code == 422
    assert "Cochez la confirmation" in text(unconfirmed)
    assert 'id="acquit-elements"' not in unconfirmed.text  # nothing applied unconfirmed
    report = text(applied).split('id="acquit-elements"')[1].split("</table>")[0]
    assert [o in report for o in ("Pris en charge", "Rejeté", "Inconnu de Mutualis")] == [True] * 3
    assert "ERREUR_SIRET — SIRET DU DEBITEUR INCONNU" in report
    assert "Le SIRET de la collectivité (IdColl) est inconnu ou erroné." in report
    assert "bordereau 77 de l'exercice" in report
    listed = text(rejected_titles).split('id="titres-liste"')[1]
    assert listed.count('data-state="rejected"') == 2
    errors = text(rejected_title).split('id="erreurs-helios"')[1].split("</ul>")[0]
    assert "ERREUR_SIRET — SIRET DU DEBITEUR INCONNU" in errors
    assert finance_resend.status_code == 403
    assert "Renvoyer sur un nouveau bordereau" not in finance_page.text  # the signatory's
    assert "Les pièces de ce bordereau rejeté gardent leur numéro" in text(resend)
    assert 'action="/titres/helios/acquits"' not in after_resent.text  # finance's work
    assert "Pièces renvoyées sur le bordereau n° 3" in text(after_resent)
    assert "renvoi d'un bordereau rejeté" in text(after_resent)


async def test_a_payments_csv_shows_on_the_member_dashboard_and_overdue_titles_are_listed(
    titles_web: dict[str, Any],  # noqa: F811
) -> None:
    platform = titles_web["platform"]
    today = dt.date.today()  # the dashboard shows what is paid on this year's budget
    platform.set_today(today)
    for code in ("ludres", "laxou"):
        platform.bp(code, f"{today.year}-01-15", year=today.year)
    bordereaux(titles_web)
    ludres = [t for t in platform.titles(member_code="ludres") if t["kind"] == "title"]
    paid_in_full, partly = ludres
    half = to_cents(partly["total"]) // 2
    rows = [
        f"{today.year};{paid_in_full['number']};25/06/{YEAR};{comma(paid_in_full['total'])};V1",
        f"{today.year};{partly['number']};26/06/{YEAR};{comma(fmt(half))};V2",
        f"{today.year};999;26/06/{YEAR};1,00;V3",
    ]
    content = ("exercice;titre;date;montant;reference\n" + "\n".join(rows)).encode()
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/titres/helios")
        imported = await client.post(
            "/titres/helios/encaissements",
            data={"csrf_token": csrf_of(page.text)},
            files={"fichier": ("encaissements.csv", content, "text/csv")},
        )
        title_page = await client.get(f"/titres/{partly['id']}")
        platform.set_today(today + dt.timedelta(days=61))
        late = await client.get("/titres/helios")
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "referent@ludres.example")
        dashboard = await client.get("/tableau-de-bord")
    result = text(imported).split('id="encaissements-resultat"')[1].split("</div>")[0]
    assert "2 encaissements enregistrés, 0 déjà connu, 1 refusé." in result
    assert "Ligne 4 : Aucun titre n° 999" in result
    assert "Partiellement payé" in text(title_page)
    assert euros(fmt(half)) in text(title_page)
    owed = to_cents(partly["total"]) - half
    section = text(dashboard).split('id="a-payer"')[1].split("</section>")[0]
    assert euros(fmt(owed)) in section.split('id="reste-a-payer"')[1]
    paid = fmt(to_cents(paid_in_full["total"]) + half)
    assert f"déjà payé (encaissements reçus du comptable public) : {euros(paid)}" in section
    assert "— partiellement payé" in section
    assert section.count("— payé") == 1
    overdue = text(late).split('id="retards"')[1].split("</table>")[0]
    assert overdue.count("<tr>") == 1 + 3  # laxou's two titles and ludres' half-paid one
    assert "61 jours" in overdue
    assert paid_in_full["reference"] not in overdue
