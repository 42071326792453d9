"""Replacing a final run whose titles were issued: the corrections that bring the titles to the
new run, line by line, shown then issued after confirmation; the next year's cap reads the net
amounts actually titled.

Hand computation (the worked example of docs/billing.md, titled, then its final run replaced
after the "sig" cost line went from 300.00 to 240.00 and a direct investment of 60.00 was added
for Nancy):

- Ludres, operating: payroll 2 000.00, direct sig 100.00 → 80.00, storage 250.00; before the
  cap 2 350.00 → 2 330.00; cap 2 100.00 (average of 2 000, 2 100, 2 200) holds the total at
  2 100.00. The écrêtement is taken from the largest line (payroll): titled payroll 1 750.00 and
  operating 350.00 become payroll 1 770.00 (2 000 − 230) and operating 330.00: a complementary
  title of 20.00 on payroll and a reduction of 20.00 on the operating line.
- Nancy, operating: payroll 2 500.00, sig 200.00 → 160.00, storage 250.00: 2 950.00 → 2 910.00
  (under its cap of 3 000.00): a reduction of 40.00 on the operating line.
- Nancy, investment: 333.33 + 60.00 = 393.33: a complementary title of 60.00.
- Laxou and Ludres's investment: unchanged, nothing.
"""

from __future__ import annotations

from typing import Any

from services.billing.models import Run
from services.billing.runs.execution import _inputs_of_billing
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR, check

REASON = "Erreur de saisie du coût du SIG, corrigée par le service"


def replaced(service_app: Any) -> tuple[TitlesPlatform, int]:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    sig = next(
        line["id"]
        for line in check(platform.catalogue.get("/cost-lines", params={"fiscal_year": YEAR}))[
            "items"
        ]
        if line["component_code"] == "sig"
    )
    check(platform.catalogue.patch(f"/cost-lines/{sig}", json={"amount": "240.00"}))
    platform.cost_line("firewall", "60.00", section="investment", weights={"nancy": "1"})
    run = platform.run("final", replacement_reason="Coût du SIG corrigé après émission")
    assert run["status"] == "succeeded", run
    return platform, int(run["id"])


def test_the_proposals_are_the_hand_computed_differences(service_app: Any) -> None:
    platform, run_id = replaced(service_app)
    proposals = check(platform.billing.get(f"/runs/{run_id}/regularisation"))
    found = {
        (p["member_code"], p["section"]): (
            {line["line_kind"]: line["difference"] for line in p["lines"]},
            [(c["kind"], c["amount"]) for c in p["corrections"]],
        )
        for p in proposals
    }
    assert found == {
        ("ludres", "operating"): (
            {"payroll": "20.00", "operating": "-20.00"},
            [("complementary", "20.00"), ("reduction", "20.00")],
        ),
        ("nancy", "operating"): (
            {"payroll": "0.00", "operating": "-40.00"},
            [("reduction", "40.00")],
        ),
        ("nancy", "investment"): ({"investment": "60.00"}, [("complementary", "60.00")]),
    }
    # nothing issued without the confirmation
    assert {t["kind"] for t in platform.titles()} == {"title"}


def test_confirmed_the_corrections_bring_every_title_to_the_new_run(service_app: Any) -> None:
    platform, run_id = replaced(service_app)
    body = {"reason": REASON}
    unconfirmed = platform.billing.post(f"/runs/{run_id}/regularisation", json=body)
    assert unconfirmed.status_code == 422
    made = check(platform.regularise(run_id, **body, confirm=True))
    summary = sorted(
        (m["member_code"], m["section"], m["kind"], m["total"],
         tuple((a["original_line_kind"], a["amount"]) for a in m["content"]["imputation"]))
        for m in made
    )  # fmt: skip
    assert summary == [
        ("ludres", "operating", "complementary", "20.00", (("payroll", "20.00"),)),
        ("ludres", "operating", "reduction", "-20.00", (("operating", "-20.00"),)),
        ("nancy", "investment", "complementary", "60.00", (("investment", "60.00"),)),
        ("nancy", "operating", "reduction", "-40.00", (("operating", "-40.00"),)),
    ]
    assert all(REASON in m["reason"] and f"n° {run_id}" in m["reason"] for m in made)
    balances = {
        (t["member_code"], t["section"]): t["balance"]
        for t in platform.titles()
        if t["kind"] == "title"
    }
    assert balances[("ludres", "operating")] == "2100.00"
    assert balances[("nancy", "operating")] == "2910.00"
    assert balances[("nancy", "investment")] == "393.33"
    assert balances[("laxou", "operating")] == "500.00"
    # all said: a second regularisation has nothing to do
    again = platform.regularise(run_id, **body, confirm=True)
    assert again.status_code == 409
    assert check(platform.billing.get(f"/runs/{run_id}/regularisation")) == []


def test_the_next_years_cap_reads_the_net_amounts_titled(service_app: Any) -> None:
    platform, run_id = replaced(service_app)
    check(platform.regularise(run_id, reason=REASON, confirm=True))
    nancy = next(
        t
        for t in platform.titles(member_code="nancy")
        if t["kind"] == "title" and t["section"] == "operating"
    )
    check(
        platform.correct(
            nancy["id"],
            **{
                "kind": "reduction",
                "lines": [{"line_kind": "payroll", "amount": "100.00"}],
                "reason": "Erreur matérielle : cinq postes comptés deux fois",
            },
        )
    )
    platform.parameters("10000.00", year=YEAR + 1)
    with platform.billing_app.state.test_sessionmaker() as session:
        _, history = _inputs_of_billing(session, Run(fiscal_year=YEAR + 1, kind="final"))
    titled = {(h.member_code, h.fiscal_year): (h.operating_total, h.source) for h in history}
    # 2 950.00 titled, − 40.00 regularised, − 100.00 reduced; the run itself says 2 910.00
    assert titled[("nancy", YEAR)] == ("2810.00", "titles")
    assert titled[("ludres", YEAR)] == ("2100.00", "titles")
    assert titled[("ludres", YEAR - 1)] == ("2200.00", "import")
