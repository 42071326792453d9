"""Acknowledgements from Hélios: the s2low samples as they are, an acquit in their shape for
the demo's own bordereaux (one taken, one rejected with an error), unknown bordereaux reported,
the same acquit twice, a rejected bordereau's titles sent again under a new number."""

from __future__ import annotations

from typing import Any

from lxml import etree

from services.billing.invoices import acquits
from services.billing.models import Bordereau
from tests.billing.helios_support import (
    ACQUIT_SAMPLE,
    FRENCH,
    SAMPLES,
    acquit,
    post_acquit,
    states_of,
    two_bordereaux,
)
from tests.billing.test_payments import CSV, french, to_cents
from tests.billing.test_payments import csv as payments_csv
from tests.billing.upstream import check

SIRET_ERROR = ("ERREUR_SIRET", "SIRET DU DEBITEUR INCONNU")
SENT = {"confirm": True}


def test_the_sample_acquit_validates_against_the_v2_schema_and_is_read() -> None:
    xml = ACQUIT_SAMPLE.read_bytes()
    assert acquits.schema().validate(etree.fromstring(xml))
    read = acquits.read(xml)
    assert read.file_name == "pescg291201703030412001"
    assert read.header == {"IdPost": "086016", "IdColl": "20004910400025", "CodCol": "400",
                           "CodBud": "01"}  # fmt: skip
    bordereau, *documents = read.elements
    assert (bordereau.number, bordereau.exercice, bordereau.accepted) == (1847, 2015, True)
    assert [d.id_unique for d in documents][0] == "200049104000252015DEPENSE0000087458"
    assert len(documents) == 4
    assert all(d.accepted and d.number is None for d in documents)


def test_the_sample_names_another_collectivity_and_is_reported_not_ignored(
    service_app: Any,
) -> None:
    platform, made = two_bordereaux(service_app)
    answer = post_acquit(platform, ACQUIT_SAMPLE.read_bytes())
    assert answer.status_code == 201, answer.text
    report = answer.json()["report"]
    outcomes = [(i["kind"], i["outcome"]) for i in report["items"]]
    assert outcomes == [("bordereau", "unknown")] + [("attachment", "unknown")] * 4
    assert "autre collectivité" in report["items"][0]["message_fr"]
    assert len(report["unknown"]) == 5
    assert {b["state"] for b in check(platform.billing.get("/bordereaux"))["items"]} == {"signed"}


def test_the_other_samples_are_refused_in_french(service_app: Any) -> None:
    platform, _ = two_bordereaux(service_app)
    for name in ("PES_Exemple_Ack.xml", "PES_ACQUIT_RETOUR.xml", "pes_retour.xml"):
        answer = post_acquit(platform, (SAMPLES / name).read_bytes(), **FRENCH)
        assert answer.status_code == 422, name
        assert answer.json()["type"] == "urn:mutualis:problem:acquit-invalid"
        assert "PES_ACQUIT V2 est attendu" in answer.json()["detail"]
    broken = post_acquit(platform, b"<n:PES_ACQUIT", **FRENCH)
    assert broken.status_code == 422
    assert "pas du XML" in broken.json()["detail"]
    invalid = acquit([]).replace(b'<IdVer V="2"/>', b'<IdVer V="x"/>')
    answer = post_acquit(platform, invalid, **FRENCH)
    assert answer.status_code == 422
    assert "schéma PES_ACQUIT V2" in answer.json()["detail"]
    assert answer.json()["errors"]


def test_an_acquit_for_the_demo_bordereaux_changes_their_titles_states(service_app: Any) -> None:
    platform, (taken, rejected) = two_bordereaux(service_app)
    assert states_of(platform, taken["invoice_ids"]) == {"signed"}
    sent = check(platform.billing.post(f"/bordereaux/{taken['id']}/sent", json=SENT))
    assert sent["state"] == "sent"
    assert states_of(platform, taken["invoice_ids"]) == {"sent"}
    piece = check(platform.billing.get(f"/invoices/{rejected['invoice_ids'][0]}"))["number"]
    xml = acquit(
        [(taken, True, []), (rejected, False, [SIRET_ERROR])],
        details={rejected["number"]: [(piece, "ERREUR_CODIFICATION", "NATURE 7062")]},
    )
    answer = post_acquit(platform, xml)
    assert answer.status_code == 201, answer.text
    report = answer.json()["report"]
    assert [i["outcome"] for i in report["items"]] == ["accepted", "rejected"]
    assert report["unknown"] == []
    assert states_of(platform, taken["invoice_ids"]) == {"accepted"}
    assert states_of(platform, rejected["invoice_ids"]) == {"rejected"}
    errors = check(platform.billing.get(f"/bordereaux/{rejected['id']}"))["errors"]
    assert errors[0] == {"code": "ERREUR_SIRET", "label": "SIRET DU DEBITEUR INCONNU",
                         "explanation": acquits.EXPLANATIONS["ERREUR_SIRET"], "piece": None,
                         "line": None}  # fmt: skip
    assert (errors[1]["code"], errors[1]["piece"]) == ("ERREUR_CODIFICATION", piece)
    by_state = {s: sorted(t["id"] for t in platform.titles(state=s)) for s in
                ("accepted", "rejected", "signed", "sent")}  # fmt: skip
    assert by_state == {
        "accepted": sorted(taken["invoice_ids"]),
        "rejected": sorted(rejected["invoice_ids"]),
        "signed": [],
        "sent": [],
    }
    listed = check(platform.billing.get("/bordereaux", params={"state": "rejected"}))["items"]
    assert [b["id"] for b in listed] == [rejected["id"]]
    assert check(platform.billing.get(f"/bordereaux/{rejected['id']}"))["sent_at"] is not None


def test_an_unknown_bordereau_is_reported(service_app: Any) -> None:
    platform, (taken, _) = two_bordereaux(service_app)
    ghost = {**taken, "number": 99}
    other_budget = acquit([(taken, True, [])]).replace(b'CodBud V="01"', b'CodBud V="07"')
    answer = check(post_acquit(platform, acquit([(ghost, False, [SIRET_ERROR])])))
    assert answer["report"]["items"][0]["outcome"] == "unknown"
    assert answer["report"]["unknown"][0]["number"] == 99
    assert "inconnu de Mutualis" in answer["report"]["unknown"][0]["message_fr"]
    assert answer["report"]["unknown"][0]["errors"][0]["code"] == "ERREUR_SIRET"
    second = check(post_acquit(platform, other_budget))
    assert second["report"]["items"][0]["outcome"] == "unknown"
    assert states_of(platform, taken["invoice_ids"]) == {"signed"}
    listed = check(platform.billing.get("/acquits"))
    assert [a["id"] for a in listed] == [second["id"], answer["id"]]


def test_the_same_acquit_twice_changes_nothing(service_app: Any) -> None:
    platform, (taken, rejected) = two_bordereaux(service_app)
    xml = acquit([(taken, True, []), (rejected, False, [SIRET_ERROR])])
    first = post_acquit(platform, xml)
    assert first.status_code == 201
    before = check(platform.billing.get("/bordereaux"))["items"]
    again = post_acquit(platform, xml)
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert again.json()["id"] == first.json()["id"]
    assert check(platform.billing.get("/bordereaux"))["items"] == before
    assert len(check(platform.billing.get("/acquits"))) == 1
    # another file saying the same: unchanged; saying otherwise: a conflict, not applied
    same = check(post_acquit(platform, acquit([(taken, True, [])]) + b"\n"))
    assert same["report"]["items"][0]["outcome"] == "unchanged"
    other = check(post_acquit(platform, acquit([(taken, False, [SIRET_ERROR])])))
    assert other["report"]["items"][0]["outcome"] == "conflict"
    assert check(platform.billing.get("/bordereaux"))["items"] == before


def test_a_rejected_bordereau_is_sent_again_under_a_new_number(service_app: Any) -> None:
    platform, (taken, rejected) = two_bordereaux(service_app)
    numbers = {i: check(platform.billing.get(f"/invoices/{i}"))["number"]
               for i in rejected["invoice_ids"]}  # fmt: skip
    finance = platform.billing.post(f"/bordereaux/{rejected['id']}/resend", json=SENT)
    assert finance.status_code == 403  # a new file is a new signature: the signatory's
    early = platform.signatory.post(f"/bordereaux/{rejected['id']}/resend", json=SENT)
    assert early.status_code == 409
    assert early.json()["type"] == "urn:mutualis:problem:bordereau-not-rejected"
    check(post_acquit(platform, acquit([(taken, True, []), (rejected, False, [SIRET_ERROR])])))
    again = platform.signatory.post(f"/bordereaux/{rejected['id']}/resend", json=SENT)
    assert again.status_code == 201, again.text
    new = again.json()
    assert new["number"] == 3  # the next of the series: numbers are never reused
    assert new["resent_from_id"] == rejected["id"]
    assert sorted(new["invoice_ids"]) == sorted(rejected["invoice_ids"])
    assert new["state"] == "signed"
    assert new["signed_by"]
    old = check(platform.billing.get(f"/bordereaux/{rejected['id']}"))
    assert (old["state"], old["resent_as_id"]) == ("rejected", new["id"])
    assert sorted(old["invoice_ids"]) == sorted(rejected["invoice_ids"])
    for invoice_id, number in numbers.items():
        title = check(platform.billing.get(f"/invoices/{invoice_id}"))
        assert (title["number"], title["bordereau"]["number"]) == (number, 3)
        assert title["state"] == "signed"
    pes = platform.billing.get(f"/bordereaux/{new['id']}/pes.xml")
    assert b'<IdBord V="3"/>' in pes.content
    twice = platform.signatory.post(f"/bordereaux/{rejected['id']}/resend", json=SENT)
    assert twice.status_code == 409
    accepted = check(post_acquit(platform, acquit([(new, True, [])])))
    assert accepted["report"]["items"][0]["outcome"] == "accepted"
    assert states_of(platform, rejected["invoice_ids"]) == {"accepted"}
    # the round trip ends with the comptable's recovery: the re-sent titles paid
    paying = [check(platform.billing.get(f"/invoices/{i}")) for i in rejected["invoice_ids"]]
    lines = [
        f"{t['exercice']};{t['number']};25/09/{t['exercice']};{french(to_cents(t['total']))};"
        f"VIR-{t['number']}"
        for t in paying
    ]
    body = payments_csv(*lines)
    check(platform.billing.post("/payments.csv", content=body, headers=CSV))
    assert states_of(platform, rejected["invoice_ids"]) == {"paid"}


def test_marking_sent_needs_a_confirmation_and_happens_once(service_app: Any) -> None:
    platform, (taken, _) = two_bordereaux(service_app)
    unconfirmed = platform.billing.post(f"/bordereaux/{taken['id']}/sent", json={})
    assert unconfirmed.status_code == 422
    check(platform.billing.post(f"/bordereaux/{taken['id']}/sent", json=SENT))
    twice = platform.billing.post(f"/bordereaux/{taken['id']}/sent", json=SENT, headers=FRENCH)
    assert twice.status_code == 409
    assert "déjà marqué comme transmis" in twice.json()["detail"]
    audit = check(platform.billing.get("/audit-entries", params={"resource_type": "bordereau"}))
    assert [e["action"] for e in audit["items"]] == ["send"]


def test_attached_documents_are_acknowledged_on_the_bordereau_that_carries_them(
    service_app: Any,
) -> None:
    platform, (taken, _) = two_bordereaux(service_app)
    with platform.billing_app.state.test_sessionmaker() as session:
        # a PES_PJ as the notices attached to the PES will carry it (its IdUnique)
        stored = session.get(Bordereau, taken["id"])
        stored.pes_xml = stored.pes_xml.replace(
            b"</n:PES_Aller>",
            b'<PES_PJ><PJ><IdUnique V="ASAP2024000001"/></PJ></PES_PJ></n:PES_Aller>',
        )
        session.commit()
    xml = acquit([], attachments=[("ASAP2024000001", False), ("INCONNUE42", True)])
    report = check(post_acquit(platform, xml))["report"]
    assert [(i["kind"], i["outcome"]) for i in report["items"]] == [
        ("attachment", "rejected"),
        ("attachment", "unknown"),
    ]
    assert "INCONNUE42 n'est dans aucun bordereau" in report["unknown"][0]["message_fr"]
    read = check(platform.billing.get(f"/bordereaux/{taken['id']}"))
    assert read["attachments"]["ASAP2024000001"]["accepted"] is False
    assert read["state"] == "signed"  # a document's acknowledgement is not its bordereau's


def test_the_state_filter_agrees_with_every_title_state(service_app: Any) -> None:
    """The SQL of ``?state=`` and the state each title shows are one derivation."""
    platform, (taken, rejected) = two_bordereaux(service_app)
    check(platform.billing.post(f"/bordereaux/{taken['id']}/sent", json=SENT))
    check(post_acquit(platform, acquit([(rejected, False, [SIRET_ERROR])])))
    first = check(platform.billing.get(f"/invoices/{taken['invoice_ids'][0]}"))
    amount = first["total"].replace(".", ",")
    body = f"exercice;titre;date;montant;reference\n{first['exercice']};{first['number']};"
    check(platform.billing.post("/payments.csv", headers={"Content-Type": "text/csv"},
                                content=f"{body}01/06/2024;{amount};V1\n".encode()))  # fmt: skip
    line = first["content"]["imputation"][0]["line_kind"]
    prepared = platform.billing.post(
        f"/invoices/{first['id']}/corrections",
        json={"kind": "reduction", "lines": [{"line_kind": line, "amount": "1.00"}],
              "reason": "Erreur matérielle : un poste compté deux fois"},
    )  # fmt: skip
    assert prepared.status_code == 201, prepared.text
    every = platform.titles()
    shown = {t["id"]: t["state"] for t in every}
    assert set(shown.values()) >= {"paid", "sent", "rejected", "prepared"}
    for state in ("ready", "prepared", "validated", "signed", "sent", "accepted", "rejected",
                  "partly_paid", "paid", "cancelled"):  # fmt: skip
        listed = {t["id"] for t in platform.titles(state=state)}
        assert listed == {i for i, s in shown.items() if s == state}, state
