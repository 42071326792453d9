"""Settlement on the attribution de compensation (CGCT L5211-4-2): the choice per commune and
year with its deliberation, no operating title for it while the others get theirs, its AC
statement and CLECT document, and the year-end balancing.

Hand computation (the worked example of docs/billing.md): Ludres's operating amount in the final
run is 2 100.00 (capped at the mean of 2 000, 2 100, 2 200). Deducted in advance 1 800.00: a
balancing title of 2 100.00 − 1 800.00 = 300.00. Deducted 2 500.00: 400.00 reimbursed.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from pypdf import PdfReader

from services.billing.invoices import repository as invoices_repository
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import YEAR, check
from tests.conftest import as_admin, as_contact, assert_refused, identity_headers, sync_client

FR = {"Accept-Language": "fr"}
KEYS = ("member_code", "fiscal_year")  # what a change does not repeat


def choice(member: str = "ludres", **extra: Any) -> dict[str, Any]:
    return {
        "member_code": member,
        "fiscal_year": YEAR,
        "deliberation_ref": "n° 2024-031",
        "deliberated_on": f"{YEAR}-02-12",
        "deliberating_body": "Conseil municipal de Ludres",
        "basis": "amount",
        "deducted_amount": "1800.00",
        **extra,
    }


def settled(service_app: Any, **extra: Any) -> tuple[TitlesPlatform, int, dict[str, Any]]:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    made = check(platform.billing.post("/settlements", json=choice(**extra)))
    return platform, run_id, made


def test_a_choice_is_recorded_refused_changed_and_withdrawn(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue(bp_voted=("nancy", "laxou"))  # Ludres's BP not voted
    waiting = check(platform.prepare(run_id, members=["ludres"]))["waiting"]
    assert {w["section"] for w in waiting} == {"operating", "investment"}
    vote = {"attachment_name": "deliberation.pdf", "attachment_media_type": "application/pdf",
            "attachment_base64": base64.b64encode(b"%PDF-1.4 vote").decode()}  # fmt: skip
    made = check(platform.billing.post("/settlements", json=choice(**vote)))
    # its waiting operating title is withdrawn: the AC replaces it
    left = platform.titles(member_code="ludres")
    assert [(t["section"], t["status"]) for t in left] == [("investment", "ready")]
    assert (made["member_code"], made["deducted"], made["basis_label"]) == (
        "ludres", "1800.00", "montant fixé par la délibération",
    )  # fmt: skip
    assert made["member_name"] == "Ludres"
    assert made["deliberating_body"].startswith("Conseil")
    body = {k: v for k, v in choice(deducted_amount="1900.00").items()
            if k not in ("member_code", "fiscal_year")}  # fmt: skip
    changed = check(platform.billing.put(f"/settlements/{made['id']}", json=body))
    assert changed["deducted"] == "1900.00"
    assert changed["has_attachment"]  # a change that does not name the file keeps it
    attached = platform.billing.get(f"/settlements/{made['id']}/attachment")
    assert attached.content == b"%PDF-1.4 vote"
    listed = check(platform.billing.get("/settlements", params={"fiscal_year": YEAR}))
    assert [s["member_code"] for s in listed] == ["ludres"]
    # the forecast's basis: what the forecast made available said for Ludres
    forecast = check(platform.billing.put(
        f"/settlements/{made['id']}", json={**body, "basis": "forecast", "deducted_amount": None}
    ))  # fmt: skip
    assert (forecast["deducted"], forecast["basis"]) == ("2100.00", "forecast")
    assert forecast["basis_run_id"] is not None
    again = platform.billing.post("/settlements", json=choice(), headers=FR)
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "Le choix de Ludres pour 2024 est déjà enregistré (délibération n° 2024-031) : "
        "modifiez-le plutôt."
    )
    platform.member("ccas-ludres", kind="ccas")
    ccas = platform.billing.post("/settlements", json=choice("ccas-ludres"), headers=FR)
    assert_refused(ccas, "member_code")
    assert ccas.json()["detail"] == (
        "Seule une commune membre peut régler sa contribution par imputation sur son "
        "attribution de compensation (art. L5211-4-2 du CGCT) : Ccas Ludres est un centre "
        "communal d'action sociale."
    )
    host = platform.billing.post("/settlements", json=choice("grand-nancy"), headers=FR)
    assert_refused(host, "member_code")
    missing = platform.billing.post("/settlements", json=choice(deducted_amount=None), headers=FR)
    assert_refused(missing)
    # a member's contact reads its own choice, never writes one
    contact = sync_client(platform.billing_app, base_url="http://x", headers=as_contact("ludres"))
    assert [s["member_code"] for s in check(contact.get("/settlements"))] == ["ludres"]
    assert contact.post("/settlements", json=choice("nancy")).status_code == 403
    assert platform.billing.delete(f"/settlements/{made['id']}").status_code == 204
    assert check(platform.billing.get("/settlements")) == []


def test_no_title_for_the_ac_member_its_statement_and_clect_pdf(service_app: Any) -> None:
    platform, run_id, made = settled(service_app)
    result = check(platform.prepare(run_id))  # the signatory's validation is not the point
    prepared = {(t["member_code"], t["section"]) for t in result["prepared"]}
    assert prepared == {
        ("laxou", "operating"), ("nancy", "operating"),
        ("laxou", "investment"), ("ludres", "investment"), ("nancy", "investment"),
    }  # fmt: skip
    (skip,) = result["skipped"]
    assert (skip["member_code"], skip["section"], skip["reason"]) == (
        "ludres", "operating", "settled-by-compensation",
    )  # fmt: skip
    assert skip["detail"].startswith("Réglé par l'attribution de compensation")
    assert "1\u202f800,00 €" in skip["detail"]
    # too late once a title is on its way
    nancy = platform.billing.post("/settlements", json=choice("nancy"), headers=FR)
    assert nancy.status_code == 409
    assert nancy.json()["type"].endswith("settlement-already-titled")
    # the AC statement: the deduction against the final run, the dashboard's sentence
    statement = check(platform.billing.get(f"/settlements/{made['id']}/statement"))
    assert statement["final_run_id"] == run_id
    row = check(platform.billing.get(f"/runs/{run_id}/members/ludres"))
    assert statement["final_amount"] == row["operating_invoiced"] == "2100.00"
    assert (statement["difference"], statement["balance_kind"]) == ("300.00", "title")
    assert statement["payer"] == "Métropole du Grand Nancy"
    assert statement["explanation"].startswith(
        f"Votre contribution {YEAR} est réglée par imputation sur votre attribution de "
        "compensation, versée par Métropole du Grand Nancy"
    )
    assert "1\u202f800,00 €" in statement["explanation"]
    assert "un titre de solde de 300,00 €" in statement["explanation"]
    html = platform.billing.get(f"/settlements/{made['id']}/statement.html")
    assert html.status_code == 200
    assert "CLECT" in html.text
    # the CLECT document: a French PDF
    pdf = platform.billing.get(f"/settlements/{made['id']}/statement.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(pdf.content)).pages
    ).replace("\u202f", " ")
    assert "attribution de compensation" in text
    assert "2 100,00 €" in text
    assert "1 800,00 €" in text
    assert "300,00 €" in text


def test_the_balancing_title_is_the_hand_computed_difference(service_app: Any) -> None:
    platform, run_id, made = settled(service_app)
    check(platform.issue(run_id, members=["nancy"], sections=["operating"]))
    unconfirmed = platform.billing.post(
        f"/settlements/{made['id']}/balance", json={"confirm": False}
    )
    assert_refused(unconfirmed, "confirm")
    balanced = check(
        platform.billing.post(f"/settlements/{made['id']}/balance", json={"confirm": True})
    )
    invoice = balanced["invoice"]
    assert (invoice["member_code"], invoice["section"], invoice["total"], invoice["status"]) == (
        "ludres", "operating", "300.00", "prepared",
    )  # fmt: skip
    assert balanced["settlement"]["balance_kind"] == "title"
    issued = check(platform.validate([invoice["id"]]))["issued"]
    assert [(t["total"], t["reference"] is not None) for t in issued] == [("300.00", True)]
    # the year's cap history reads the final run for Ludres, not this partial title
    with platform.billing_app.state.test_sessionmaker() as session:
        titled = invoices_repository.net_titled_operating(session, [YEAR])
    assert "ludres" not in {code for _y, code in titled}
    assert titled[(YEAR, "nancy")] == 295000
    again = platform.billing.post(f"/settlements/{made['id']}/balance", json={"confirm": True})
    assert again.status_code == 409
    changed = platform.billing.delete(f"/settlements/{made['id']}")
    assert changed.status_code == 409
    # a replacing final run never takes the balance for Ludres's whole year's title
    lines = check(platform.catalogue.get("/cost-lines", params={"fiscal_year": YEAR}))["items"]
    sig = next(line["id"] for line in lines if line["component_code"] == "sig")
    check(platform.catalogue.patch(f"/cost-lines/{sig}", json={"amount": "240.00"}))
    replacing = platform.run("final", replacement_reason="Coût du SIG corrigé après émission")
    proposals = check(platform.billing.get(f"/runs/{replacing['id']}/regularisation"))
    assert {(p["member_code"], p["section"]) for p in proposals} == {("nancy", "operating")}


def test_a_deduction_above_the_final_amount_is_reimbursed(service_app: Any) -> None:
    platform, _run, made = settled(service_app, deducted_amount="2500.00")
    balanced = check(
        platform.billing.post(f"/settlements/{made['id']}/balance", json={"confirm": True})
    )
    assert balanced["invoice"] is None
    assert (balanced["settlement"]["balance_kind"], balanced["settlement"]["balance"]) == (
        "reimbursement", "-400.00",
    )  # fmt: skip
    csv = platform.billing.get(f"/settlements-reimbursements/{YEAR}.csv")
    assert csv.status_code == 200
    (row,) = csv.content.decode("utf-8-sig").splitlines()[1:]
    cells = row.split(";")
    assert cells[0] == f"{YEAR}-AC-ludres"
    assert cells[5] == "739211"
    assert cells[7] == "400,00"
    assert "trop imputé sur l'attribution de compensation" in cells[11]


def test_the_demo_has_two_communes_settling_2026_through_their_ac(service_app: Any) -> None:
    from services.billing import demo

    app = service_app("billing")
    with app.state.test_sessionmaker() as session:
        assert demo.load(session) is True
        session.commit()
    billing = sync_client(app, base_url="http://x", headers=as_admin())
    found = check(billing.get("/settlements", params={"fiscal_year": 2026}))
    assert [(s["member_code"], s["deducted"]) for s in found] == [
        ("houdemont", "20460.00"),
        ("ludres", "50160.00"),
    ]


def test_the_gateway_lets_a_deliberations_file_through() -> None:
    from gateway.limits import BodyLimitMiddleware

    limits = BodyLimitMiddleware(None, max_body=1, max_upload=2)  # type: ignore[arg-type]
    assert limits.limit_for("/api/billing/settlements") == 2
    assert limits.limit_for("/api/billing/settlements/12") == 2
    assert limits.limit_for("/api/billing/settlements/12/balance") == 1


def test_a_member_token_records_no_choice_not_even_its_own(service_app: Any) -> None:
    """The choice is the DSIT's record of the commune's deliberation: a token restricted to
    Ludres (with the right to issue) writes none of it, for Ludres or anyone else."""
    platform, _, made = settled(service_app)
    token = identity_headers(roles=("admin",), member="ludres")  # rights, one member
    own = platform.billing.post("/settlements", json=choice("ludres"), headers=token)
    update = {k: v for k, v in choice(deliberation_ref="autre").items() if k not in KEYS}
    changed = platform.billing.put(f"/settlements/{made['id']}", json=update, headers=token)
    withdrawn = platform.billing.delete(f"/settlements/{made['id']}", headers=token)
    balanced = platform.billing.post(
        f"/settlements/{made['id']}/balance", json={"confirm": True}, headers=token
    )
    answers = [r.status_code for r in (own, changed, withdrawn, balanced)]
    assert answers == [403, 403, 403, 403], [r.text for r in (own, changed, withdrawn, balanced)]
    kept = check(platform.billing.get(f"/settlements/{made['id']}"))
    assert (kept["deliberation_ref"], kept["balance_kind"]) == ("n° 2024-031", None)
