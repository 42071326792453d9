"""The registry's refusals in French for a French reader (``Accept-Language: fr``), in English
otherwise: members (the SIRET), conventions and adhesions, contacts, workstation counts, budget
calendars and the imports' reports."""

from __future__ import annotations

from typing import Any

import pytest

from kit import i18n
from kit.client import ServiceClient, UpstreamError
from kit.settings import PLACEHOLDER_SECRET
from tests.conftest import as_admin, as_contact, asgi_client, sync_client
from tests.french import FRENCH, both, messages
from tests.registry.factories import bad_checksum, create_contact, create_member, member_body, siret


async def test_a_wrong_siret_says_what_is_wrong_in_french(service_app: Any) -> None:
    body = member_body("ludres", siret=bad_checksum(siret(12)))
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        french, english = await both(client, "POST", "/members", json=body)
        short, _ = await both(client, "POST", "/members", json={**body, "siret": "123"})
    assert french.status_code == 422
    assert messages(french)["siret"] == (
        "Ce SIRET n'est pas valide : 14 chiffres dont la clé de contrôle (Luhn) sont attendus ; "
        "la clé de contrôle de celui-ci ne correspond pas : vérifiez la saisie."
    )
    assert messages(short)["siret"].endswith("celui-ci n'a pas 14 chiffres.")
    assert "not a valid SIRET" in messages(english)["siret"]


async def test_the_member_rules_are_said_in_french_with_names_and_dates(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres", name="Ville de Ludres")
        await create_contact(client, "ludres", "claire@ludres.example")
        taken, taken_en = await both(client, "POST", "/members", json=member_body("ludres"))
        order, _ = await both(client, "PATCH", "/members/ludres", json={"left_on": "2016-01-01"})
        history, history_en = await both(client, "DELETE", "/members/ludres")
        missing, missing_en = await both(client, "GET", "/members/nulle-part")
        debtor, _ = await both(
            client,
            "PATCH",
            "/members/ludres",
            json={"debtor": {"service_code_required": True}},
        )
    assert taken.status_code == 409
    assert taken.json()["detail"] == (
        "Un adhérent porte déjà le code « ludres » : choisissez-en un autre."
    )
    assert taken_en.json()["detail"] == "A member with the code 'ludres' already exists."
    assert messages(order)["left_on"] == "La date de sortie précède celle d'adhésion (13/07/2017)."
    assert history.json()["detail"].startswith(
        "L'adhérent « Ville de Ludres » a un historique (1 interlocuteur(s)) : il n'est jamais "
        "supprimé."
    )
    assert history_en.json()["detail"].startswith("Member 'ludres' has history (1 contacts)")
    assert missing.json()["detail"] == "Aucun adhérent ne porte le code « nulle-part »."
    assert missing_en.json()["detail"] == "No member 'nulle-part'"
    assert messages(debtor)["debtor"].startswith("Le code service est obligatoire")


async def test_conventions_and_adhesions_refuse_in_french(service_app: Any) -> None:
    convention = {
        "code": "cmsi-2024",
        "title": "Convention 2024",
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
    }
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres", name="Ville de Ludres")
        too_long, too_long_en = await both(
            client, "POST", "/conventions", json={**convention, "ends_on": "2029-01-01"}
        )
        assert (await client.post("/conventions", json=convention)).status_code == 201
        adhesion = {"member_code": "ludres", "signed_on": "2024-01-10"}
        path = "/conventions/cmsi-2024/adhesions"
        assert (await client.post(path, json=adhesion)).status_code == 201
        twice, _ = await both(client, "POST", path, json=adhesion)
        unknown, _ = await both(client, "POST", path, json={"member_code": "nancy"})
        extension, _ = await both(
            client,
            "POST",
            "/conventions/cmsi-2024/amendments",
            json={"kind": "extension", "reference": "Prorogation"},
        )
        missing, _ = await both(client, "GET", "/conventions/aucune")
    assert too_long.status_code == 422
    assert too_long.json()["detail"] == (
        "Une convention dure au plus 5 ans : la fin doit être au plus tard le 31/12/2028."
    )
    assert too_long_en.json()["errors"][0]["message"] == "a convention lasts 5 years at most"
    assert twice.status_code == 409
    assert twice.json()["detail"] == (
        "L'adhérent « Ville de Ludres » a déjà adhéré à la convention « Convention 2024 »."
    )
    assert messages(unknown)["member_code"] == "Aucun adhérent ne porte le code « nancy »."
    assert messages(extension)["extends_to"].startswith("Une prorogation dit jusqu'à quand")
    assert missing.json()["detail"] == "Aucune convention ne porte le code « aucune »."


async def test_counts_calendars_and_contacts_refuse_in_french(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres", name="Ville de Ludres")
        count = {"count": 84, "reference_date": "2020-09-25", "source": "declared"}
        old, _ = await both(client, "PUT", "/members/ludres/workstations/2026", json=count)
        none, _ = await both(client, "GET", "/members/ludres/workstations/2026")
        calendar, calendar_en = await both(
            client,
            "PUT",
            "/members/ludres/budget-calendar/2026",
            json={"bp_voted_on": "2025-03-01", "dm_dates": ["2026-10-15", "2026-10-15"]},
        )
        contact, _ = await both(client, "GET", "/contacts/999999")
    assert messages(old)["reference_date"] == (
        "Le décompte de 2026 se fait entre 2024 et 2026 : la date du décompte est hors de cette "
        "période."
    )
    assert none.json()["detail"] == (
        "Aucun décompte de postes de travail pour l'adhérent « Ville de Ludres » et l'exercice "
        "2026."
    )
    assert messages(calendar) == {
        "bp_voted_on": "Le BP de 2026 se vote entre le 01/10/2025 et le 31/12/2026.",
        "dm_dates": "Une date de DM est répétée.",
    }
    assert messages(calendar_en)["dm_dates"] == "a date is repeated"
    assert contact.json()["detail"] == "Aucun interlocuteur n° 999999."


async def test_a_member_outside_its_scope_is_refused_in_french(service_app: Any) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        await create_member(client, "ludres")
    async with asgi_client(service_app("registry"), headers=as_contact("nancy")) as client:
        french, english = await both(client, "GET", "/members/ludres")
    assert french.status_code == 404
    assert french.json()["detail"] == "Aucun adhérent ne porte le code « ludres »."
    assert english.json()["detail"] == "No member 'ludres'"


WORKSTATIONS = (
    "\ufeffCode adhérent;Exercice;Postes de travail;Date du décompte;Source\r\n"
    "inconnu;20x6;-3;31/02/2025;au pif\r\n"
    "inconnu;20x6;-3;31/02/2025;au pif\r\n"
).encode()


async def test_an_import_report_and_a_refused_file_are_french_when_asked(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("registry"), headers=as_admin()) as client:
        path = "/imports/workstations"
        french = await client.post(path, content=WORKSTATIONS, headers=FRENCH)
        english = await client.post(path, content=WORKSTATIONS)
        header, header_en = await both(client, "POST", path, content=b"nom;truc\nx;y\n")
        empty, _ = await both(client, "POST", path, content=b"  ")
    row = {e["column"]: e["message"] for e in french.json()["items"][0]["errors"]}
    assert row == {
        "Code adhérent": "Adhérent inconnu (« inconnu »).",
        "Exercice": "Nombre entier attendu (« 20x6 »).",
        "Postes de travail": "Doit être supérieur ou égal à 0.",
        "Date du décompte": "Date attendue au format JJ/MM/AAAA (« 31/02/2025 »).",
        "Source": "Valeur non reconnue (« au pif ») : « déclaré » ou « inventaire » attendu.",
    }
    second = [e["message"] for e in french.json()["items"][1]["errors"]]
    assert "Ligne en double de la ligne 2." in second
    english_row = {e["column"]: e["message"] for e in english.json()["items"][0]["errors"]}
    assert english_row["Exercice"] == "'20x6' is not a whole number"
    assert header.status_code == 422
    assert header.json()["detail"].startswith(
        "En-tête du fichier non reconnu : partez du modèle. Colonnes inconnues : nom, truc."
    )
    assert header_en.json()["detail"].startswith("Header columns must be among: ")
    assert empty.json()["detail"] == "Le fichier est vide."


def test_a_peer_service_asks_the_registry_in_french_for_a_french_reader(service_app: Any) -> None:
    """Billing, governance… call the registry through ``kit.client.ServiceClient``: answering a
    French reader, they ask in French and pass the registry's French refusal on."""
    peer = ServiceClient(
        "registry",
        "http://registry",
        caller="billing",
        secret=PLACEHOLDER_SECRET,
        client=sync_client(service_app("registry"), base_url="http://registry"),
    )
    refusals: dict[tuple[str, bool], UpstreamError] = {}
    for french in (True, False):
        token = i18n._french_wanted.set(french)  # what LanguageMiddleware notes per request
        try:
            for path in ("/members/nulle-part", "/members?cursor=abc"):
                with pytest.raises(UpstreamError) as caught:
                    peer.request("GET", path)
                refusals[path, french] = caught.value
        finally:
            i18n._french_wanted.reset(token)
    missing, cursor = refusals["/members/nulle-part", True], refusals["/members?cursor=abc", True]
    assert missing.status == 404
    assert missing.detail_fr == (
        "Service « Référentiel des adhérents » : Aucun adhérent ne porte le code « nulle-part »."
    )
    assert cursor.errors is not None
    assert cursor.errors[0]["message_fr"] == "Curseur de pagination invalide."
    english = refusals["/members/nulle-part", False]
    assert english.detail == "registry: No member 'nulle-part'"
    assert english.detail_fr is None
    assert refusals["/members?cursor=abc", False].errors[0].get("message_fr") is None
