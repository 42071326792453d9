"""Notices attached and public debtors: each title's notice (the ASAP PDF/A) travels in its
PES file as a ``PES_PJ`` its piece references (``PJRef``), with the DGFiP's edition asked for
the titles; a public debtor's piece carries its SIRET and the Chorus Pro references its
structure requires, its lines their bases de liquidation; a member that requires a service
code it does not have is refused at issue, saying what to record."""

from __future__ import annotations

import gzip
from base64 import b64decode
from typing import Any

from lxml import etree
from sqlalchemy import select

from services.billing.invoices import pes
from services.registry.models import Member
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import check

REASON = "Erreur matérielle sur la clé de répartition"


def _pes(platform: TitlesPlatform, bordereau_id: int) -> etree._Element:
    xml = platform.billing.get(f"/bordereaux/{bordereau_id}/pes.xml").content
    assert pes.validation_errors(xml) == []
    return etree.fromstring(xml)


def test_each_notice_is_attached_as_a_pes_pj_its_piece_references(service_app: Any) -> None:
    platform = TitlesPlatform(service_app)
    platform.issued(platform.ready_to_issue())
    title = platform.titles(member_code="ludres", section="operating")[0]
    reduction = check(
        platform.correct(title["id"], kind="reduction", amount="100.00", reason=REASON,
                         lines=[{"line_kind": "payroll", "amount": "100.00"}])
    )  # fmt: skip
    by_number = {t["number"]: t for t in platform.titles()}
    by_number[reduction["number"]] = reduction
    seen = set()
    for bordereau in check(platform.billing.get("/bordereaux"))["items"]:
        root = _pes(platform, bordereau["id"])
        attached = {pj.find("IdUnique").get("V"): pj for pj in root.iterfind("PES_PJ/PJ")}
        pieces = list(root.iter("Piece"))
        assert len(attached) == len(pieces) == len(bordereau["invoice_ids"])
        for piece in pieces:
            bloc = piece.find("BlocPiece")
            number = int(bloc.find("IdPce").get("V"))
            ref = bloc.find("PJRef")
            assert ref.find("Support").get("V") == "01"
            pj = attached[ref.find("IdUnique").get("V")]
            assert pj.find("NomPJ").get("V") == ref.find("NomPJ").get("V")
            assert pj.find("RefCompta/Identifiant").get("V") == str(number)
            assert pj.find("RefCompta/Domaine").get("V") == "02"
            fichier = pj.find("Contenu/Fichier")
            assert fichier.get("MIMEType") == "application/pdf"
            pdf = gzip.decompress(b64decode(fichier.text))
            invoice = by_number[number]
            download = platform.billing.get(f"/invoices/{invoice['id']}/asap.pdf")
            assert pdf == download.content  # the very notice the debtor downloads
            assert pdf.startswith(b"%PDF-")
            edition = [e.get("V") for e in bloc.iter("Edition")]
            # the DGFiP edits and sends the ASAP of a title; a reduction carries its notice only
            assert edition == (["01"] if bordereau["type"] == "01" else [])
            seen.add(invoice["id"])
    assert reduction["id"] in seen
    assert {t["id"] for t in platform.titles()} <= seen


def test_a_public_debtor_piece_carries_its_siret_and_chorus_references(
    service_app: Any,
) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    check(
        platform.registry.patch(
            "/members/nancy",
            json={"debtor": {"category": "23", "legal_nature": "09",
                             "service_code_required": True, "service_code": "DSI-01",
                             "commitment_number_required": True,
                             "commitment_number": "EJ-2026-0042"}},
        )
    )  # fmt: skip
    platform.issued(run_id)
    sirets = {m["code"]: m["siret"] for m in check(platform.registry.get("/members"))["items"]}
    found = {}
    for bordereau in check(platform.billing.get("/bordereaux"))["items"]:
        root = _pes(platform, bordereau["id"])
        for piece in root.iter("Piece"):
            debtor = piece.find("LigneDePiece/Tiers/InfoTiers")
            code = next(c for c, s in sirets.items() if s == debtor.find("IdTiers").get("V"))
            assert debtor.find("NatIdTiers").get("V") == "01"  # SIRET
            obj = piece.find("BlocPiece/ObjPce").get("V")
            lines = [e.get("V") for e in piece.iter("ObjLignePce")]
            found.setdefault(code, []).append((obj, lines))
    for obj, lines in found["nancy"]:
        assert obj.endswith(" - SERVICE DSI-01 - EJ EJ-2026-0042"), obj
        assert len(obj) <= 160
        assert all(" BASE " in line for line in lines), lines
    for obj, _lines in found["ludres"]:
        assert " - SERVICE " not in obj
    payroll = [ln for _o, lines in found["nancy"] for ln in lines if "POSTES SUR" in ln]
    assert payroll  # the payroll line's basis: its workstations of the total


def test_a_member_requiring_a_service_code_it_lacks_is_refused_at_issue(
    service_app: Any,
) -> None:
    platform = TitlesPlatform(service_app)
    run_id = platform.ready_to_issue()
    # recorded before the registry checked it (the registry's API now refuses it)
    with platform.registry_app.state.test_sessionmaker() as session:
        member = session.scalars(select(Member).where(Member.code == "ludres")).one()
        member.service_code_required, member.service_code = True, None
        session.commit()
    result = platform.issued(run_id)
    refused = [s for s in result["skipped"] if s["member_code"] == "ludres"]
    assert {s["reason"] for s in refused} == {"chorus-reference-missing"}
    assert "Ludres exige sur Chorus Pro le code service" in refused[0]["detail"]
    assert platform.titles(member_code="ludres") == []
    assert platform.titles(member_code="nancy") != []
    check(
        platform.registry.patch(
            "/members/ludres",
            json={"debtor": {"service_code_required": True, "service_code": "FIN-7"}},
        )
    )
    again = platform.issued(run_id, members=["ludres"])
    assert {t["member_code"] for t in again["issued"]} == {"ludres"}
