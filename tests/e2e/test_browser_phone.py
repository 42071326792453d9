"""Real browser at a phone's width (390 px): a member's pages — its dashboard, its titles and
its services — never make the page scroll sideways (a wide table scrolls inside its own
wrapper), and no amount is broken over two lines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Platform, axe_violations, screenshot
from tests.e2e.test_browser_member import DEMO_PASSWORD, finance_forecast

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.sqlite]
PHONE = {"width": 390, "height": 844}

# every amount of the page (cells, totals; not column headers) whose text runs over more than
# one line
WRAPPED_AMOUNTS = """() => [...document.querySelectorAll('.num:not(th)')].filter(el => {
  if (!el.getClientRects().length) return false;
  // the boxes of the element's text (not of a <progress> bar beside it), top to bottom: a box
  // that starts below the bottom of the line before it starts a new line
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const boxes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || node.parentElement.closest('progress')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    boxes.push(...[...range.getClientRects()].filter(r => r.width > 0));
  }
  boxes.sort((a, b) => a.top - b.top);
  let lines = 0, bottom = -Infinity;
  for (const box of boxes) {
    if (box.top >= bottom - 1) { lines += 1; bottom = box.bottom; }
    else bottom = Math.max(bottom, box.bottom);
  }
  return lines > 1;
}).map(el => el.textContent.trim())"""

# the document is no wider than the screen; tables wider than it scroll in their wrapper
OVERFLOW = """() => ({
  body: document.body.scrollWidth - document.body.clientWidth,
  document: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  unwrapped: [...document.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().width > document.documentElement.clientWidth
                 && !t.closest('.table-wrap'))
    .map(t => (t.querySelector('caption') || t).textContent.trim().slice(0, 60)),
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def forecast(platform: Platform) -> dict[str, Any]:
    return finance_forecast(platform)


def phone(browser: Any, platform: Platform, email: str, viewport: dict[str, int] = PHONE) -> Page:
    context = browser.new_context(viewport=viewport, bypass_csp=True, is_mobile=viewport == PHONE)
    page: Page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(platform.url("web", "/connexion"))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(platform.url("web", "/tableau-de-bord"))
    return page


def assert_fits(page: Page) -> None:
    # every <details> open: the explanations of lines are part of what a member reads
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    overflow = page.evaluate(OVERFLOW)
    assert overflow == {"body": 0, "document": 0, "unwrapped": []}
    assert page.evaluate(WRAPPED_AMOUNTS) == []


@pytest.mark.parametrize(
    ("path", "anchor", "name"),
    [
        ("/tableau-de-bord", "#cout", "tableau-de-bord"),
        ("/tableau-de-bord", "#titres", "titres"),
        ("/mes-services", "main", "mes-services"),
    ],
)
def test_member_pages_fit_a_phone_without_breaking_amounts(
    browser: Any,
    platform: Platform,
    forecast: dict[str, Any],
    path: str,
    anchor: str,
    name: str,
) -> None:
    page = phone(browser, platform, "referent@ludres.example")
    page.goto(platform.url("web", path))
    section = page.locator(anchor).first
    expect(section).to_be_visible()
    assert section.locator(".num").count() > 0  # amounts are there to be checked
    assert_fits(page)
    screenshot(page, f"telephone-{name}")
    page.context.close()


def test_mes_services_reads_in_french_and_is_accessible(
    browser: Any, platform: Platform, forecast: dict[str, Any]
) -> None:
    page = phone(browser, platform, "referent@ludres.example", {"width": 1280, "height": 900})
    page.get_by_role("link", name="Mes services").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes services — Ludres")
    expect(page.get_by_text(f"calcul prévisionnel n°{forecast['id']}")).to_be_visible()
    expect(page.locator("article.service").first).to_contain_text("€")
    assert axe_violations(page) == []
    page.context.close()
