"""Registry pages on the real stack (web → gateway → registry): members, contacts, yearly
figures, conventions and imports created and edited through the forms only, with French
messages next to each field, the import's simulation and its per-row report, and the
confirmation before a contact's erasure."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.conftest import asgi_client
from tests.registry.factories import bad_checksum, siret
from tests.web.conftest import sign_in
from tests.web.test_billing_pages import csrf_of

MEMBER = {
    "code": "vandoeuvre",
    "name": "Vandœuvre-lès-Nancy",
    "kind": "commune",
    "siret": siret(424242),
    "address_line": "7 rue de Parme",
    "postal_code": "54500",
    "city": "Vandœuvre-lès-Nancy",
    "joined_on": "13/07/2017",
    "invoiced": "true",
}


async def post_form(
    client: httpx.AsyncClient, form_page: str, action: str, data: dict[str, Any]
) -> httpx.Response:
    page = await client.get(form_page)
    assert page.status_code == 200, page.text
    return await client.post(action, data={"csrf_token": csrf_of(page.text), **data})


def text_of(response: httpx.Response) -> str:
    return html.unescape(response.text)


async def signed_in(web_stack: dict[str, Any]) -> httpx.AsyncClient:
    client = asgi_client(web_stack["web"])
    await client.__aenter__()
    await sign_in(client, "admin@dsit.test")
    return client


async def test_a_member_is_created_then_edited_through_the_form(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(
            client,
            "/adherents/nouveau",
            "/adherents/nouveau",
            {**MEMBER, "name": "", "siret": bad_checksum(MEMBER["siret"]),
             "joined_on": "31/02/2017", "postal_code": "544", "service_code_required": "true"},
        )  # fmt: skip
        created = await post_form(client, "/adherents/nouveau", "/adherents/nouveau", MEMBER)
        edited = await post_form(
            client,
            "/adherents/vandoeuvre/modifier",
            "/adherents/vandoeuvre/modifier",
            {**MEMBER, "kind": "ccas", "left_on": "31/12/2026", "debtor_category": "26",
             "legal_nature": "09", "service_code_required": "true", "service_code": "SERV-42",
             "commitment_number": "EJ-2026-7"},
        )  # fmt: skip
        record = await client.get("/adherents/vandoeuvre")
        listed = await client.get("/adherents")
    assert refused.status_code == 422
    page = text_of(refused)
    assert "Ce champ est obligatoire." in page
    assert "SIRET invalide : 14 chiffres dont la clé de contrôle est juste." in page
    assert "Date attendue au format JJ/MM/AAAA (par exemple 25/09/2023)." in page
    assert "Code postal attendu : 5 chiffres." in page
    assert "Chorus Pro exige un code service pour cet adhérent : indiquez-le." in page
    assert 'id="m-siret-erreur"' in page  # the message sits next to its field
    assert (created.status_code, created.headers["location"]) == (
        303,
        "/adherents/vandoeuvre?enregistre=1",
    )
    assert edited.status_code == 303, text_of(edited)
    shown = text_of(record)
    assert "CCAS" in shown
    assert "13/07/2017" in shown
    assert "départ le 31/12/2026" in shown
    assert "26 — CCAS" in shown
    assert "09 — Collectivité territoriale, EPL, EPS" in shown
    assert "SERV-42 (exigé par Chorus Pro)" in shown
    assert "EJ-2026-7" in shown
    assert "Vandœuvre-lès-Nancy" in text_of(listed)
    assert "2017-07-13" not in text_of(listed)


async def test_the_apis_refusal_is_shown_in_french_on_its_field(web_stack: dict[str, Any]) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        ludres = (await client.get("/adherents/ludres/modifier")).text
        taken = ludres.split('name="siret" value="')[1].split('"')[0]
        refused = await post_form(
            client, "/adherents/nouveau", "/adherents/nouveau", {**MEMBER, "siret": taken}
        )
        existing = await post_form(
            client, "/adherents/nouveau", "/adherents/nouveau", {**MEMBER, "code": "ludres"}
        )
    assert refused.status_code == 422
    assert 'id="m-siret-erreur">Ce SIRET est déjà celui d&#39;un autre adhérent.' in refused.text
    assert "Un adhérent porte déjà ce code." in text_of(existing)


async def test_a_member_with_history_is_not_deleted_but_one_made_by_mistake_is(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        await post_form(client, "/adherents/nouveau", "/adherents/nouveau", MEMBER)
        confirm = await client.get("/adherents/vandoeuvre/supprimer")
        deleted = await post_form(
            client, "/adherents/vandoeuvre/supprimer", "/adherents/vandoeuvre/supprimer", {}
        )
        kept = await post_form(
            client, "/adherents/ludres/supprimer", "/adherents/ludres/supprimer", {}
        )
    assert "Ce qui va se passer" in text_of(confirm)
    assert "définitive" in text_of(confirm)
    assert deleted.status_code == 303
    assert kept.status_code == 409
    assert "1 interlocuteur(s)" in text_of(kept)
    assert "date de départ" in text_of(kept)


async def test_a_contact_is_added_edited_then_erased_after_a_confirmation(
    web_stack: dict[str, Any],
) -> None:
    contact = {"first_name": "Hugo", "last_name": "Bernard", "email": "hugo@ludres.example",
               "roles": ["finance_officer", "dpo"], "dashboard_access": "true"}  # fmt: skip
    base = "/adherents/ludres/interlocuteurs"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(
            client, f"{base}/nouveau", f"{base}/nouveau",
            {**contact, "email": "hugo", "first_name": "", "phone": "abc"},
        )  # fmt: skip
        taken = await post_form(
            client, f"{base}/nouveau", f"{base}/nouveau",
            {**contact, "email": "referent@ludres.example"},
        )  # fmt: skip
        created = await post_form(client, f"{base}/nouveau", f"{base}/nouveau", contact)
        record = text_of(await client.get("/adherents/ludres"))
        hugo = re.findall(r"interlocuteurs/(\d+)/modifier", record)[-1]  # the newest contact
        edited = await post_form(
            client, f"{base}/{hugo}/modifier", f"{base}/{hugo}/modifier",
            {**contact, "roles": ["it_referent"], "phone": "03 83 00 00 00"},
        )  # fmt: skip
        after_edit = text_of(await client.get("/adherents/ludres"))
        confirm = text_of(await client.get(f"{base}/{hugo}/effacer"))
        unconfirmed = await post_form(
            client, f"{base}/{hugo}/effacer", f"{base}/{hugo}/effacer", {}
        )
        erased = await post_form(
            client, f"{base}/{hugo}/effacer", f"{base}/{hugo}/effacer", {"confirm": "oui"}
        )
        after = text_of(await client.get("/adherents/ludres"))
    page = text_of(refused)
    assert "Ce champ est obligatoire." in page
    assert "Adresse électronique invalide (ex. : prenom.nom@commune.fr)." in page
    assert "Numéro de téléphone invalide" in page
    assert "Ce courriel est déjà celui d'un autre interlocuteur." in text_of(taken)
    assert created.status_code == 303
    assert "Délégué à la protection des données, Responsable des finances" in record
    assert "finance_officer" not in record
    assert "it_referent" not in record
    assert edited.status_code == 303
    assert "Référent informatique" in after_edit
    assert "03 83 00 00 00" in after_edit
    assert "irréversible" in confirm
    assert "hugo@ludres.example" in confirm
    assert "son compte de connexion est désactivé" in confirm
    assert unconfirmed.status_code == 422
    assert "Cochez la case pour confirmer l'effacement : il est irréversible." in text_of(
        unconfirmed
    )
    assert erased.status_code == 303
    assert "hugo@ludres.example" not in after
    assert "effacé (RGPD)" in after


async def test_workstation_counts_and_budget_calendar_through_the_forms(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        count = "/adherents/ludres/postes/2026"
        refused = await post_form(
            client, count, count, {"count": "douze", "reference_date": "2020-01-01",
                                   "source": "declared"},
        )  # fmt: skip
        first = await post_form(
            client, count, count,
            {"count": "1 234", "reference_date": "25/09/2025", "source": "declared"},
        )  # fmt: skip
        second = await post_form(
            client, count, count,
            {"count": "1240", "reference_date": "01/10/2025", "source": "inventory",
             "comment": "inventaire GLPI"},
        )  # fmt: skip
        history = text_of(await client.get(count))
        calendar = "/adherents/ludres/calendrier/2026"
        bad_calendar = await post_form(
            client, calendar, calendar,
            {"bp_voted_on": "15/03/2026", "bs_voted_on": "01/02/2026", "dm_dates": "pas-une-date"},
        )  # fmt: skip
        saved = await post_form(
            client, calendar, calendar,
            {"bp_voted_on": "15/03/2026", "bs_voted_on": "30/06/2026",
             "dm_dates": "15/10/2026\n10/12/2026"},
        )  # fmt: skip
        record = text_of(await client.get("/adherents/ludres"))
    page = text_of(refused)
    assert "Nombre entier attendu, entre 0 et 1\u202f000\u202f000." in page
    assert "Le décompte de 2026 est fait entre 2024 et 2026." in page
    assert (first.status_code, second.status_code) == (303, 303)
    assert "1\u202f234" in history
    assert "1\u202f240" in history
    assert "Inventaire de la DSIT" in history
    assert "25/09/2025" in history
    assert "inventaire GLPI" in history
    bad = text_of(bad_calendar)
    assert "Ce vote ne peut précéder celui du BP." in bad
    assert "« pas-une-date » n'est pas une date au format JJ/MM/AAAA." in bad
    assert saved.status_code == 303
    assert "15/03/2026" in record
    assert "15/10/2026, 10/12/2026" in record


async def test_the_member_page_opens_the_count_of_any_year_since_it_joined(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        record = await client.get("/adherents/ludres")
        chosen = await client.get("/adherents/ludres/postes", params={"annee": "2023"})
        bad = await client.get("/adherents/ludres/postes", params={"annee": "hier"})
    assert 'action="/adherents/ludres/postes"' in record.text
    assert '<option value="2023"' in record.text
    assert (chosen.status_code, chosen.headers["location"]) == (
        303,
        "/adherents/ludres/postes/2023",
    )
    assert bad.status_code == 400


async def test_a_convention_its_extension_and_an_adhesion(web_stack: dict[str, Any]) -> None:
    convention = {"code": "convention-2023", "title": "Convention de mutualisation 2023",
                  "starts_on": "01/01/2023", "ends_on": "31/12/2027", "tacit_renewal": "true",
                  "renewal_months": "12", "notice_months": "3",
                  "deliberation_ref": "DEL-2022-118", "deliberated_on": "15/12/2022"}  # fmt: skip
    base = "/conventions/convention-2023"
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        refused = await post_form(
            client, "/conventions/nouvelle", "/conventions/nouvelle",
            {**convention, "ends_on": "31/12/2022"},
        )  # fmt: skip
        created = await post_form(
            client, "/conventions/nouvelle", "/conventions/nouvelle", convention
        )
        no_end = await post_form(
            client, base, f"{base}/avenants", {"kind": "extension", "reference": "Prorogation 1"}
        )
        extended = await post_form(
            client, base, f"{base}/avenants",
            {"kind": "extension", "reference": "Prorogation 1", "extends_to": "30/06/2028"},
        )  # fmt: skip
        adhesion = await post_form(
            client, base, f"{base}/adhesions",
            {"member_code": "ludres", "deliberation_ref": "2023-04", "deliberated_on": "09/02/2023",
             "signed_on": "01/03/2023", "left_on": "01/01/2023"},
        )  # fmt: skip
        joined = await post_form(
            client, base, f"{base}/adhesions",
            {"member_code": "ludres", "deliberation_ref": "2023-04",
             "deliberated_on": "09/02/2023", "signed_on": "01/03/2023"},
        )  # fmt: skip
        left = await post_form(
            client, f"{base}/adhesions/ludres/modifier", f"{base}/adhesions/ludres/modifier",
            {"deliberation_ref": "2023-04", "deliberated_on": "09/02/2023",
             "signed_on": "01/03/2023", "left_on": "31/12/2025"},
        )  # fmt: skip
        page = text_of(await client.get(base))
        member = text_of(await client.get("/adherents/ludres"))
    assert "La fin précède le début." in text_of(refused)
    assert created.status_code == 303
    assert "Une prorogation dit jusqu'à quand : indiquez la nouvelle fin." in text_of(no_end)
    assert extended.status_code == 303
    assert "Le départ précède la signature." in text_of(adhesion)
    assert (joined.status_code, left.status_code) == (303, 303)
    assert "Prorogation" in page
    assert "30/06/2028" in page
    assert "DEL-2022-118" in page
    assert "31/12/2025" in page
    assert "2023-04" in member
    assert "09/02/2023" in member


WORKSTATIONS_CSV = (
    "\ufeffCode adhérent;Exercice;Postes de travail;Date du décompte;Source;Commentaire\r\n"
    "ludres;2026;84;25/09/2025;déclaré;\r\n"
    "inconnu;20x6;-3;31/02/2025;au pif;\r\n"
)


async def upload(client: httpx.AsyncClient, slug: str, content: bytes, **form: str) -> Any:
    page = await client.get(f"/adherents/import/{slug}")
    data = {"csrf_token": csrf_of(page.text), **form}
    files = {"file": ("fichier.csv", content, "text/csv")}
    return await client.post(f"/adherents/import/{slug}", data=data, files=files)


async def test_an_import_simulation_lists_every_error_of_a_row_then_the_import_stores(
    web_stack: dict[str, Any],
) -> None:
    async with asgi_client(web_stack["web"]) as client:
        await sign_in(client, "admin@dsit.test")
        form = text_of(await client.get("/adherents/import/postes-de-travail"))
        template = await client.get("/adherents/import/postes-de-travail/modele.csv")
        xlsx = await client.get("/adherents/import/interlocuteurs/modele.xlsx")
        simulated = await upload(
            client, "postes-de-travail", WORKSTATIONS_CSV.encode(), dry_run="true"
        )
        before = text_of(await client.get("/adherents/ludres"))
        stored = await upload(client, "postes-de-travail", WORKSTATIONS_CSV.encode())
        after = text_of(await client.get("/adherents/ludres"))
        bad_file = await upload(client, "interlocuteurs", b"nom;truc\nx;y\n")
    assert 'name="dry_run" value="true" checked' in form  # a simulation unless unchecked
    assert template.content.decode("utf-8-sig").startswith("Code adhérent;Exercice;")
    assert xlsx.content.startswith(b"PK")
    report = text_of(simulated)
    assert "simulation : rien n'a été enregistré" in report
    assert "<strong>1</strong> ligne(s) créée(s)" in report
    assert "<strong>1</strong> ligne(s) rejetée(s)" in report
    for message in (
        "Code adhérent : Adhérent inconnu (« inconnu »).",
        "Exercice : Nombre entier attendu (« 20x6 »).",
        "Postes de travail : Doit être supérieur ou égal à 0.",
        "Date du décompte : Date attendue au format JJ/MM/AAAA (« 31/02/2025 »).",
        "Source : Valeur non reconnue (« au pif ») : « déclaré » ou « inventaire » attendu.",
    ):
        assert message in report
    assert "Aucun décompte enregistré." in before
    assert "rien n'a été enregistré" not in text_of(stored)
    assert "84" in after
    assert "25/09/2025" in after
    assert bad_file.status_code == 422
    assert "En-tête du fichier non reconnu : partez du modèle." in text_of(bad_file)
