"""Real browser on the real platform (demo data): a finance user runs a final billing
(launch, live progress, results, explain drill-down); every back-office page passes axe-core
(WCAG 2.1 AA), fits a phone width, and is kept as a screenshot in test-artifacts/."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from kit.settings import PROJECT_ROOT
from mutualis.apps import APPS
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Platform, axe_violations, screenshot
from tests.gateway.test_forwarding import closed_port

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password
DEMO_YEAR = "2025"  # the demo has workstation counts up to 2025


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """``mutualis run`` as tests/e2e/conftest.py starts it, plus the billing service's own
    upstream URLs: the launcher points only the gateway and the web at the chosen ports."""
    var_dir = tmp_path_factory.mktemp("var")
    ports = {spec.name: closed_port() for spec in APPS}
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUTUALIS_")}
    env.update({f"MUTUALIS_{name.upper()}_PORT": str(port) for name, port in ports.items()})
    for service, upstream in (("billing", "registry"), ("billing", "catalogue")):
        env[f"MUTUALIS_{service.upper()}_{upstream.upper()}_URL"] = (
            f"http://127.0.0.1:{ports[upstream]}"
        )
    env.update(MUTUALIS_VAR_DIR=str(var_dir), NO_COLOR="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "mutualis", "run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    running = Platform(process, var_dir, ports)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    while True:
        line = lines.get(timeout=120)
        if line is None:
            pytest.fail("mutualis run exited before it was ready:\n" + "".join(running.output))
        if "Mutualis est prêt" in line:
            break
    yield running
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


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
    expect(page).to_have_url(platform.url("web", "/facturation/calculs/1"))
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
    assert download.value.suggested_filename == "calcul-1-resultats.xlsx"
    page.get_by_role("link", name="Ludres", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ludres — détail du calcul n°1")
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
    "catalogue": "/catalogue",
    "catalogue-composants": "/catalogue/composants",
    "catalogue-inventaire": "/catalogue/inventaire",
    "facturation-exercices": "/facturation/exercices",
    "comptes": "/comptes",
    "comptes-jetons": "/comptes/jetons",
    "journal": "/journal",
    "journal-referentiel": "/journal/registry",
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
    expect(page.get_by_text("révoqué le")).to_be_visible()
    page.close()
