"""The French check of the browser journeys catches what it is for, and only that."""

from __future__ import annotations

import pytest

from tests.e2e.journey import not_french


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Input should be a valid decimal", ["Input", "should", "valid"]),
        ("String should have at least 2 characters", ["String", "should", "least", "characters"]),
        ("Value error, not a valid SIRET", ["Value", "error", "not", "valid"]),
        ("2023 storage_gb chaligny créé", ["storage_gb"]),
        ("Vote prévu le 2026-03-15", ["2026-03-15"]),
        ("urn:mutualis:problem:siret-taken", ["urn:mutualis"]),
    ],
)
def test_english_words_and_raw_codes_are_found(text: str, found: list[str]) -> None:
    assert not_french(text) == found


def test_french_messages_dates_and_title_numbers_pass() -> None:
    text = (
        "Une réduction est partielle : moins que le solde dû (800,00 €) ; titre 2026-01-000035, "
        "émis le 02/12/2026 — thé, île, Chorus Pro exige un code service."
    )
    assert not_french(text) == []
