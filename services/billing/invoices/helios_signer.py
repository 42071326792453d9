"""The XAdES 1.1.1 enveloped signature of each bordereau with the Hélios policy (the layout is
described in ``signing``): signxml makes the XML signature, this signer adds the signed
properties signxml's own XAdES (1.3.2) lacks."""

from __future__ import annotations

import datetime as dt
import hashlib
from base64 import b64encode
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConstructionMethod,
    SignatureMethod,
    XMLSigner,
)
from signxml.util import SigningSettings as SignxmlSettings

from services.billing.invoices.signing import (
    DS,
    EXC_C14N,
    POLICY_DESCRIPTION,
    POLICY_OID,
    POLICY_SHA256,
    POLICY_URI,
    SHA256,
    XADES,
    SigningKey,
)


@dataclass(frozen=True)
class Place:
    city: str
    postal_code: str
    country: str


def _sub(parent: etree._Element, ns: str, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        element.text = text
    return element


class HeliosSigner(XMLSigner):
    """signxml's enveloped signer with the Hélios ids and XAdES 1.1.1 signed properties."""

    def __init__(self, *, signing_time: dt.datetime, place: Place, role: str) -> None:
        super().__init__(
            method=SignatureConstructionMethod.enveloped,
            signature_algorithm=SignatureMethod.RSA_SHA256,
            digest_algorithm=DigestAlgorithm.SHA256,
            c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
        )
        self.signing_time = signing_time
        self.place = place
        self.role = role
        self.signature_id = ""
        self.signature_annotators.append(self._xades)

    def _xades(self, sig_root: etree._Element, signing_settings: SignxmlSettings) -> None:
        sig_id = self.signature_id
        sig_root.set("Id", sig_id)
        value = sig_root.find(f"{{{DS}}}SignatureValue")
        assert value is not None
        value.set("Id", f"{sig_id}_SV")
        assert signing_settings.cert_chain is not None
        cert = signing_settings.cert_chain[0]
        assert isinstance(cert, x509.Certificate)
        obj = _sub(sig_root, DS, "Object")
        qualifying = etree.SubElement(
            obj, f"{{{XADES}}}QualifyingProperties", nsmap={"xad": XADES}, Target=f"#{sig_id}"
        )
        signed = _sub(qualifying, XADES, "SignedProperties")
        signed.set("Id", f"{sig_id}_SP")
        props = _sub(signed, XADES, "SignedSignatureProperties")
        stamp = self.signing_time.astimezone(dt.UTC).replace(microsecond=0)
        _sub(props, XADES, "SigningTime", stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
        cert_node = _sub(_sub(props, XADES, "SigningCertificate"), XADES, "Cert")
        digest = _sub(cert_node, XADES, "CertDigest")
        _sub(digest, XADES, "DigestMethod").set("Algorithm", SHA256)
        der = cert.public_bytes(serialization.Encoding.DER)
        _sub(digest, XADES, "DigestValue", b64encode(hashlib.sha256(der).digest()).decode())
        issuer_serial = _sub(cert_node, XADES, "IssuerSerial")
        _sub(issuer_serial, DS, "X509IssuerName", cert.issuer.rfc4514_string())
        _sub(issuer_serial, DS, "X509SerialNumber", str(cert.serial_number))
        policy = _sub(_sub(props, XADES, "SignaturePolicyIdentifier"), XADES, "SignaturePolicyId")
        policy_id = _sub(policy, XADES, "SigPolicyId")
        _sub(policy_id, XADES, "Identifier", POLICY_OID)
        _sub(policy_id, XADES, "Description", POLICY_DESCRIPTION)
        policy_hash = _sub(policy, XADES, "SigPolicyHash")
        _sub(policy_hash, XADES, "DigestMethod").set("Algorithm", SHA256)
        _sub(policy_hash, XADES, "DigestValue", POLICY_SHA256)
        qualifier = _sub(_sub(policy, XADES, "SigPolicyQualifiers"), XADES, "SigPolicyQualifier")
        _sub(qualifier, XADES, "SPURI", POLICY_URI)
        place = _sub(props, XADES, "SignatureProductionPlace")
        _sub(place, XADES, "City", self.place.city)
        _sub(place, XADES, "PostalCode", self.place.postal_code)
        _sub(place, XADES, "CountryName", self.place.country)
        roles = _sub(_sub(props, XADES, "SignerRole"), XADES, "ClaimedRoles")
        _sub(roles, XADES, "ClaimedRole", self.role)
        signed_info = sig_root.find(f"{{{DS}}}SignedInfo")
        assert signed_info is not None
        reference = _sub(signed_info, DS, "Reference")
        reference.set("Type", "http://uri.etsi.org/01903/v1.1.1#SignedProperties")
        reference.set("URI", f"#{sig_id}_SP")
        _sub(_sub(reference, DS, "Transforms"), DS, "Transform").set("Algorithm", EXC_C14N)
        _sub(reference, DS, "DigestMethod").set("Algorithm", SHA256)
        canonical = self._c14n(signed, algorithm=self.c14n_alg)
        _sub(reference, DS, "DigestValue", b64encode(hashlib.sha256(canonical).digest()).decode())


def sign_bordereaux(
    root: etree._Element, key: SigningKey, *, now: dt.datetime, place: Place, role: str
) -> etree._Element:
    """``root`` (a ``PES_Aller``) with each ``Bordereau`` (carrying its ``Id``) signed: a new
    tree, as signxml returns it."""
    for bordereau_id in [b.get("Id") for b in root.iter("Bordereau")]:
        assert bordereau_id, "a signed bordereau has an Id"
        target = next(b for b in root.iter("Bordereau") if b.get("Id") == bordereau_id)
        placeholder = etree.SubElement(target, f"{{{DS}}}Signature", nsmap={"ds": DS})
        placeholder.set("Id", "placeholder")
        signer = HeliosSigner(signing_time=now, place=place, role=role)
        signer.signature_id = f"{bordereau_id}_SIG_1"
        root = signer.sign(root, key=key.key, cert=key.chain, reference_uri=f"#{bordereau_id}")
    return root
