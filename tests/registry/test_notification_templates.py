"""Every notification template renders in French, plain text and HTML, without a code, with a
link to the page of the back office it is about."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kit.settings import PROJECT_ROOT
from services.registry.notifications.kinds import KINDS
from services.registry.notifications.rendering import render
from web.app import create_app as create_web_app

CONTEXTS: dict[str, dict[str, Any]] = {
    "forecast_available": {"fiscal_year": 2026, "operating": "1234.5", "investment": "0",
                           "budget_deadline": "2026-04-15",
                           "made_available_at": "2026-02-10T09:30:00+00:00"},
    "titles_issued": {"titles": [
        {"reference": "2026-000012", "fiscal_year": 2025, "section": "operating",
         "total": "18200.00"},
        {"reference": "2026-000013", "fiscal_year": 2025, "section": "investment",
         "total": "950.10"}]},
    "correction_issued": {"corrections": [
        {"kind": "reduction", "reference": "2026-000020", "original_reference": "2026-000012",
         "total": "-200.00"}]},
    "title_rejected": {"titles": [
        {"reference": "2026-000012", "fiscal_year": 2025, "section": "operating",
         "total": "18200.00"}],
        "reasons": ["Le SIRET de la collectivité (IdColl) est inconnu ou erroné."]},
    "title_overdue": {"reference": "2026-000012", "fiscal_year": 2025,
                      "issued_on": "2026-01-15", "outstanding": "18200.00", "age_days": 45},
    "convention_deadline": {"convention_title": "Convention de mutualisation 2024",
                            "deadline_kind": "notice", "deadline_on": "2026-09-30"},
    "decision_due": {"title": "Migrer la messagerie", "due_on": "2026-06-30",
                     "body": "Comité des utilisateurs"},
    "breach_clock": {"breach_title": "Perte d'un portable", "hours_left": 6,
                     "deadline_at": "2026-03-02T17:00:00+00:00"},
    "gdpr_request_due": {"request_kind": "erasure", "due_on": "2026-03-01"},
}  # fmt: skip
EXPECTED = {
    "forecast_available": ["1\u202f234,50 €", "15/04/2026", "10/02/2026 à 10:30", "D5211-16"],
    "titles_issued": ["2026-000012", "fonctionnement", "investissement", "18\u202f200,00 €"],
    "correction_issued": ["Réduction n° 2026-000020", "titre n° 2026-000012", "-200,00 €"],
    "title_rejected": [
        "rejeté le titre",
        "titre n° 2026-000012",
        "fonctionnement",
        "18\u202f200,00 €",
        "SIRET de la collectivité",
        "rien à payer",
    ],
    "title_overdue": [
        "titre de recettes n° 2026-000012",
        "15/01/2026",
        "45 jours",
        "18\u202f200,00 €",
        "30 jours",
    ],
    "convention_deadline": ["dernier jour pour dénoncer la convention", "30/09/2026"],
    "decision_due": ["Migrer la messagerie", "30/06/2026", "Comité des utilisateurs"],
    "breach_clock": ["moins de 6 heures", "CNIL", "02/03/2026 à 18:00"],
    "gdpr_request_due": ["effacement", "01/03/2026"],
}
CODES = re.compile(
    r"\b(operating|investment|reduction|notice|erasure|None|True|False|finance_officer|"
    r"it_referent|dpo|executive|rejected|overdue|title|ERREUR\w*)\b|\{\{|\{%|_"
)
WEB = TestClient(create_web_app())
DASHBOARD = "".join(
    p.read_text() for p in (PROJECT_ROOT / "web" / "templates").rglob("*dashboard*.html")
)


def page_exists(path: str) -> bool:
    """A page of the back office answers (the sign-in redirect), an unknown one is 404."""
    response = WEB.get(path, follow_redirects=False)
    return response.status_code == 303 and "/connexion" in response.headers["location"]


def test_an_unknown_page_is_told_apart() -> None:
    assert not page_exists("/pas-une-page")
    assert page_exists("/tableau-de-bord")


def test_every_kind_has_a_template_and_a_sample() -> None:
    assert set(CONTEXTS) == set(KINDS) == set(EXPECTED)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_template_renders_in_french_without_codes_linking_to_its_page(kind: str) -> None:
    attachments = [{"filename": "avis.pdf", "sha256": "ab" * 32, "size": 2048}]
    mail = render(kind, member={"code": "ludres", "name": "Ville de Ludres"},
                  context=CONTEXTS[kind], attachments=attachments,
                  public_url="https://mutualis.example/")  # fmt: skip
    link = "https://mutualis.example" + KINDS[kind].link
    for body in (mail.text, mail.html):
        assert "Madame, Monsieur," in body
        assert "Ville de Ludres" in body
        assert link in body
        for expected in EXPECTED[kind]:
            assert expected in body, (kind, expected)
        assert "ab" * 32 in body
        assert "2 Kio" in body
        visible = re.sub(r"<[^>]+>|https?://\S+|avis\.pdf|\b[0-9a-f]{64}\b", " ", body)
        assert not CODES.search(visible), (kind, CODES.search(visible))
    assert 'lang="fr"' in mail.html
    assert "<script" not in mail.html
    assert mail.subject
    assert not CODES.search(mail.subject)
    path, _, anchor = KINDS[kind].link.partition("#")
    assert page_exists(path)
    if anchor:  # the section of the member's dashboard it points to
        assert f'id="{anchor}"' in DASHBOARD
    assert ("ne peut pas être désactivé" in mail.text) is KINDS[kind].required


def test_html_escapes_what_the_caller_gives() -> None:
    mail = render("decision_due", member={"code": "x", "name": "A & B"},
                  context={"title": "<b>urgent</b>", "due_on": "2026-06-30"},
                  attachments=[], public_url="http://x")  # fmt: skip
    assert "&lt;b&gt;urgent&lt;/b&gt;" in mail.html
    assert "A &amp; B" in mail.html
    assert "<b>urgent</b>" in mail.text
