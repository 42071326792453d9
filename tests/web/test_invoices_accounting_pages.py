"""The finance officer's accounting pages: the exercice's budget and first numbers, the M57
accounts, the liquidation batches (export, numbers uploaded back), the proposals of mandate,
and the regularisation of a replaced final run — in French, with the API's rules."""

from __future__ import annotations

import html
import re
from typing import Any

from services.billing.invoices.deps import issuer_settings
from services.billing.invoices.settings import IssuerSettings
from tests.billing.upstream import YEAR, check
from tests.conftest import asgi_client
from tests.web.conftest import sign_in
from tests.web.test_billing_pages import csrf_of
from tests.web.test_invoices_pages import titles_web  # noqa: F401 - the fixture

__all__ = ["titles_web"]


async def test_the_budget_of_an_exercice_is_set_then_fixed_once_numbering_started(
    titles_web: dict[str, Any],
) -> None:
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/titres/comptabilite", params={"exercice": YEAR})
        token = csrf_of(page.text)
        form = {"csrf_token": token, "budget_code": "02", "budget_name": "Budget annexe SI",
                "first_title_number": "5000", "first_bordereau_number": "300"}  # fmt: skip
        empty = await client.post(f"/titres/comptabilite/{YEAR}/budget", data={"csrf_token": token})
        saved = await client.post(f"/titres/comptabilite/{YEAR}/budget", data=form)
        after = await client.get("/titres/comptabilite", params={"exercice": YEAR})
        titles_web["platform"].issued(titles_web["run_id"])
        fixed = await client.post(
            f"/titres/comptabilite/{YEAR}/budget", data={**form, "first_title_number": "6000"}
        )
    assert page.status_code == 200
    assert empty.status_code == 422
    assert "Indiquez le code du budget (CodBud), par exemple 01." in html.unescape(empty.text)
    assert "Indiquez un numéro entier, 1 ou plus." in empty.text
    assert saved.status_code == 303
    assert "Budget annexe SI (budget 02, paramétré)" in after.text
    assert "prochain numéro : 5000" in after.text
    assert fixed.status_code == 422
    assert "ne peuvent plus changer" in html.unescape(fixed.text)
    references = {t["reference"] for t in titles_web["platform"].titles(status="issued")}
    assert f"{YEAR}-02-005000" in references


async def test_an_account_is_changed_from_its_row_with_french_checks(
    titles_web: dict[str, Any],
) -> None:
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/titres/comptabilite", params={"exercice": YEAR})
        token = csrf_of(page.text)
        path = f"/titres/comptabilite/{YEAR}/imputations/commune/payroll"
        wrong = await client.post(
            path, data={"csrf_token": token, "nature": "7a", "function": "", "chapter": "70"}
        )
        saved = await client.post(
            path, data={"csrf_token": token, "nature": "70846", "function": "020", "chapter": "70"}
        )
    assert "Commune" in page.text
    assert "Quote-part de masse salariale" in page.text
    assert wrong.status_code == 422
    assert "Indiquez l'article par nature (2 à 10 chiffres)." in html.unescape(wrong.text)
    assert "Indiquez la fonction (chiffres)." in html.unescape(wrong.text)
    assert saved.status_code == 303
    accounts = check(titles_web["platform"].billing.get(f"/imputations/{YEAR}"))
    payroll = next(
        a for a in accounts if (a["debtor_kind"], a["line_kind"]) == ("commune", "payroll")
    )
    assert (payroll["nature"], payroll["function"], payroll["source"]) == (
        "70846",
        "020",
        "configured",
    )


async def test_a_batch_is_exported_and_its_numbers_uploaded_back(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.billing_app.dependency_overrides[issuer_settings] = lambda: IssuerSettings(
        numbering="financial_software"
    )
    result = check(platform.issue(titles_web["run_id"]))
    batch = result["liquidation_batch"]
    ids = [t["id"] for t in result["liquidated"]]
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        page = await client.get("/titres/comptabilite", params={"exercice": YEAR})
        export = await client.get(f"/titres/comptabilite/lots/{batch}.csv")
        token = csrf_of(page.text)
        url = f"/titres/comptabilite/lots/{batch}/numeros"
        nothing = await client.post(url, data={"csrf_token": token, "exercice": str(YEAR)})
        bad = await client.post(
            url,
            data={"csrf_token": token, "exercice": str(YEAR)},
            files={"fichier": ("numeros.csv", b"id,num\n1,2\n", "text/csv")},
        )
        rows = "identifiant;numero\r\n" + "".join(f"{i};{700 + n}\r\n" for n, i in enumerate(ids))
        done = await client.post(
            url,
            data={"csrf_token": token, "exercice": str(YEAR)},
            files={"fichier": ("numeros.csv", rows.encode(), "text/csv")},
        )
    assert batch in page.text
    assert export.headers["content-type"].startswith("text/csv")
    assert export.content.decode("utf-8-sig").startswith("identifiant;")
    assert "Choisissez le fichier des numéros" in html.unescape(nothing.text)
    assert "Aucun numéro n'a été enregistré" in html.unescape(bad.text)
    assert f"Lot {batch} : {len(ids)} titres émis avec leur numéro." in done.text
    numbers = sorted(t["number"] for t in platform.titles(status="issued"))
    assert numbers == list(range(700, 700 + len(ids)))


async def test_a_replaced_run_is_regularised_after_confirmation(
    titles_web: dict[str, Any],
) -> None:
    platform = titles_web["platform"]
    platform.issued(titles_web["run_id"])
    platform.workstations("nancy", 27)  # nancy had 25: the new final run shares differently
    run = platform.run("final", replacement_reason="Postes de Ludres recomptés")
    assert run["status"] == "succeeded", run
    async with asgi_client(titles_web["web"]) as client:
        await sign_in(client, "finance@dsit.test")
        run_page = await client.get(f"/facturation/calculs/{run['id']}")
        page = await client.get(f"/facturation/calculs/{run['id']}/regularisation")
        token = csrf_of(page.text)
        url = f"/facturation/calculs/{run['id']}/regularisation"
        unconfirmed = await client.post(url, data={"csrf_token": token, "reason": "court"})
        before = [t for t in platform.titles() if t["kind"] != "title"]
        done = await client.post(
            url,
            data={"csrf_token": token, "reason": "Postes de Ludres recomptés", "confirm": "1"},
        )
        after = await client.get(url)
    assert f'href="/facturation/calculs/{run["id"]}/regularisation"' in run_page.text
    table = page.text.split('id="regularisation"')[1].split("</table>")[0]
    assert table.count("<tr>") >= 2  # the header and a title at least
    assert re.search(r"(Réduction|Titre complémentaire) de \d", table)
    assert "Quote-part de masse salariale" in table
    assert unconfirmed.status_code == 422
    assert "Indiquez pourquoi le calcul a été remplacé" in unconfirmed.text
    assert "Cochez la case pour confirmer" in unconfirmed.text
    assert before == []  # nothing prepared before the confirmation
    assert re.search(r"\d+ corrections? préparées?", done.text)
    assert 'href="/titres/a-valider"' in done.text
    prepared = platform.titles(status="prepared")
    assert prepared
    assert 'id="rien-a-regulariser"' in after.text
