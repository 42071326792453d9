"""Real browser on the real platform with its demo data: sign in, use the pages, check a11y."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Platform, axe_violations, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.sqlite]
DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser: Any, *, width: int = 1280) -> Page:
    """A page whose CSP lets the test inject axe-core (the app's own CSP stays strict)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page: Page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def sign_in(browser: Any, platform: Platform, email: str, *, width: int = 1280) -> Page:
    page: Page = new_page(browser, width=width)
    page.goto(platform.url("web", "/connexion"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def test_login_page_is_accessible(browser: Any, platform: Platform) -> None:
    page = new_page(browser)
    page.goto(platform.url("web", "/connexion"))
    assert axe_violations(page) == []
    screenshot(page, "connexion")
    page.close()


def test_staff_filters_members_without_reloading(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "admin@dsit.example")
    expect(page).to_have_url(platform.url("web", "/adherents"))
    rows = page.locator("#adherents tbody tr")
    expect(rows).to_have_count(26)
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("Type").select_option("ccas")
    expect(rows).to_have_count(2)
    assert page.evaluate("window.__notReloaded") is True  # htmx swapped the table in place
    expect(page).to_have_url(platform.url("web", "/adherents?kind=ccas&invoiced="))
    assert axe_violations(page) == []
    screenshot(page, "adherents")
    page.get_by_label("Type").select_option("")
    expect(rows).to_have_count(26)
    page.get_by_role("link", name="Ludres", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ludres")
    expect(page.get_by_text("referent@ludres.example")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "adherent-ludres")
    page.close()


def test_keyboard_reaches_the_menu_and_pages(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "admin@dsit.example")
    expect(page).to_have_url(platform.url("web", "/adherents"))
    focused = []
    for _ in range(3):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert focused == ["Aller au contenu", "Mutualis", "Adhérents"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Adhérents")
    page.close()


def test_phone_width_has_no_horizontal_scroll(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "admin@dsit.example", width=375)
    expect(page.locator("#adherents")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    screenshot(page, "adherents-telephone")
    page.close()


def test_a_contact_cannot_open_the_back_office(browser: Any, platform: Platform) -> None:
    page = sign_in(browser, platform, "referent@ludres.example")
    expect(page.get_by_role("link", name="Adhérents")).to_have_count(0)
    page.goto(platform.url("web", "/adherents/nancy"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    page.close()


def test_status_page_is_accessible(browser: Any, platform: Platform) -> None:
    page = new_page(browser)
    page.goto(platform.url("web", "/statut"))
    expect(page.locator("#etat-titre")).to_have_text("Tous les services fonctionnent")
    assert axe_violations(page) == []
    screenshot(page, "statut")
    page.close()
