"""The pack's budget follow-up as a pure function of billing's and the registry's figures: the
member's calendar as a sentence, the remarks, the totals (no database)."""

from __future__ import annotations

from typing import Any

from services.governance.packs.budget import calendar_text, follow_up


def sources(**forecast: Any) -> dict[str, Any]:
    return {
        "names": {"ludres": "Ludres", "laxou": "Laxou"},
        "final": {
            "run": {"id": 9},
            "members": [
                {"member_code": "ludres", "name": "Ludres", "invoiced": True,
                 "operating_invoiced": "1000.10", "investment": "200.00"},
                {"member_code": "grand-nancy", "name": "Métropole", "invoiced": False,
                 "operating_invoiced": "0.00", "investment": "0.00"},
            ],
            "recovery": [
                {"member_code": "ludres", "titled": "1200.10", "paid": "100.00",
                 "outstanding": "1100.10", "overdue": "0.00"},
            ],
        },
        "forecasts": {
            "ludres": {"run_id": 4, "notified_at": "2024-04-02T09:00:00+00:00",
                       "amount": "1100.00", **forecast},
        },
        "calendars": {
            "ludres": {"member_code": "ludres", "bp_voted_on": "2024-03-15",
                       "bs_voted_on": "2024-06-10", "dm_dates": ["2024-09-20", "2024-11-30"]},
            "laxou": {"member_code": "laxou", "bp_voted_on": None, "bs_voted_on": None,
                      "dm_dates": []},
        },
    }  # fmt: skip


def test_the_calendar_reads_as_a_sentence() -> None:
    calendar = {"bp_voted_on": "2024-03-15", "bs_voted_on": None, "dm_dates": ["2024-09-20"]}
    assert calendar_text(calendar, "2024-03-01T09:00:00+00:00") == (
        "budget voté le 15/03/2024, décision modificative votée le 20/09/2024, "
        "prévision notifiée le 01/03/2024"
    )
    assert calendar_text(None, None) == (
        "date du vote du budget non renseignée, aucune prévision notifiée"
    )


def test_a_member_line_sets_billings_figures_against_its_calendar() -> None:
    pack = follow_up(sources(), 2024)
    rows = {r["member_code"]: r for r in pack["members"]}
    assert sorted(rows) == ["laxou", "ludres"]  # the host, not invoiced, has no line
    ludres = rows["ludres"]
    assert (ludres["forecast"], ludres["final"], ludres["titled"], ludres["paid"]) == (
        "1100.00",
        "1200.10",
        "1200.10",
        "100.00",
    )
    assert ludres["calendar"] == (
        "budget voté le 15/03/2024, budget supplémentaire voté le 10/06/2024, décisions "
        "modificatives votées le 20/09/2024, 30/11/2024, prévision notifiée le 02/04/2024"
    )
    assert ludres["remarks"] == [
        "Prévision notifiée après le vote du budget primitif.",
        "Montant définitif supérieur de 100,10 € à la prévision notifiée : une décision "
        "modificative peut être nécessaire.",
    ]
    assert rows["laxou"]["forecast"] is None
    assert rows["laxou"]["calendar"].startswith("date du vote du budget non renseignée")
    assert pack["totals"]["final"] == "1200.10"
    assert pack["totals"]["paid"] == "100.00"
    assert pack["final_run_id"] == 9


def test_no_remark_when_the_forecast_came_before_the_vote_and_covers_the_bill() -> None:
    pack = follow_up(sources(notified_at="2024-03-01T09:00:00+00:00", amount="1200.10"), 2024)
    ludres = next(r for r in pack["members"] if r["member_code"] == "ludres")
    assert ludres["remarks"] == []
