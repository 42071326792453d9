"""Pure computations on a convention's terms (no database)."""

from __future__ import annotations

import datetime as dt

from services.registry.conventions import terms

D = dt.date.fromisoformat


def five_year_convention(**overrides: object) -> terms.Terms:
    values: dict[str, object] = {
        "code": "c",
        "starts_on": D("2024-01-01"),
        "ends_on": D("2024-12-31"),
        "tacit_renewal": True,
        "renewal_months": 12,
        "max_ends_on": None,
        "notice_months": 3,
        "terminated_on": None,
    }
    values.update(overrides)
    return terms.Terms(**values)  # type: ignore[arg-type]


def test_add_months_clamps_to_the_end_of_shorter_months() -> None:
    assert terms.add_months(D("2024-01-31"), 1) == D("2024-02-29")
    assert terms.add_months(D("2025-01-01"), -3) == D("2024-10-01")


def test_a_tacitly_renewed_convention_has_four_renewals_in_five_years() -> None:
    convention = five_year_convention()
    assert terms.term_ends(convention) == [
        D("2024-12-31"),
        D("2025-12-31"),
        D("2026-12-31"),
        D("2027-12-31"),
    ]
    assert terms.effective_end(convention) == D("2028-12-31")


def test_a_denunciation_ends_renewals() -> None:
    convention = five_year_convention(terminated_on=D("2025-12-31"))
    assert terms.effective_end(convention) == D("2025-12-31")
    assert terms.term_ends(convention) == [D("2024-12-31")]


def test_an_extension_pushes_the_end_of_a_fixed_term() -> None:
    convention = five_year_convention(
        tacit_renewal=False,
        starts_on=D("2017-10-01"),
        ends_on=D("2022-09-30"),
        extensions=(D("2023-12-31"),),
    )
    assert terms.in_force(convention, D("2023-12-31"))
    assert not terms.in_force(convention, D("2024-01-01"))
