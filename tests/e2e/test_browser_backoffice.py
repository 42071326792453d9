"""Real browser on the real platform (demo data): a finance user runs a final billing
(launch, live progress, results, explain drill-down); every back-office page passes axe-core
(WCAG 2.1 AA), fits a phone width, and is kept as a screenshot in test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Platform, axe_violations, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.sqlite]
DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password
DEMO_YEAR = "2026"  # the fresh demo has final runs of 2024 and 2025 already


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_in(browser: Any, platform: Platform, email: str, *, width: int = 1280) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page: Page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(platform.url("web", "/connexion"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adhérents")
    return page


def check_page(page: Page, name: str) -> None:
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, name)


def test_finance_runs_a_final_billing_and_explains_a_member(
    browser: Any, platform: Platform
) -> None:
    page = sign_in(browser, platform, "finance@dsit.example")
    page.get_by_role("link", name="Refacturation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refacturation")
    check_page(page, "facturation-calculs")
    page.locator("#fiscal_year").select_option(DEMO_YEAR)
    page.get_by_role("radio", name="Définitif").check()
    page.get_by_role("button", name="Lancer le calcul").click()
    expect(page.locator("#confirmer-definitif")).to_contain_text("fige les montants")
    page.get_by_role("button", name="Confirmer le calcul définitif").click()
    expect(page).to_have_url(re.compile(r"/facturation/calculs/\d+$"))
    run_id = page.url.rsplit("/", 1)[1]
    page.evaluate("window.__notReloaded = true")
    progress = page.locator("#avancement")
    expect(progress).to_be_visible()
    # the section polls every second until the run is over, without reloading the page
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "succeeded")
    expect(progress).to_have_attribute("value", "100")
    assert page.evaluate("window.__notReloaded") is True
    rows = page.locator("#resultats tbody tr")
    expect(rows).to_have_count(26)
    check_page(page, "facturation-resultats")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == f"calcul-{run_id}-resultats.xlsx"
    page.get_by_role("link", name="Ludres", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Ludres — détail du calcul n°{run_id}"
    )
    expect(page.locator("[data-check]")).to_have_attribute("data-check", "ok")
    page.get_by_text("Voir la base").first.click()
    expect(page.get_by_text("Taux par poste").first).to_be_visible()
    check_page(page, "facturation-explication-ludres")
    page.close()


def test_the_run_results_fit_a_phone(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "finance@dsit.example", width=375)
    page.goto(platform.url("web", "/facturation"))
    page.get_by_role("link", name="Calcul n°1").click()
    expect(page.locator("#resultats")).to_be_visible()
    check_page(page, "facturation-resultats-telephone")
    page.close()


BACK_OFFICE_PAGES = {
    "adherent": "/adherents/ludres",
    "adherent-nouveau": "/adherents/nouveau",
    "adherent-modifier": "/adherents/ludres/modifier",
    "adherent-supprimer": "/adherents/ludres/supprimer",
    "adherent-interlocuteur-nouveau": "/adherents/ludres/interlocuteurs/nouveau",
    "adherent-postes": "/adherents/ludres/postes/2026",
    "adherent-calendrier": "/adherents/ludres/calendrier/2026",
    "adherents-import-postes": "/adherents/import/postes-de-travail",
    "adherents-import-calendriers": "/adherents/import/calendriers-budgetaires",
    "adherents-import-interlocuteurs": "/adherents/import/interlocuteurs",
    "conventions": "/conventions",
    "convention": "/conventions/convention-2024",
    "convention-nouvelle": "/conventions/nouvelle",
    "catalogue": "/catalogue",
    "catalogue-composants": "/catalogue/composants",
    "catalogue-inventaire": "/catalogue/inventaire",
    "catalogue-service": "/catalogue/services/messagerie",
    "catalogue-service-nouveau": "/catalogue/services/nouveau",
    "catalogue-composant": "/catalogue/composants/exchange",
    "catalogue-composant-nouveau": "/catalogue/composants/nouveau",
    "catalogue-inducteurs": "/catalogue/inducteurs",
    "catalogue-inducteur": "/catalogue/inducteurs/storage_gb",
    "catalogue-couts": "/catalogue/couts",
    "catalogue-cout-nouveau": "/catalogue/couts/nouveau",
    "catalogue-couts-import": "/catalogue/couts/import",
    "catalogue-usages": "/catalogue/usages",
    "catalogue-usages-import": "/catalogue/usages/import",
    "catalogue-correspondances-glpi": "/catalogue/correspondances-glpi",
    "facturation-exercices": "/facturation/exercices",
    "titres-comptabilite": "/titres/comptabilite",
    "signataires": "/signataires",
    "comptes": "/comptes",
    "comptes-jetons": "/comptes/jetons",
    "journal": "/journal",
    "journal-referentiel": "/journal/registry",
    "gouvernance-nouvelle-seance": "/gouvernance/seances/nouvelle",
    "gouvernance-seance-modifier": "/gouvernance/seances/1/modifier",
    "gouvernance-decision-modifier": "/gouvernance/decisions/1/modifier",
    "gouvernance-action-modifier": "/gouvernance/schemas-directeurs/actions/mfa-generalisee"
    "/modifier",
    "gouvernance-indicateur": "/gouvernance/schemas-directeurs/indicateurs/taux-mfa",
    "gouvernance-nouveau-projet": "/gouvernance/projets/nouveau",
    "gouvernance-projet": "/gouvernance/projets/ged-mutualisee",
    "gouvernance-projet-modifier": "/gouvernance/projets/ged-mutualisee/modifier",
    "gouvernance-plan-de-charge": "/gouvernance/plan-de-charge?annee=2025",
    "gouvernance-rapport-annuel": "/gouvernance/rapport-annuel/2025",
    "rgpd-nouveau-traitement": "/gouvernance/rgpd/traitements/nouveau",
    "rgpd-traitement-modifier": "/gouvernance/rgpd/traitements/1/modifier",
    "rgpd-nouvelle-violation": "/gouvernance/rgpd/violations/nouvelle",
    "rgpd-violation": "/gouvernance/rgpd/violations/1",
    "rgpd-demande": "/gouvernance/rgpd/demandes/1",
}


def test_every_back_office_page_is_accessible(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "admin@dsit.example")
    for name, path in BACK_OFFICE_PAGES.items():
        page.goto(platform.url("web", path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_page(page, name)
    page.close()


def test_components_filter_in_place(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "admin@dsit.example")
    page.goto(platform.url("web", "/catalogue/composants"))
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("Nature").select_option("server")
    expect(page).to_have_url(
        platform.url("web", "/catalogue/composants?kind=server&service_code=&retired=")
    )
    for kind in page.locator("#composants tbody tr td:nth-child(2)").all_inner_texts():
        assert kind == "Serveur"
    assert page.evaluate("window.__notReloaded") is True
    page.close()


def test_an_admin_creates_a_token_seen_once_then_revokes_it(
    browser: Any, platform: Platform
) -> None:
    page = sign_in(browser, platform, "admin@dsit.example")
    page.goto(platform.url("web", "/comptes/jetons"))
    page.get_by_label("Nom (l'outil qui l'utilise)").fill("GLPI de test")
    page.get_by_label("Envoi d'inventaires").check()
    page.get_by_role("button", name="Créer le jeton").click()
    token = page.locator("#jeton-valeur").inner_text()
    assert token.startswith("mut_")
    check_page(page, "comptes-jeton-cree")
    page.goto(platform.url("web", "/comptes/jetons"))
    assert token not in page.content()
    page.get_by_role("button", name="Révoquer le jeton GLPI de test").click()
    expect(page.locator("#confirmer-revocation")).to_contain_text("La révocation est définitive")
    check_page(page, "comptes-jeton-revocation")
    page.get_by_role("button", name="Révoquer définitivement").click()
    expect(page.get_by_text("révoqué le")).to_be_visible()
    page.close()
