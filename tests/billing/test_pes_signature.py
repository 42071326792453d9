"""Signed bordereaux: each PES bordereau carries an enveloped XAdES signature with the DGFiP
Hélios policy, made with the validating signatory's own certificate (PKCS#12 from a mounted
secret), that verifies against the issuing CA and keeps the file valid against the schemas;
a certificate that is expired, not yet valid, someone else's or unreadable is refused before
anything is issued."""

from __future__ import annotations

import datetime as dt
from base64 import b64decode
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from cryptography import x509
from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.exceptions import InvalidDigest, InvalidSignature

from services.billing.invoices import pes
from services.billing.invoices.signing import POLICY_OID, SigningSettings
from tests.billing.certificates import NOW, SigningCA
from tests.billing.invoices_support import TitlesPlatform
from tests.billing.upstream import check

DS = "{http://www.w3.org/2000/09/xmldsig#}"
XAD = "{http://uri.etsi.org/01903/v1.1.1#}"
PASSWORD = "mot-de-passe-du-certificat"


def _platform(service_app: Any, keys: Path, **settings: Any) -> TitlesPlatform:
    platform = TitlesPlatform(service_app)
    platform.register_signatory()
    platform.billing_app.state.signing_settings = SigningSettings(
        keys_dir=keys, **{"demo": False, **settings}
    )
    return platform


def _signatory_id(platform: TitlesPlatform) -> int:
    return int(check(platform.billing.get("/signatories"))[0]["id"])


def verified(xml: bytes, ca_file: Path) -> list[Any]:
    """Every signature of the file, verified against the CA (raises when one does not)."""
    root = etree.fromstring(xml)
    results = []
    for bordereau in root.iter("Bordereau"):
        alone = etree.fromstring(xml)  # signxml verifies the first signature of a tree
        for other in list(alone.iter("Bordereau")):
            if other.get("Id") != bordereau.get("Id"):
                other.getparent().remove(other)
        results += XMLVerifier().verify(
            alone,
            ca_pem_file=str(ca_file),
            expect_config=SignatureConfiguration(expect_references=2),
        )
    return results


def test_every_bordereau_is_signed_with_the_helios_policy_and_verifies(
    service_app: Any, tmp_path: Path
) -> None:
    ca = SigningCA.make()
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.pem)
    platform = _platform(service_app, tmp_path / "keys")
    ca.p12(tmp_path / "keys", _signatory_id(platform), "Marie EXEMPLE", PASSWORD)
    platform.issued(platform.ready_to_issue())
    bordereaux = check(platform.billing.get("/bordereaux"))["items"]
    assert bordereaux
    schema = xmlschema.XMLSchema(str(pes.ROOT_SCHEMA))
    for bordereau in bordereaux:
        assert bordereau["signed_by"] == "Marie Exemple"
        assert bordereau["signed_at"] is not None
        xml = platform.billing.get(f"/bordereaux/{bordereau['id']}/pes.xml").content
        schema.validate(xml.decode())
        assert pes.validation_errors(xml) == []
        root = etree.fromstring(xml)
        assert [e.get("V") for e in root.iter("InfoDematerialisee")] == ["1"]
        assert [e.get("V") for e in root.iter("MtCumulAnnuel")] != []
        (bord,) = root.iter("Bordereau")
        ident = bord.get("Id")
        assert ident
        assert ident.startswith("ID")
        signature = bord[-1]
        assert signature.tag == f"{DS}Signature"  # enveloped: the bordereau's last child
        assert signature.get("Id") == f"{ident}_SIG_1"
        assert signature.find(f"{DS}SignatureValue").get("Id") == f"{ident}_SIG_1_SV"
        refs = signature.findall(f"{DS}SignedInfo/{DS}Reference")
        assert [r.get("URI") for r in refs] == [f"#{ident}", f"#{ident}_SIG_1_SP"]
        assert (
            signature.find(f"{DS}SignedInfo/{DS}CanonicalizationMethod").get("Algorithm")
            == "http://www.w3.org/2001/10/xml-exc-c14n#"
        )
        props = signature.find(f"{DS}Object/{XAD}QualifyingProperties/{XAD}SignedProperties")
        assert props.get("Id") == f"{ident}_SIG_1_SP"
        assert [e.text for e in props.iter(f"{XAD}Identifier")] == [POLICY_OID]
        assert [e.text for e in props.iter(f"{XAD}ClaimedRole")] == [
            "Vice-présidente déléguée aux finances"
        ]
        results = verified(xml, ca_file)
        assert [r.signed_xml.tag for r in results] == ["Bordereau", f"{XAD}SignedProperties"]
        assert results[0].signed_xml.get("Id") == ident


def test_a_changed_amount_or_another_ca_breaks_the_signature(
    service_app: Any, tmp_path: Path
) -> None:
    ca = SigningCA.make()
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.pem)
    platform = _platform(service_app, tmp_path / "keys")
    ca.p12(tmp_path / "keys", _signatory_id(platform), "Marie Exemple", PASSWORD)
    platform.issued(platform.ready_to_issue())
    first = check(platform.billing.get("/bordereaux"))["items"][0]
    xml = platform.billing.get(f"/bordereaux/{first['id']}/pes.xml").content
    assert verified(xml, ca_file)
    amount = etree.fromstring(xml).find(".//MtBordHt").get("V")
    changed = xml.replace(f'<MtBordHt V="{amount}"/>'.encode(), b'<MtBordHt V="1.00"/>')
    assert changed != xml
    with pytest.raises((InvalidDigest, InvalidSignature)):
        verified(changed, ca_file)
    other = tmp_path / "other-ca.pem"
    other.write_bytes(SigningCA.make().pem)
    with pytest.raises(InvalidSignature):
        verified(xml, other)


def _refusal(platform: TitlesPlatform, ids: list[int], slug: str) -> str:
    response = platform.validate(ids)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith(slug), body
    return str(body["detail"])


def test_a_wrong_certificate_is_refused_before_anything_is_issued(
    service_app: Any, tmp_path: Path
) -> None:
    ca = SigningCA.make()
    keys = tmp_path / "keys"
    platform = _platform(service_app, keys)
    platform.signatory.headers["Accept-Language"] = "fr"
    signatory = _signatory_id(platform)
    prepared = check(platform.prepare(platform.ready_to_issue()))["prepared"]
    ids = [t["id"] for t in prepared]
    assert ids

    detail = _refusal(platform, ids, "signing-key-missing")
    assert "Aucun certificat de signature n'est configuré pour Marie Exemple" in detail

    ca.p12(keys, signatory, "Marie Exemple", PASSWORD, not_after=NOW - dt.timedelta(days=1))
    detail = _refusal(platform, ids, "signing-certificate-expired")
    assert "a expiré le" in detail
    assert "rien n'a été validé ni transmis" in detail

    later = NOW + dt.timedelta(days=10)
    ca.p12(keys, signatory, "Marie Exemple", PASSWORD, not_before=later)
    assert "n'est valable qu'à partir du" in _refusal(
        platform, ids, "signing-certificate-not-yet-valid"
    )

    ca.p12(keys, signatory, "Jean Autre", PASSWORD)
    assert "est celui de Jean Autre" in _refusal(platform, ids, "signing-certificate-not-signatory")

    ca.p12(keys, signatory, "Marie Exemple", PASSWORD)
    (keys / f"signatory-{signatory}.password").write_text("pas le bon\n")
    assert "mot de passe erroné" in _refusal(platform, ids, "signing-key-unreadable")

    # nothing was issued by the refusals: the titles still wait, no bordereau was made
    assert check(platform.billing.get("/bordereaux"))["items"] == []
    assert {t["status"] for t in platform.titles()} == {"prepared"}
    # with the right password, the same titles are validated and their bordereau signed
    (keys / f"signatory-{signatory}.password").write_text(PASSWORD + "\n")
    result = check(platform.validate(ids))
    assert [b["signed_by"] for b in result["bordereaux"]] == ["Marie Exemple"]


def test_one_pkcs12_from_the_environment_and_a_demo_certificate_outside_production(
    service_app: Any, tmp_path: Path
) -> None:
    ca = SigningCA.make()
    platform = _platform(service_app, tmp_path / "empty")
    p12 = ca.p12(tmp_path / "one", 999, "Marie Exemple", PASSWORD)
    platform.billing_app.state.signing_settings = SigningSettings(
        p12_path=p12, p12_password=PASSWORD, demo=False
    )
    assert "p12_password" not in repr(platform.billing_app.state.signing_settings)
    assert PASSWORD not in repr(platform.billing_app.state.signing_settings)
    run_id = platform.ready_to_issue()
    result = platform.issued(run_id, members=["ludres"])
    (bordereau,) = result["bordereaux"]
    xml = platform.billing.get(f"/bordereaux/{bordereau['id']}/pes.xml").content
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.pem)
    assert verified(xml, ca_file)
    # no key configured, outside production: a demonstration certificate in her name signs
    platform.billing_app.state.signing_settings = SigningSettings()
    again = platform.issued(run_id, members=["nancy"])
    (demo,) = again["bordereaux"]
    xml = platform.billing.get(f"/bordereaux/{demo['id']}/pes.xml").content
    cert = etree.fromstring(xml).find(f".//{DS}X509Certificate").text
    assert cert
    certificate = x509.load_der_x509_certificate(b64decode(cert))
    assert "DEMONSTRATION" in certificate.subject.rfc4514_string()
    assert "Marie Exemple" in certificate.subject.rfc4514_string()
    verified_demo = XMLVerifier().verify(
        xml,
        x509_cert=certificate,
        expect_config=SignatureConfiguration(expect_references=2),
    )
    assert len(verified_demo) == 2
