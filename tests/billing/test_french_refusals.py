"""Billing's refusals in French for a French reader (``Accept-Language: fr``), in English
otherwise: runs, the imported history, the register of signatories and the revenue titles
(issuing, corrections, liquidation batches), through the real apps."""

from __future__ import annotations

from typing import Any

import httpx

from tests.billing.invoices_support import SIGNATORY, TitlesPlatform
from tests.billing.upstream import YEAR, Platform
from tests.conftest import as_admin, asgi_client
from tests.french import FRENCH, both, in_english, in_french, messages

REASON = "Erreur matérielle : nombre de postes de travail mal saisi"


async def test_runs_are_refused_in_french(service_app: Any) -> None:
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        fr_reason, en_reason = await both(
            client,
            "POST",
            "/runs",
            json={"fiscal_year": 2030, "kind": "forecast", "replacement_reason": "Une erreur"},
        )
        fr_year, en_year = await both(
            client, "POST", "/runs", json={"fiscal_year": 2030, "kind": "forecast"}
        )
        fr_missing, en_missing = await both(client, "GET", "/runs/999")
    assert fr_reason.status_code == 422
    assert list(messages(in_french(fr_reason)).values()) == [
        "Un motif de remplacement ne se donne qu'à un calcul définitif."
    ]
    assert "replacement_reason is for final runs only" in str(in_english(en_reason)["errors"])
    assert fr_year.status_code == 409
    assert in_french(fr_year)["detail"] == (
        "L'exercice 2030 n'est pas paramétré : renseignez son enveloppe de masse salariale et "
        "son plafond avant de lancer un calcul."
    )
    assert in_english(en_year)["detail"].startswith("The fiscal year 2030 has no parameters")
    assert in_french(fr_missing)["detail"] == "Le calcul n° 999 n'existe pas."
    assert in_english(en_missing)["detail"] == "No run 999."


async def test_the_history_and_its_import_report_speak_french(service_app: Any) -> None:
    rows = "fiscal_year,member_code,operating_total\n2023,ludres,abc\n2023,ludres,-5\n"
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        fr_year, en_year = await both(
            client, "PUT", "/history/2030/ludres", json={"operating_total": "1.00"}
        )
        fr_report, en_report = await both(client, "POST", "/history/import", content=rows.encode())
        fr_columns, en_columns = await both(
            client, "POST", "/history/import", content=b"year;code\n2023;ludres\n"
        )
        fr_encoding, _ = await both(
            client, "POST", "/history/import", content="2023;é".encode("latin-1")
        )
        fr_missing, _ = await both(client, "GET", "/history/2023/nulle-part")
    year = in_french(fr_year)
    assert year["detail"].startswith("L'historique s'importe pour les années d'avant Mutualis")
    assert messages(year) == {"fiscal_year": "Doit être antérieur à 2024."}
    assert messages(in_english(en_year)) == {"fiscal_year": "must be < 2024"}
    # a 200 whose rows were rejected: each row's messages in the language asked
    assert fr_report.status_code == 200
    french_rows = [r["errors"][0]["message"] for r in fr_report.json()["rejected"]]
    english_rows = [r["errors"][0]["message"] for r in en_report.json()["rejected"]]
    assert french_rows == ["Un montant au centime près est attendu.", "Doit être positif ou nul."]
    assert english_rows == ["not an amount to the cent", "must be ≥ 0"]
    columns = in_french(fr_columns)
    assert columns["detail"].endswith("il manque : fiscal_year, member_code, operating_total.")
    assert set(messages(columns).values()) == {"Colonne manquante."}
    assert set(messages(in_english(en_columns)).values()) == {"missing column"}
    assert in_french(fr_encoding)["detail"] == "Le CSV doit être encodé en UTF-8."
    assert in_french(fr_missing)["detail"] == (
        "Aucun total de fonctionnement importé pour l'adhérent « nulle-part » en 2023."
    )


async def test_a_delegation_ending_before_it_starts_is_refused_in_french(
    service_app: Any,
) -> None:
    body = {**SIGNATORY, "valid_to": "2020-01-01"}
    async with asgi_client(service_app("billing"), headers=as_admin()) as client:
        french, english = await both(client, "POST", "/signatories", json=body)
        fr_missing, _ = await both(client, "GET", "/signatories/999")
    assert french.status_code == 422
    assert list(messages(in_french(french)).values()) == [
        "La fin de la délégation précède son début."
    ]
    assert "valid_to is before valid_from" in str(in_english(english)["errors"])
    assert in_french(fr_missing)["detail"] == "Le signataire n° 999 n'existe pas."


def _both(
    client: httpx.Client, method: str, url: str, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    french = client.request(method, url, headers=FRENCH, **kwargs)
    english = client.request(method, url, **kwargs)
    assert french.status_code == english.status_code, (french.text, english.text)
    return french, english


def test_issuing_and_correcting_titles_are_refused_in_french(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    final = platform.ready_to_issue()
    forecast = platform.run("forecast")
    platform.issued(final)
    laxou = next(
        t for t in platform.titles(member_code="laxou", section="operating") if t["kind"] == "title"
    )
    billing = platform.billing
    fr_run, en_run = _both(billing, "POST", f"/runs/{forecast['id']}/issue", json={})
    fr_whole, en_whole = _both(
        billing,
        "POST",
        f"/invoices/{laxou['id']}/corrections",
        json={"kind": "reduction", "amount": laxou["total"], "reason": REASON},
    )
    fr_cancel, en_cancel = _both(
        billing,
        "POST",
        f"/invoices/{laxou['id']}/corrections",
        json={"kind": "cancellation", "amount": "1.00", "reason": REASON},
    )
    fr_change, en_change = _both(billing, "DELETE", f"/invoices/{laxou['id']}")
    fr_title, _ = _both(billing, "GET", "/invoices/999999")
    numbers = {"numbers": [{"invoice_id": laxou["id"], "number": 1}]}
    fr_batch, _ = _both(billing, "POST", "/liquidations/nulle/numbers", json=numbers)
    assert fr_run.status_code == 409
    assert in_french(fr_run)["detail"] == (
        "Seul le calcul définitif en vigueur d'un exercice, terminé avec succès, donne lieu à "
        f"des titres ; le calcul n° {forecast['id']} est un calcul prévisionnel."
    )
    assert in_english(en_run)["detail"].startswith("Titles are issued from the current")
    assert fr_whole.status_code == 422
    whole = in_french(fr_whole)
    assert whole["detail"].startswith("Une réduction est partielle : entre 0,01 € et ")
    assert whole["detail"].endswith(" ; pour le solde entier, annulez le titre.")
    assert messages(whole) == {"amount": whole["detail"]}
    assert in_english(en_whole)["detail"].startswith("A reduction is partial")
    assert list(messages(in_french(fr_cancel)).values()) == [
        "Une annulation porte sur tout le solde : pas de montant."
    ]
    assert "no amount" in str(in_english(en_cancel)["errors"])
    change = in_french(fr_change)
    assert change["detail"].startswith(f"Le titre n° {laxou['reference']} ne se modifie pas")
    assert in_english(en_change)["detail"].startswith(
        f"The title {laxou['reference']} is immutable: correct it"
    )
    assert in_french(fr_title)["detail"] == "Le titre n° 999999 n'existe pas."
    assert fr_batch.status_code == 404
    assert in_french(fr_batch)["detail"] == "Le lot de liquidation « nulle » n'existe pas."


def test_a_failed_run_says_its_problems_in_french_when_asked(service_app: Any) -> None:
    """The problems are stored with the run in both languages (the worker answers no
    request): the run reads them in the language the reader asks."""
    platform = Platform(service_app)
    platform.member("grand-nancy", host=True)
    platform.member("ludres")
    platform.member("nancy")
    platform.workstations("grand-nancy", 10)
    platform.workstations("ludres", 5)  # nancy has no workstation count
    platform.driver("accounts", "compte")
    platform.cost_line("mail", "100.00", driver="accounts")  # nobody uses "accounts"
    platform.parameters("1000.00")
    run = platform.run("final")
    assert run["status"] == "failed"
    french = platform.billing.get(f"/runs/{run['id']}", headers=FRENCH).json()["problems"]
    english = {p["code"]: p for p in run["problems"]}
    by_code = {p["code"]: p for p in french}
    assert set(by_code) == set(english) == {"missing-workstations", "pool-without-usage"}
    assert by_code["missing-workstations"]["message"] == (
        f"L'adhérent « nancy » n'a pas de nombre de postes pour {YEAR} : sa quote-part de "
        "masse salariale ne peut pas être calculée."
    )
    assert by_code["missing-workstations"]["fix"] == (
        f"Enregistrez au registre le nombre de postes de « nancy » pour {YEAR}."
    )
    assert by_code["pool-without-usage"]["message"].startswith(
        "Le groupe de coûts indirects (« accounts », fonctionnement) compte 1 ligne(s) de coût"
    )
    assert english["missing-workstations"]["message"].startswith("Member 'nancy' has no")
    assert all("message_fr" not in p and "fix_fr" not in p for p in french + run["problems"])
