"""A DSIT team runs a year from the web pages only, in Chromium, on the real platform (demo
data): the administration adds a member (Chaligny), its contact, its adhesion, its workstation
count and its BP vote; finance opens the fiscal year, imports the year's cost lines and usage
from CSV files written from the pages' own templates, runs the forecast (made available to the
members), then the final run, and prepares the titles; the signatory validates them after a
confirmation naming them and their total; finance reduces one, the signatory validates the
reduction, and the title shows its new balance. Each role's shorter journey creates and edits
through the forms too. No API call: every step is a page, and every message met is French.

The year is 2023: the demo bills 2024–2026, has no fiscal year, cost line or usage for 2023
(only the workstation counts and the history billed before Mutualis), and 2023's claims are
not prescribed until 1 January 2028 — so the run starts from the test's own figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Platform
from tests.e2e.journey import Messages, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.sqlite]
YEAR = 2023
EXERCICE = dt.date.today().year  # the exercice open today: the one the titles are taken on
CODE, NAME = "chaligny", "Chaligny"
SIRET = "20099090100015"  # fictional, valid checksums (tests' own: the demo's end at 25)
LUDRES_SIRET = "20099006700015"  # the demo's Ludres
CONTACT_EMAIL = "referent@chaligny.example"
FORECAST_REASON = "Rattrapage 2023 : prévision notifiée par courrier avant Mutualis"
# the year's costs (euros): Chaligny alone pays its direct lines; storage is shared 30/70 with
# Ludres, the only other member measured in 2023
DIRECT_OPERATING, STORAGE, INVESTMENT = Decimal("1200.00"), Decimal("2500.00"), Decimal("800.00")
STORAGE_SHARE = STORAGE * 30 / (30 + 70)  # 750,00 €


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def euros(text: str) -> Decimal:
    """``1 234,56 €`` (French, with narrow or plain spaces) → Decimal."""
    digits = re.sub(r"[^\d,-]", "", text).replace(",", ".")
    return Decimal(digits)


def french(amount: Decimal) -> str:
    """Decimal → ``1 234,56 €`` as the pages write it (any space kind matched by regex)."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = re.sub(r"(?<=\d)(?=(\d{3})+$)", " ", whole)
    return f"{groups},{cents} €"


def amount_pattern(amount: Decimal) -> re.Pattern[str]:
    return re.compile(re.escape(french(amount)).replace(r"\ ", r"\s"))


def row_of(page: Page, table: str, name: str) -> Any:
    return page.locator(f"{table} tbody tr").filter(has_text=name)


# --- the administration: the member, its contact, adhesion, workstations and BP -------------


def add_member(page: Page, url: str, messages: Messages) -> None:
    page.get_by_role("link", name="Adhérents", exact=True).first.click()
    page.get_by_role("link", name="Nouvel adhérent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel adhérent")
    page.locator("#m-code").fill(CODE)
    page.locator("#m-name").fill(NAME)
    page.get_by_label("Type").select_option(label="Commune")
    page.get_by_label("SIRET").fill(LUDRES_SIRET)
    page.get_by_label("Voie").fill("Hôtel de ville, 2 rue de la Mairie")
    page.get_by_label("Code postal").fill("54230")
    page.locator("#m-city").fill(NAME)
    page.get_by_label("Date d'adhésion").fill("01/01/2023")
    page.get_by_role("button", name="Enregistrer").click()
    # our rule: one SIRET, one member
    expect(page.locator("#m-siret-erreur")).to_have_text(
        "Ce SIRET est déjà celui d'un autre adhérent."
    )
    messages.collect(page)
    page.get_by_label("SIRET").fill(SIRET)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    messages.said(page, "Modifications enregistrées.")
    expect(page.locator("main")).to_contain_text(SIRET)
    expect(page.locator("main")).to_contain_text("01/01/2023")
    page.get_by_role("link", name="← Adhérents").click()
    expect(page.locator("main tbody tr").filter(has_text=NAME)).to_have_count(1)


def add_contact(page: Page, url: str, messages: Messages) -> None:
    page.goto(f"{url}/adherents/{CODE}")
    page.get_by_role("link", name="Ajouter un interlocuteur").click()
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Marchal")
    page.get_by_label("Adresse électronique").fill(CONTACT_EMAIL)
    page.get_by_label("Téléphone").fill("03 83 47 00 00")
    page.get_by_label("Référent informatique").check()
    page.get_by_label("Responsable des finances").check()
    page.get_by_label("Accès aux tableaux de bord").check()
    page.get_by_role("button", name="Enregistrer").click()
    messages.said(page, "Modifications enregistrées.")
    row = row_of(page, "[aria-labelledby=interlocuteurs]", "Camille Marchal")
    expect(row).to_contain_text(CONTACT_EMAIL)
    expect(row).to_contain_text("Responsable des finances, Référent informatique")


def record_adhesion(page: Page, url: str, messages: Messages) -> None:
    """To the 2017 convention, the one in force in 2023 (the titles cite the deliberation);
    a second adhesion to it is refused by our rule."""
    page.get_by_role("link", name="Conventions", exact=True).first.click()
    page.get_by_role("link", name="Convention de mutualisation informatique (2017)").click()
    for attempt in range(2):
        page.locator("#h-member_code").select_option(CODE)
        page.get_by_label("Délibération de l'adhérent").fill(
            "Délibération n° 2022-87 du conseil municipal"
        )
        page.get_by_label("Délibérée le").fill("15/11/2022")
        page.get_by_label("Signée le").fill("01/12/2022")
        page.get_by_role("button", name="Enregistrer l'adhésion").click()
        if attempt == 0:
            expect(row_of(page, "[aria-labelledby=adhesions]", NAME)).to_contain_text("15/11/2022")
    expect(page.locator("#h-member_code-erreur")).to_have_text(
        "Cet adhérent a déjà adhéré à cette convention."
    )
    messages.collect(page)
    page.goto(f"{url}/adherents/{CODE}")
    expect(page.locator("main")).to_contain_text("Délibération n° 2022-87 du conseil municipal")


def record_workstations(page: Page, url: str, messages: Messages) -> None:
    page.goto(f"{url}/adherents/{CODE}")
    page.get_by_label("Un autre exercice").select_option(str(YEAR))
    page.get_by_role("button", name="Enregistrer un décompte pour cet exercice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Postes de travail {YEAR}")
    page.get_by_label("Nombre de postes de travail").fill("40")
    page.get_by_label("Date du décompte").fill("31/12/2019")  # outside the year's range
    page.get_by_role("button", name="Enregistrer le décompte").click()
    expect(page.locator("#p-reference_date-erreur")).to_have_text(
        f"Le décompte de {YEAR} est fait entre {YEAR - 2} et {YEAR}."
    )
    messages.collect(page)
    page.get_by_label("Date du décompte").fill("31/12/2022")
    page.get_by_role("button", name="Enregistrer le décompte").click()
    messages.said(page, "Modifications enregistrées.")
    expect(row_of(page, "[aria-labelledby=postes]", str(YEAR)).first).to_contain_text("40")


def record_bp_vote(page: Page, url: str, messages: Messages) -> None:
    """The BP of the exercice that pays the titles (the one open today)."""
    page.goto(f"{url}/adherents/{CODE}")
    page.get_by_role("link", name=re.compile(f"Modifier.*calendrier {EXERCICE}")).click()
    page.get_by_label("Vote du budget primitif").fill(f"10/12/{EXERCICE - 1}")
    page.get_by_label("Vote du budget supplémentaire").fill(f"01/12/{EXERCICE - 1}")
    page.get_by_role("button", name="Enregistrer le calendrier").click()
    expect(page.locator("#b-bs_voted_on-erreur")).to_have_text(  # the BS before the BP
        "Ce vote ne peut précéder celui du BP."
    )
    messages.collect(page)
    page.get_by_label("Vote du budget supplémentaire").fill("")
    page.get_by_role("button", name="Enregistrer le calendrier").click()
    messages.said(page, "Modifications enregistrées.")
    expect(row_of(page, "[aria-labelledby=calendrier]", str(EXERCICE))).to_contain_text(
        f"10/12/{EXERCICE - 1}"
    )


# --- finance: the fiscal year, the imports, the runs, the titles ---------------------------


def open_fiscal_year(page: Page, url: str, messages: Messages) -> None:
    page.goto(f"{url}/facturation/exercices")
    page.get_by_label("Exercice (année)").fill(str(YEAR))
    page.get_by_label("Enveloppe de masse salariale").fill("3 100 000,00")
    page.get_by_label("Années de référence du plafond").fill("3")
    page.get_by_label("Plafonner le fonctionnement").check()
    page.get_by_role("button", name="Enregistrer").click()
    row = page.locator("table tbody tr").filter(has=page.locator("th", has_text=str(YEAR)))
    expect(row).to_contain_text(amount_pattern(Decimal("3100000.00")))
    expect(row).to_contain_text("oui, moyenne de 2020, 2021, 2022")
    messages.collect(page)


def template_columns(page: Page, link_name: str = "CSV") -> list[str]:
    """The columns of the page's template (downloaded as a person would)."""
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name, exact=True).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return next(csv.reader(io.StringIO(text), delimiter=";"))


def csv_file(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(page: Page, name: str, content: bytes, *, simulate: bool) -> None:
    page.locator("#file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("checkbox", name=re.compile("^Simulation")).set_checked(simulate)
    page.get_by_role("button", name="Importer").click()


def import_costs(page: Page, url: str, messages: Messages) -> None:
    page.goto(f"{url}/catalogue/couts")
    page.get_by_role("link", name="Importer un export du logiciel financier").click()
    columns = template_columns(page)
    assert columns[:3] == ["reference", "composant", "exercice"], columns
    base = dict.fromkeys(columns, "")
    rows = [
        {**base, "reference": "CH-2023-001", "composant": "ciril-finances", "exercice": "2023",
         "date": "15/03/2023", "section": "fonctionnement", "nature": "maintenance",
         "montant": "1 200,00", "mode": "direct", "repartition": f"{CODE}:1",
         "libelle": "Maintenance Ciril Finances de Chaligny"},
        {**base, "reference": "CH-2023-002", "composant": "san-netapp", "exercice": "2023",
         "date": "20/06/2023", "section": "fonctionnement", "nature": "maintenance",
         "montant": "2 500,00", "mode": "indirect", "inducteur": "storage_gb",
         "libelle": "Maintenance de la baie de stockage"},
        {**base, "reference": "CH-2023-003", "composant": "postes-2024", "exercice": "2023",
         "date": "02/10/2023", "section": "investissement", "nature": "acquisition",
         "montant": "800,00", "mode": "direct", "repartition": f"{CODE}:1",
         "amortissement": "", "libelle": "Postes de la mairie de Chaligny"},
    ]  # fmt: skip
    wrong = {**rows[0], "reference": "CH-2023-099", "composant": "inconnu", "montant": "12,5,0"}
    upload(page, "depenses-2023.csv", csv_file(columns, [*rows, wrong]), simulate=True)
    messages.said(page, "Simulation : rien n'a été enregistré")
    expect(page.locator("#rapport tbody tr")).to_have_count(4)
    rejected = row_of(page, "#rapport", "CH-2023-099")
    expect(rejected.locator("li")).to_have_count(2)  # every error of the row
    upload(page, "depenses-2023.csv", csv_file(columns, rows), simulate=False)
    messages.said(page, "Rapport d'import")
    expect(page.locator("#rapport .summary")).to_contain_text("3")
    page.goto(f"{url}/catalogue/couts?exercice={YEAR}")
    expect(page.locator("main")).to_contain_text("3 lignes")
    expect(page.locator("main")).to_contain_text(amount_pattern(Decimal("4500.00")))


def import_usage(page: Page, url: str, messages: Messages) -> None:
    page.goto(f"{url}/catalogue/usages/import")
    columns = template_columns(page)
    assert set(columns) >= {"exercice", "inducteur", "adherent", "quantite"}, columns
    base = dict.fromkeys(columns, "")
    rows = [
        {**base, "exercice": "2023", "inducteur": "storage_gb", "adherent": code,
         "quantite": quantity, "date": "31/12/2023"}
        for code, quantity in ((CODE, "30,0"), ("ludres", "70"))
    ]  # fmt: skip
    upload(page, "stockage-2023.csv", csv_file(columns, rows), simulate=False)
    messages.said(page, "Rapport d'import")
    page.goto(f"{url}/catalogue/usages?exercice={YEAR}&inducteur=storage_gb")
    expect(row_of(page, "main", NAME)).to_contain_text("30")
    expect(row_of(page, "main", "Ludres")).to_contain_text("70")


def launch(page: Page, url: str, kind: str) -> None:
    page.goto(f"{url}/facturation")
    page.locator("#fiscal_year").select_option(str(YEAR))
    page.get_by_role("radio", name=kind).check()
    page.get_by_role("button", name="Lancer le calcul").click()


def chaligny_amounts(page: Page) -> dict[str, Decimal]:
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "succeeded")
    headers = page.locator("#resultats thead th").all_inner_texts()
    cells = row_of(page, "#resultats", NAME).locator("th, td").all_inner_texts()
    return {h: euros(c) for h, c in zip(headers, cells, strict=True) if "€" in c}


def run_forecast(page: Page, url: str, messages: Messages) -> None:
    launch(page, url, "Prévisionnel")
    amounts = chaligny_amounts(page)
    assert amounts["Direct fonct."] == DIRECT_OPERATING
    assert amounts["Indirect fonct."] == STORAGE_SHARE
    assert amounts["Investissement"] == INVESTMENT
    assert amounts["Masse salariale"] > 0
    expect(page.locator("#mise-a-disposition")).to_contain_text(
        dt.date.today().strftime("%d/%m/%Y")
    )
    messages.collect(page)


def run_final(page: Page, url: str, messages: Messages) -> dict[str, Decimal]:
    launch(page, url, "Définitif")
    expect(page.locator("#confirmer-definitif")).to_contain_text("fige les montants 2023")
    messages.collect(page)
    page.get_by_role("button", name="Confirmer le calcul définitif").click()
    amounts = chaligny_amounts(page)
    assert amounts["Investissement"] == INVESTMENT
    messages.collect(page)
    return amounts


def prepare_titles(page: Page, messages: Messages, operating: Decimal) -> None:
    page.get_by_role("link", name="Émettre les titres").click()
    expect(row_of(page, "#bp-etat", NAME)).to_contain_text(f"voté le 10/12/{EXERCICE - 1}")
    page.get_by_role("button", name="Préparer les titres pour la signature").click()
    # our rule (CGCT D5211-16): 2023's forecast was made available after 2023's BP deadline
    expect(page.locator("#emission-forecast_reason-erreur")).to_contain_text(
        "Aucune prévision de l'année n'a été notifiée"
    )
    messages.collect(page)
    page.get_by_label("Motif d'émission sans prévision notifiée à temps").fill(FORECAST_REASON)
    page.get_by_role("button", name="Préparer les titres pour la signature").click()
    messages.said(page, "préparés pour la signature")
    prepared = row_of(page, "#titres-prepares", NAME)
    expect(prepared).to_have_count(2)
    expect(prepared.filter(has_text="Fonctionnement")).to_contain_text(amount_pattern(operating))
    expect(prepared.filter(has_text="Investissement")).to_contain_text(amount_pattern(INVESTMENT))


def validate_in_parapheur(page: Page, messages: Messages, count: int, total: Decimal) -> None:
    """The signatory ticks Chaligny's pieces, reads the confirmation, validates."""
    page.get_by_role("link", name="Parapheur").click()
    boxes = page.locator("#titres-a-valider tbody tr").filter(has_text=NAME).locator("input")
    expect(boxes).to_have_count(count)
    for box in boxes.all():
        box.check()
    page.get_by_role("button", name="Vérifier puis valider la sélection").click()
    plural = "s" if count > 1 else ""
    expect(page.locator("#confirmation")).to_contain_text(
        f"Vous allez valider {count} pièce{plural}"
    )
    expect(page.locator("#total-a-valider")).to_have_text(amount_pattern(total))
    expect(page.locator("#confirmation li")).to_have_count(count)
    messages.collect(page)
    page.get_by_role("button", name="Valider et rendre exécutoires").click()
    expect(page.locator("#resultat-validation")).to_contain_text(
        f"{count} pièce{plural} émise{plural}"
    )
    messages.collect(page)


def titles_numbered(page: Page, url: str, messages: Messages) -> None:
    """Chaligny's two titles, listed with their numbers, issued."""
    page.goto(f"{url}/titres")
    page.get_by_label("Adhérent").select_option(CODE)
    rows = page.locator("#titres-liste tbody tr")
    expect(rows).to_have_count(2)
    for reference in rows.locator("th").all_inner_texts():
        assert re.fullmatch(rf"{EXERCICE}-\d+-\d+", reference.strip()), reference
    for status in rows.locator("[data-status]").all():
        expect(status).to_have_attribute("data-status", "issued")
    messages.collect(page)


def correct_investment_title(page: Page, url: str, messages: Messages) -> str:
    """A reduction larger than the title is refused (our rule); a right one is confirmed
    with the balance it leaves, then prepared."""
    page.goto(f"{url}/titres?member_code={CODE}&section=investment")
    rows = page.locator("#titres-liste tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").first.click()
    title_url = page.url
    expect(page.locator("[data-balance]")).to_have_text(amount_pattern(INVESTMENT))
    page.get_by_role("radio", name="Réduction").check()
    page.get_by_label("Montant").fill("900,00")
    page.get_by_label("Motif (erreur matérielle)").fill("Deux postes facturés deux fois")
    page.get_by_role("button", name="Préparer la correction").click()
    expect(page.locator("#correction-amount-erreur")).to_contain_text(
        "Une réduction est partielle : moins que le solde dû"
    )
    messages.collect(page)
    page.get_by_label("Montant").fill("100,00")
    page.get_by_role("button", name="Préparer la correction").click()
    expect(page.locator("#solde-apres")).to_have_text(amount_pattern(Decimal("700.00")))
    messages.collect(page)
    page.get_by_role("button", name="Confirmer et préparer la correction").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "prepared")
    messages.collect(page)
    return title_url


def corrected_balance(page: Page, title_url: str) -> None:
    page.goto(title_url)
    expect(page.locator("[data-balance]").first).to_have_text(amount_pattern(Decimal("700.00")))
    corrections = page.locator("section[aria-labelledby=titre-corrections]")
    expect(corrections).to_contain_text("Réduction")
    expect(corrections).to_contain_text(amount_pattern(Decimal("100.00")))


def test_a_dsit_team_runs_a_year_from_the_pages(browser: Any, platform: Platform) -> None:
    url = platform.url("web")
    messages = Messages()

    page = sign_in(browser, url, "admin@dsit.example")
    add_member(page, url, messages)
    add_contact(page, url, messages)
    record_adhesion(page, url, messages)
    record_workstations(page, url, messages)
    record_bp_vote(page, url, messages)
    page.context.close()

    page = sign_in(browser, url, "finance@dsit.example")
    open_fiscal_year(page, url, messages)
    import_costs(page, url, messages)
    import_usage(page, url, messages)
    run_forecast(page, url, messages)
    amounts = run_final(page, url, messages)
    operating = amounts["Fonct. facturé"]
    assert operating == amounts["Masse salariale"] + DIRECT_OPERATING + STORAGE_SHARE
    prepare_titles(page, messages, operating)
    page.context.close()

    page = sign_in(browser, url, "signataire@dsit.example")
    validate_in_parapheur(page, messages, 2, operating + INVESTMENT)
    page.context.close()

    page = sign_in(browser, url, "finance@dsit.example")
    titles_numbered(page, url, messages)
    title_url = correct_investment_title(page, url, messages)
    page.context.close()

    page = sign_in(browser, url, "signataire@dsit.example")
    validate_in_parapheur(page, messages, 1, Decimal("-100.00"))
    page.context.close()

    page = sign_in(browser, url, "finance@dsit.example")
    corrected_balance(page, title_url)
    page.context.close()

    page = sign_in(browser, url, "admin@dsit.example")
    give_the_contact_an_account(page, url, messages)
    page.context.close()
    page = sign_in(browser, url, CONTACT_EMAIL, CONTACT_PASSWORD)
    contact_reads_what_it_pays(page, operating)
    page.context.close()

    messages.assert_french()


# --- the other roles' journeys ---------------------------------------------------------------


def declare_a_breach(page: Page, url: str, messages: Messages) -> None:
    """The DPO declares a breach for Ludres; a notice before it was known is refused."""
    page.get_by_role("link", name="Gouvernance", exact=True).first.click()
    page.goto(f"{url}/gouvernance/rgpd/violations/nouvelle")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    page.get_by_label("Référence").fill("VIOL-LUDRES-01")
    page.get_by_label("Responsable de traitement (obligatoire)").select_option("ludres")
    page.get_by_label("Connue de la DSIT le").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Intitulé").fill("Courriel envoyé au mauvais destinataire")
    page.get_by_label("Risque pour les personnes").select_option(label="Risque")
    page.get_by_label("Faits (obligatoire)").fill("Un tableau des familles envoyé par erreur.")
    page.get_by_label("Personnes concernées").fill("12")
    informed = now - dt.timedelta(days=2)
    page.get_by_label("Responsable de traitement informé le").fill(
        informed.strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Déclarer la violation").click()
    expect(page.locator("#violation-controller_informed_at-erreur")).to_have_text(
        "« Responsable de traitement informé » précède la prise de connaissance par la DSIT."
    )
    messages.collect(page)
    page.get_by_label("Responsable de traitement informé le").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Déclarer la violation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Violation VIOL-LUDRES-01 : Courriel envoyé au mauvais destinataire"
    )
    expect(page.locator("main")).to_contain_text("72 heures")
    messages.collect(page)


def update_an_action(page: Page, url: str, messages: Messages) -> None:
    """The project office records an action's progress; more than 100 % is refused."""
    page.goto(f"{url}/gouvernance/schemas-directeurs/actions/mfa-generalisee/modifier")
    page.get_by_label("Statut").select_option(label="En cours")
    page.get_by_label("Avancement (%)").fill("140")
    page.get_by_role("button", name="Enregistrer l'avancement").click()
    expect(page.locator("#action-progress-erreur")).to_have_text(
        "L'avancement est un nombre entier de 0 à 100."
    )
    messages.collect(page)
    page.get_by_label("Avancement (%)").fill("65")
    page.get_by_role("button", name="Enregistrer l'avancement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Généraliser l'authentification multifacteur"
    )
    expect(page.locator("main")).to_contain_text("65 %")
    messages.collect(page)


CONTACT_PASSWORD = "Tableau-de-bord-Chaligny-2023"  # noqa: S105 - the test's own account


def give_the_contact_an_account(page: Page, url: str, messages: Messages) -> None:
    page.get_by_role("link", name="Comptes", exact=True).first.click()
    page.get_by_label("Adresse électronique").fill(CONTACT_EMAIL)
    page.get_by_label("Nom affiché").fill("Camille Marchal")
    page.get_by_label("Interlocuteur d'un adhérent").check()
    page.get_by_label("Mot de passe initial").fill("court")
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.locator(".error, .alert").first).to_be_visible()
    messages.collect(page)
    page.get_by_label("Mot de passe initial").fill(CONTACT_PASSWORD)
    page.get_by_role("button", name="Créer le compte").click()
    messages.said(page, "Compte créé.")


def contact_reads_what_it_pays(page: Page, operating: Decimal) -> None:
    """Chaligny's contact: its titles newest first, the reduction, what is left to pay."""
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tableau de bord — {NAME}")
    expect(page.locator("#a-payer strong")).to_have_text(
        amount_pattern(operating + INVESTMENT - Decimal("100.00"))
    )
    rows = page.locator("#mes-titres tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Réduction")
    expect(rows.filter(has_text="Investissement").nth(1)).to_contain_text(
        amount_pattern(Decimal("700.00"))
    )


def test_each_role_creates_and_edits_through_its_forms(browser: Any, platform: Platform) -> None:
    """The DPO declares a breach, the project office records an action's progress: each
    meets a refusal of our rules first, and every message is French."""
    url = platform.url("web")
    messages = Messages()
    page = sign_in(browser, url, "dpo@dsit.example")
    declare_a_breach(page, url, messages)
    page.context.close()
    page = sign_in(browser, url, "projets@dsit.example")
    update_an_action(page, url, messages)
    page.context.close()
    messages.assert_french()
