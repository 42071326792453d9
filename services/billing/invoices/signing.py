"""The electronic signature of a bordereau (XAdES, Hélios signature policy of the DGFiP).

Each bordereau of a PES file carries an enveloped signature, as s2low's samples show it: the
``Bordereau`` has an ``Id``; the ``ds:Signature`` (``<Id>_SIG_1``) is its last child, with two
references — the bordereau (transforms enveloped-signature and exclusive canonicalisation) and
the XAdES 1.1.1 ``SignedProperties`` (``<Id>_SIG_1_SP``) — and its ``SignatureValue``
(``<Id>_SIG_1_SV``); RSA-SHA256, SHA-256 digests, exclusive canonicalisation; the signed
properties name the signing time, the certificate (SHA-256 digest, issuer and serial), the
Hélios policy ``urn:oid:1.2.250.1.131.1.5.18.21.1.4``, the place and the signatory's qualité.
The XML signature itself is made by signxml (canonicalisation, digests, the RSA signature);
``helios_signer`` adds the Hélios XAdES 1.1.1 properties that signxml's own XAdES (1.3.2)
lacks. This module: the signatory's key and certificate, checked.

Whose key: the validating signatory's PKCS#12 file (certificate and private key), read from
the environment or a mounted secret, never stored in the database nor logged
(``MUTUALIS_BILLING_SIGNING_*``, docs/billing.md "Signing the bordereaux"). Outside
production, a signatory without a configured key signs with a self-signed demonstration
certificate generated under ``var/signing-demo/`` (its name says it has no value).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from kit.errors import Conflict
from kit.settings import var_dir

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.1.1#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
POLICY_OID = "urn:oid:1.2.250.1.131.1.5.18.21.1.4"
POLICY_DESCRIPTION = "Politique de signature Helios de la DGFiP"
POLICY_URI = "https://portail.dgfip.finances.gouv.fr/documents/PS_Helios_DGFiP.pdf"
POLICY_SHA256 = "pYtFgzn09kQWZywqdIGVd1fFI07tjKmEAyQHr0l/YAk="  # s2low's current template
DEMO_MARK = "DEMONSTRATION - SANS VALEUR"


class SigningSettings(BaseSettings):
    """Where the signatories' keys are (``MUTUALIS_BILLING_SIGNING_``).

    ``KEYS_DIR``: a folder (a Kubernetes secret mounted as a volume) holding, for the
    signatory ``N`` of the register, ``signatory-N.p12`` and its password in
    ``signatory-N.password``. ``P12_PATH`` + ``P12_PASSWORD``: one PKCS#12 for the one
    signatory whose name it bears (used when the folder has no file for the signatory).
    ``DEMO``: sign with a generated demonstration certificate when a signatory has no key
    (default: everywhere but production)."""

    model_config = SettingsConfigDict(env_prefix="MUTUALIS_BILLING_SIGNING_", extra="ignore")

    keys_dir: Path | None = None
    p12_path: Path | None = None
    p12_password: SecretStr | None = Field(None, repr=False)
    demo: bool | None = None
    country: str = "France"


@dataclass(frozen=True)
class Signer:
    """Who signs: the register's entry validating today."""

    id: int
    first_name: str
    last_name: str
    function: str


@dataclass(frozen=True)
class SigningKey:
    key: Any  # an RSA private key
    certificate: x509.Certificate
    chain: list[x509.Certificate]
    demo: bool = False


def refused(slug: str, detail: str, detail_fr: str) -> Conflict:
    return Conflict(detail, slug=slug, detail_fr=detail_fr)


def _plain(value: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return " ".join(ascii_only.casefold().replace("-", " ").split())


def certificate_names(certificate: x509.Certificate) -> list[str]:
    """The names a certificate gives its holder (CN, and given name with surname)."""
    subject = certificate.subject

    def values(oid: x509.ObjectIdentifier) -> list[str]:
        return [str(a.value) for a in subject.get_attributes_for_oid(oid)]

    names = values(NameOID.COMMON_NAME)
    given, surname = values(NameOID.GIVEN_NAME), values(NameOID.SURNAME)
    if given and surname:
        names.append(f"{given[0]} {surname[0]}")
    return names


def holder_is(certificate: x509.Certificate, signer: Signer) -> bool:
    """The certificate names the signatory: first and last name both in one of its names."""
    first, last = _plain(signer.first_name).split(), _plain(signer.last_name).split()
    for name in certificate_names(certificate):
        words = _plain(name).split()
        if all(w in words for w in first + last):
            return True
    return False


def _not_before(certificate: x509.Certificate) -> dt.datetime:
    return certificate.not_valid_before_utc


def _not_after(certificate: x509.Certificate) -> dt.datetime:
    return certificate.not_valid_after_utc


def check(found: SigningKey, signer: Signer, now: dt.datetime) -> SigningKey:
    """Refuse (409, in French) a certificate that is not valid now or not the signatory's."""
    cert = found.certificate
    name = f"{signer.first_name} {signer.last_name}"
    if now < _not_before(cert):
        since = _not_before(cert)
        raise refused(
            "signing-certificate-not-yet-valid",
            f"The signing certificate of {name} is valid from {since.isoformat()} only: nothing "
            "was validated.",
            f"Le certificat de signature de {name} n'est valable qu'à partir du "
            f"{since.strftime('%d/%m/%Y')} : rien n'a été validé ni transmis.",
        )
    if now > _not_after(cert):
        until = _not_after(cert)
        raise refused(
            "signing-certificate-expired",
            f"The signing certificate of {name} expired on {until.isoformat()}: nothing was "
            "validated.",
            f"Le certificat de signature de {name} a expiré le {until.strftime('%d/%m/%Y')} : "
            "rien n'a été validé ni transmis. Installez son nouveau certificat.",
        )
    if not holder_is(cert, signer):
        holder = ", ".join(certificate_names(cert)) or "?"
        raise refused(
            "signing-certificate-not-signatory",
            f"The signing certificate configured for {name} is that of {holder}: nothing was "
            "validated.",
            f"Le certificat de signature configuré pour {name} est celui de {holder} : un "
            "signataire signe avec son propre certificat. Rien n'a été validé ni transmis.",
        )
    public = found.key.public_key().public_numbers()
    if public != cert.public_key().public_numbers():  # type: ignore[union-attr]
        raise refused(
            "signing-key-unreadable",
            f"The private key configured for {name} does not match its certificate.",
            f"La clé privée configurée pour {name} ne correspond pas à son certificat : rien "
            "n'a été validé ni transmis.",
        )
    return found


def read_p12(data: bytes, password: bytes, signer: Signer, *, demo: bool = False) -> SigningKey:
    name = f"{signer.first_name} {signer.last_name}"
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError as exc:
        raise refused(
            "signing-key-unreadable",
            f"The PKCS#12 file of {name} cannot be read (wrong password or damaged file).",
            f"Le fichier de certificat (PKCS#12) de {name} ne peut être ouvert : mot de passe "
            "erroné ou fichier endommagé. Rien n'a été validé ni transmis.",
        ) from exc
    if key is None or cert is None or not isinstance(key, rsa.RSAPrivateKey):
        raise refused(
            "signing-key-unreadable",
            f"The PKCS#12 file of {name} holds no RSA key with its certificate.",
            f"Le fichier de certificat (PKCS#12) de {name} ne contient pas de clé RSA avec son "
            "certificat. Rien n'a été validé ni transmis.",
        )
    return SigningKey(key, cert, [cert, *extra], demo=demo)


def production(environment: str) -> bool:
    return environment == "production"


def load_key(
    settings: SigningSettings, signer: Signer, now: dt.datetime, *, environment: str
) -> SigningKey:
    """The signatory's key and certificate, checked (valid now, its own); 409 otherwise."""
    name = f"{signer.first_name} {signer.last_name}"
    if settings.keys_dir is not None:
        p12 = settings.keys_dir / f"signatory-{signer.id}.p12"
        secret = settings.keys_dir / f"signatory-{signer.id}.password"
        if p12.is_file():
            password = secret.read_bytes().strip() if secret.is_file() else b""
            return check(read_p12(p12.read_bytes(), password, signer), signer, now)
    if settings.p12_path is not None and not settings.p12_path.is_file():
        raise refused(
            "signing-key-missing",
            f"MUTUALIS_BILLING_SIGNING_P12_PATH names no file: {name}'s key cannot be read.",
            f"Le fichier de certificat configuré (MUTUALIS_BILLING_SIGNING_P12_PATH) est "
            f"introuvable : les bordereaux de {name} ne peuvent être signés, rien n'a été validé "
            "ni transmis.",
        )
    if settings.p12_path is not None:
        secret_value = settings.p12_password.get_secret_value() if settings.p12_password else ""
        found = read_p12(settings.p12_path.read_bytes(), secret_value.encode(), signer)
        return check(found, signer, now)
    demo = settings.demo if settings.demo is not None else not production(environment)
    if demo:
        return check(demo_key(signer, now), signer, now)
    raise refused(
        "signing-key-missing",
        f"No signing key is configured for {name} (signatory {signer.id}): nothing was validated.",
        f"Aucun certificat de signature n'est configuré pour {name} (signataire n° "
        f"{signer.id}) : les bordereaux ne peuvent être signés, rien n'a été validé ni "
        "transmis. L'exploitant installe son certificat (docs/billing.md).",
    )


def demo_key(signer: Signer, now: dt.datetime) -> SigningKey:
    """A self-signed demonstration certificate in the signatory's name, kept under
    ``var/signing-demo/`` (generated the first time, and again once expired)."""
    folder = var_dir() / "signing-demo"
    path = folder / f"signatory-{signer.id}-{_slug(signer)}.p12"
    if path.is_file():
        found = read_p12(path.read_bytes(), b"", signer, demo=True)
        if _not_before(found.certificate) <= now <= _not_after(found.certificate):
            return found
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = self_signed(
        key,
        common_name=f"{signer.first_name} {signer.last_name}",
        organisation=DEMO_MARK,
        start=now - dt.timedelta(days=1),
        days=365,
    )
    folder.mkdir(parents=True, exist_ok=True)
    data = pkcs12.serialize_key_and_certificates(
        b"demo", key, cert, None, serialization.NoEncryption()
    )
    temporary = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)  # atomic: two processes may make one at the same time
    return SigningKey(key, cert, [cert], demo=True)


def _slug(signer: Signer) -> str:
    name = f"{signer.first_name} {signer.last_name}"
    return hashlib.sha256(name.encode()).hexdigest()[:10]


def self_signed(
    key: rsa.RSAPrivateKey,
    *,
    common_name: str,
    organisation: str,
    start: dt.datetime,
    days: int,
) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_cert_sign=True,
                crl_sign=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),  # fmt: skip
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
