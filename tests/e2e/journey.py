"""What the browser journeys share: signing in, the messages a page shows a person (flash,
alerts, field errors, confirmations, import reports) and the check that they are French."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page

DEMO_PASSWORD = "mutualis-demo"  # noqa: S105 - the documented demo password
WAIT_MS = 30_000  # a busy 2-core machine: generous waits

# what a page says to a person about what just happened
MESSAGE_SELECTORS = (
    ".alert, .notice, .error, [role=alert], [role=status], #rapport, #confirmation, "
    "[id^=confirmer-], #resultat-emission, #resultat-validation"
)
ENGLISH_WORDS = (
    "the", "is", "not", "should", "invalid", "required", "error", "field", "value", "must",
    "input", "string", "missing", "none", "and", "of", "for", "with", "already", "cannot",
    "unknown", "found", "least", "characters", "valid", "please", "failed", "forbidden",
)  # fmt: skip
ENGLISH = re.compile(r"\b(" + "|".join(ENGLISH_WORDS) + r")\b", re.IGNORECASE)
# a raw code a French reader should never meet: snake_case, a problem type, an ISO date
RAW_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|urn:mutualis|\b\d{4}-\d{2}-\d{2}\b")


def sign_in(browser: Any, url: str, email: str, password: str = DEMO_PASSWORD) -> Page:
    """A new browser context signed in as ``email`` (by default with the demo password)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, accept_downloads=True
    )
    page: Page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url + "/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", level=1).wait_for()
    return page


def not_french(text: str) -> list[str]:
    """The English words and raw codes found in ``text``."""
    return [m.group(0) for m in ENGLISH.finditer(text)] + [
        m.group(0) for m in RAW_CODE.finditer(text)
    ]


@dataclass
class Messages:
    """Every message a journey met, with the page it was on."""

    seen: list[tuple[str, str]] = field(default_factory=list)

    def collect(self, page: Page) -> list[str]:
        """The messages the page shows now (kept for the final check), returned."""
        page.wait_for_load_state()
        texts = [
            " ".join(t.split())
            for t in page.locator(MESSAGE_SELECTORS).all_inner_texts()
            if t.strip()
        ]
        path = page.url.split("/", 3)[-1]
        self.seen.extend((path, t) for t in texts)
        return texts

    def said(self, page: Page, expected: str) -> None:
        """The page shows a message containing ``expected``."""
        texts = self.collect(page)
        assert any(expected in t for t in texts), (expected, texts)

    def assert_french(self) -> None:
        found = {(path, text): not_french(text) for path, text in self.seen}
        english = {where: words for where, words in found.items() if words}
        assert not english, english
        assert self.seen  # a journey that met no message checked nothing
