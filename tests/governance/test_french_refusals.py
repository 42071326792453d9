"""Governance's refusals in French for a French reader (``Accept-Language: fr``), in English
otherwise: the rules of bodies, meetings, decisions, master plans, indicators, projects and
the GDPR registers, through the real app."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, asgi_client, identity_headers
from tests.french import both, in_english, in_french, messages
from tests.governance.helpers import action, body, indicator, meeting, ok


async def test_a_body_that_exists_and_a_meeting_of_an_unknown_body(service_app: Any) -> None:
    async with asgi_client(service_app("governance"), headers=as_admin()) as client:
        await body(client)
        again = {"code": "conference", "name": "Doublon", "level": "political",
                 "frequency": "annual"}  # fmt: skip
        fr_dup, en_dup = await both(client, "POST", "/bodies", json=again)
        fr_none, en_none = await both(
            client,
            "POST",
            "/meetings",
            json={"body_code": "nulle-part", "title": "Séance", "held_on": "2025-03-12"},
        )
    assert fr_dup.status_code == 409
    assert in_french(fr_dup)["detail"] == "Une instance « conference » existe déjà."
    assert in_english(en_dup)["detail"] == "A body 'conference' already exists."
    assert fr_none.status_code == 404
    assert in_french(fr_none)["detail"] == "L'instance « nulle-part » n'existe pas."
    assert in_english(en_none)["detail"] == "No body 'nulle-part'."


async def test_present_members_not_invited_are_named_in_french(service_app: Any) -> None:
    async with asgi_client(service_app("governance"), headers=as_admin()) as client:
        await body(client)
        made = await meeting(client, invited_members=["ludres"], present_members=["ludres"])
        change = {"invited_members": ["ludres"], "present_members": ["nancy"]}
        fr_new, en_new = await both(
            client,
            "POST",
            "/meetings",
            json={"body_code": "conference", "title": "Séance", "held_on": "2025-03-12",
                  **change},
        )  # fmt: skip
        # the update checks the rule against the members already invited (in the service)
        fr_put, en_put = await both(
            client, "PATCH", f"/meetings/{made['id']}", json={"present_members": ["nancy"]}
        )
    french = "Adhérents présents sans avoir été invités : « nancy »."
    assert fr_new.status_code == 422
    assert list(messages(in_french(fr_new)).values()) == [french]
    assert "present members not invited: nancy" in str(in_english(en_new)["errors"])
    assert fr_put.status_code == 422
    assert in_french(fr_put)["detail"] == french
    assert messages(in_french(fr_put)) == {"present_members": french}
    assert in_english(en_put)["detail"] == "present members not invited: nancy"


async def test_a_decision_on_an_unknown_action_and_with_two_actions(service_app: Any) -> None:
    async with asgi_client(service_app("governance"), headers=as_admin()) as client:
        await body(client)
        m = await meeting(client)
        url = f"/meetings/{m['id']}/decisions"
        fr_unknown, en_unknown = await both(
            client, "POST", url, json={"title": "X", "owner": "DSIT", "action_code": "nope"}
        )
        two = {
            "title": "X",
            "owner": "DSIT",
            "action_code": "nope",
            "new_action": {"code": "n", "axis_code": "securite", "title": "N", "owner": "RSSI"},
        }
        fr_two, en_two = await both(client, "POST", url, json=two)
    assert fr_unknown.status_code == 422
    unknown = in_french(fr_unknown)
    assert unknown["detail"] == "L'action « nope » n'existe pas."
    assert messages(unknown) == {"action_code": "Action inconnue."}
    assert messages(in_english(en_unknown)) == {"action_code": "unknown action"}
    assert fr_two.status_code == 422
    assert list(messages(in_french(fr_two)).values()) == [
        "Rattachez la décision à une action existante ou créez-en une, pas les deux."
    ]
    assert "not both" in str(in_english(en_two)["errors"])


async def test_master_plan_actions_and_indicators_are_refused_in_french(
    service_app: Any,
) -> None:
    async with asgi_client(service_app("governance"), headers=as_admin()) as client:
        await action(client, "mfa")
        await indicator(client, "dispo", category="quality", axis_code=None, is_rate=True)
        fr_dup, en_dup = await both(
            client,
            "POST",
            "/master-plans/actions",
            json={"code": "mfa", "axis_code": "securite", "title": "MFA", "owner": "RSSI"},
        )
        fr_axis, _ = await both(
            client,
            "POST",
            "/master-plans/actions",
            json={"code": "autre", "axis_code": "lune", "title": "Autre", "owner": "RSSI"},
        )
        fr_rate, en_rate = await both(
            client,
            "POST",
            "/master-plans/indicators/dispo/measurements",
            json={"measurements": [{"period": "2025-03-31", "value": "99", "source": "x"}]},
        )
        fr_plan, _ = await both(
            client,
            "POST",
            "/master-plans/indicators",
            json={"code": "sans-axe", "name": "Sans axe", "definition": "D", "unit": "%",
                  "direction": "up", "category": "plan"},
        )  # fmt: skip
        fr_missing, _ = await both(client, "GET", "/master-plans/indicators/nulle")
    assert in_french(fr_dup)["detail"] == "Une action « mfa » existe déjà."
    assert in_english(en_dup)["detail"] == "An action 'mfa' already exists."
    assert messages(in_french(fr_axis)) == {"axis_code": "Axe inconnu."}
    rate = in_french(fr_rate)
    assert rate["detail"] == (
        "L'indicateur « dispo » est un taux : donnez le numérateur et le dénominateur."
    )
    assert messages(rate) == {
        "measurements.0.denominator": "Un taux demande un numérateur et un dénominateur."
    }
    assert messages(in_english(en_rate)) == {
        "measurements.0.denominator": "a rate needs numerator and denominator"
    }
    assert list(messages(in_french(fr_plan)).values()) == [
        "Un indicateur du schéma directeur est rattaché à un axe."
    ]
    assert in_french(fr_missing)["detail"] == "L'indicateur « nulle » n'existe pas."


async def test_projects_are_refused_in_french(service_app: Any) -> None:
    async with asgi_client(service_app("governance"), headers=as_admin()) as client:
        await ok(await client.post("/projects", json={"code": "sso", "name": "SSO"}))
        fr_dup, en_dup = await both(client, "POST", "/projects", json={"code": "sso", "name": "S"})
        fr_action, _ = await both(
            client, "POST", "/projects", json={"code": "x", "name": "X", "action_code": "nope"}
        )
        fr_missing, en_missing = await both(client, "GET", "/projects/nulle")
    assert in_french(fr_dup)["detail"] == "Un projet « sso » existe déjà."
    assert in_english(en_dup)["detail"] == "A project 'sso' already exists."
    action_refused = in_french(fr_action)
    assert action_refused["detail"] == "L'action « nope » n'existe pas."
    assert messages(action_refused) == {"action_code": "Action inconnue."}
    assert in_french(fr_missing)["detail"] == "Le projet « nulle » n'existe pas."
    assert in_english(en_missing)["detail"] == "No project 'nulle'."


def dpo() -> dict[str, str]:
    return identity_headers(roles=("dpo",), subject="account:3", name="DPO")


async def test_the_gdpr_registers_refuse_in_french(service_app: Any) -> None:
    entry = {
        "category_code": "messagerie",
        "category_name": "Messagerie",
        "controller_code": "ludres",
        "processing_carried_out": "Hébergement",
        "security_measures": "Chiffrement, sauvegardes",
    }
    breach = {
        "reference": "VIO-3",
        "controller_code": "ludres",
        "title": "X",
        "facts": "Y",
        "risk": "none",
        "aware_at": "2025-02-03T09:00:00+01:00",
        "controller_informed_at": "2025-02-01T09:00:00+01:00",
    }
    async with asgi_client(service_app("governance"), headers=dpo()) as client:
        fr_sub, en_sub = await both(
            client, "POST", "/gdpr/processing", json={**entry, "sub_processors": ["inconnu"]}
        )
        await ok(await client.post("/gdpr/processing", json=entry))
        fr_dup, _ = await both(client, "POST", "/gdpr/processing", json=entry)
        fr_early, en_early = await both(client, "POST", "/gdpr/breaches", json=breach)
        fr_missing, _ = await both(client, "GET", "/gdpr/breaches/999")
    sub = in_french(fr_sub)
    assert sub["detail"] == "Sous-traitants ultérieurs inconnus : « inconnu »."
    assert messages(sub) == {"sub_processors": sub["detail"]}
    assert in_english(en_sub)["detail"] == "unknown sub-processors: inconnu"
    assert fr_dup.status_code == 409
    assert in_french(fr_dup)["detail"] == (
        "Une entrée du registre des activités de sous-traitance identique existe déjà "
        "(« messagerie », « ludres »)."
    )
    early = in_french(fr_early)
    assert messages(early) == {
        "controller_informed_at": "« Responsable de traitement informé » précède la prise de "
        "connaissance par la DSIT."
    }
    assert messages(in_english(en_early)) == {
        "controller_informed_at": "controller_informed_at is before aware_at"
    }
    assert in_french(fr_missing)["detail"] == "La violation de données n° 999 n'existe pas."
