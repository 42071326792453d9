"""Real browser on the real platform: a contact reads its dashboard (cost of the year from a
forecast run launched by finance, exports, forecast PDF), another member's contact sees only
its own, and the governance back office pages are accessible and usable without reloads."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Platform, axe_violations, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.sqlite]
DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password
YEAR = dt.date.today().year


def finance_forecast(platform: Platform) -> dict[str, Any]:
    """What the DSIT does before members look: this year's workstation counts (the demo has
    them up to last year) and a forecast run, through the public API as finance."""
    with httpx.Client(base_url=platform.url("gateway"), timeout=30) as api:
        token = api.post(
            "/api/auth/token",
            data={"username": "finance@dsit.example", "password": DEMO_PASSWORD},
        ).json()["access_token"]
        api.headers["Authorization"] = f"Bearer {token}"
        last = api.get(f"/api/registry/workstations/{YEAR - 1}", params={"limit": 1000})
        assert last.status_code == 200, last.text
        for item in last.json()["items"]:
            current = api.get(f"/api/registry/members/{item['member_code']}/workstations/{YEAR}")
            if current.status_code == 404:
                put = api.put(
                    f"/api/registry/members/{item['member_code']}/workstations/{YEAR}",
                    json={
                        "count": item["count"],
                        "reference_date": f"{YEAR - 1}-12-31",
                        "source": "declared",
                    },
                )
                assert put.status_code in (200, 201), put.text
        launched = api.post("/api/billing/runs", json={"fiscal_year": YEAR, "kind": "forecast"})
        assert launched.status_code == 202, launched.text
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            run: dict[str, Any] = api.get(f"/api/billing/runs/{launched.json()['id']}").json()
            if run["status"] in ("succeeded", "failed"):
                break
            time.sleep(0.5)
        assert run["status"] == "succeeded", run.get("problems")
        return run


@pytest.fixture(scope="module")
def forecast(platform: Platform) -> dict[str, Any]:
    return finance_forecast(platform)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_in(browser: Any, platform: Platform, email: str, *, width: int = 1280) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True, accept_downloads=True
    )
    page: Page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(platform.url("web", "/connexion"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def test_contact_reads_its_dashboard_and_downloads_its_documents(
    browser: Any, platform: Platform, forecast: dict[str, Any]
) -> None:
    page = sign_in(browser, platform, "referent@ludres.example")
    expect(page).to_have_url(platform.url("web", "/tableau-de-bord"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord — Ludres")
    expect(page.get_by_role("heading", name=f"Coût estimé {YEAR}")).to_be_visible()
    cost = page.locator("#cout")  # the staffing comparison names the same run further down
    expect(cost.get_by_text(f"calcul prévisionnel n°{forecast['id']}")).to_be_visible()
    expect(page.locator(".dash-total strong").first).to_contain_text("€")
    expect(cost.locator(".dash-bars li")).to_have_count(5)
    assert axe_violations(page) == []
    screenshot(page, "tableau-de-bord")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="notification prévisionnelle (PDF)").click()
    assert pdf.value.suggested_filename == f"notification-previsionnelle-{YEAR}-ludres.pdf"
    assert open(pdf.value.path(), "rb").read(4) == b"%PDF"

    with page.expect_download() as csv:
        page.get_by_role("link", name="CSV — les coûts par inducteur").click()
    assert csv.value.suggested_filename == f"inducteurs-ludres-{YEAR}.csv"
    header = open(csv.value.path(), encoding="utf-8-sig").readline().strip()
    assert header == "Code;Inducteur;Précision;Section;Montant"

    page.get_by_text("Voir la base", exact=False).first.click()  # a line's explanation opens
    expect(page.locator("details[open] dl.facts").first).to_be_visible()
    page.context.close()


def test_dashboard_fits_a_phone(browser: Any, platform: Platform, forecast: dict[str, Any]) -> None:
    page = sign_in(browser, platform, "referent@ludres.example", width=375)
    expect(page.locator("#cout")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    screenshot(page, "tableau-de-bord-telephone")
    page.context.close()


def test_another_members_contact_sees_only_its_own_dashboard(
    browser: Any, platform: Platform, forecast: dict[str, Any]
) -> None:
    ludres = sign_in(browser, platform, "referent@ludres.example")
    ludres_total = ludres.locator(".dash-total strong").first.inner_text()
    ludres.context.close()
    page = sign_in(browser, platform, "referent@nancy.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord — Nancy")
    assert "Ludres" not in page.locator("main").inner_text()
    assert page.locator(".dash-total strong").first.inner_text() != ludres_total
    page.goto(platform.url("web", "/gouvernance"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    page.context.close()


GOVERNANCE_PAGES = (
    ("/gouvernance", "gouvernance-seances"),
    ("/gouvernance/decisions", "gouvernance-decisions"),
    ("/gouvernance/schemas-directeurs", "gouvernance-schemas-directeurs"),
    ("/gouvernance/projets", "gouvernance-projets"),
    ("/gouvernance/plan-de-charge?annee=2025", "gouvernance-plan-de-charge"),
    ("/gouvernance/rapport-annuel", "gouvernance-rapport-annuel"),
)
GDPR_PAGES = (
    ("/gouvernance/rgpd", "rgpd-registre"),
    ("/gouvernance/rgpd/violations", "rgpd-violations"),
    ("/gouvernance/rgpd/demandes", "rgpd-demandes"),
)


def test_governance_pages_are_accessible(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "projets@dsit.example")
    for path, name in GOVERNANCE_PAGES:
        page.goto(platform.url("web", path))
        expect(page.locator("nav.subnav")).to_be_visible()
        assert axe_violations(page) == [], path
        screenshot(page, name)
    page.context.close()


def test_gdpr_registers_are_accessible_to_the_dpo(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "dpo@dsit.example")
    for path, name in GDPR_PAGES:
        page.goto(platform.url("web", path))
        expect(page.locator("main table").first).to_be_visible()
        assert axe_violations(page) == [], path
        screenshot(page, name)
    page.context.close()


def test_actions_filter_by_axis_without_reloading(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "projets@dsit.example")
    page.goto(platform.url("web", "/gouvernance/schemas-directeurs"))
    rows = page.locator("#actions-liste tbody tr")
    everything = rows.count()
    page.evaluate("window.__notReloaded = true")
    select = page.locator("#actions-liste").locator("xpath=..").locator("select[name=axis]")
    select.focus()
    select.select_option("securite")
    expect(page).to_have_url(
        platform.url("web", "/gouvernance/schemas-directeurs?axis=securite&status=")
    )
    assert 0 < rows.count() < everything
    assert page.evaluate("window.__notReloaded") is True
    page.context.close()


def test_drill_down_from_an_action_and_a_meeting(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "projets@dsit.example")
    page.goto(platform.url("web", "/gouvernance/schemas-directeurs"))
    page.locator("#actions-liste tbody th a").first.click()
    expect(page.get_by_role("heading", name="Indicateurs de l'action")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "gouvernance-action")
    page.goto(platform.url("web", "/gouvernance"))
    page.locator("#seances tbody th a").first.click()
    expect(page.get_by_role("heading", name="Relevé de décisions")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer la décision")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "gouvernance-seance")
    page.context.close()
