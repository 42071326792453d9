"""Master plans: axes, actions, indicators, measurements and the decision → action chain."""

from __future__ import annotations

from typing import Any

from tests.conftest import as_admin, as_contact, asgi_client, identity_headers
from tests.governance.helpers import action, body, indicator, meeting, ok


async def test_the_seven_axes_of_the_deliberation_exist(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        axes = await ok(await client.get("/master-plans/axes"))
    assert [a["code"] for a in axes["items"]] == [
        "securite",
        "couts-de-possession",
        "sobriete-souverainete",
        "conformite",
        "inclusion-numerique",
        "pilotage-donnee",
        "maintien-obsolescence",
    ]


async def test_decision_creates_an_action_which_shows_it_with_its_indicators(
    service_app: Any,
) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await indicator(client, "postes-mfa", is_rate=True, target="95")
        await ok(
            await client.post(
                "/master-plans/indicators/postes-mfa/measurements",
                json={
                    "measurements": [
                        {
                            "period": "2025-06-30",
                            "numerator": "45",
                            "denominator": "60",
                            "source": "console-mfa",
                        }
                    ]
                },
            )
        )
        await body(client)
        m = await meeting(client)
        decision = await ok(
            await client.post(
                f"/meetings/{m['id']}/decisions",
                json={
                    "title": "Généraliser la MFA",
                    "owner": "RSSI",
                    "new_action": {
                        "code": "mfa",
                        "axis_code": "securite",
                        "title": "MFA pour tous",
                        "owner": "RSSI",
                        "indicator_codes": ["postes-mfa"],
                    },
                },
            )
        )
        shown = await ok(await client.get("/master-plans/actions/mfa"))
    assert decision["action_code"] == "mfa"
    assert [d["id"] for d in shown["decisions"]] == [decision["id"]]
    assert shown["indicators"][0]["code"] == "postes-mfa"
    assert shown["indicators"][0]["latest"]["value"] == "75"


async def test_decision_updates_an_existing_action(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await action(client, "pra", status="in_progress", progress=40)
        await body(client)
        m = await meeting(client)
        await ok(
            await client.post(
                f"/meetings/{m['id']}/decisions",
                json={
                    "title": "Clore le PRA",
                    "owner": "DSIT",
                    "action_code": "pra",
                    "action_changes": {"status": "done"},
                },
            )
        )
        shown = await ok(await client.get("/master-plans/actions/pra"))
        axis = await ok(await client.get("/master-plans/axes/securite"))
    assert (shown["status"], shown["progress"]) == ("done", 100)
    assert len(shown["decisions"]) == 1
    assert (axis["actions"], axis["actions_done"], axis["progress"]) == (1, 1, 100)


async def test_decision_with_unknown_action_is_refused_naming_the_field(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await body(client)
        m = await meeting(client)
        response = await client.post(
            f"/meetings/{m['id']}/decisions",
            json={"title": "X", "owner": "DSIT", "action_code": "nope"},
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "action_code"


async def test_rate_is_recomputed_from_numerators_and_denominators_across_members(
    service_app: Any,
) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await indicator(client, "dispo", category="quality", axis_code=None, is_rate=True)
        await ok(
            await client.post(
                "/master-plans/indicators/dispo/measurements",
                json={
                    "measurements": [
                        {
                            "period": "2025-03-31",
                            "member_code": "ludres",
                            "numerator": "99",
                            "denominator": "100",
                            "source": "supervision",
                        },
                        {
                            "period": "2025-03-31",
                            "member_code": "nancy",
                            "numerator": "800",
                            "denominator": "1000",
                            "source": "supervision",
                        },
                    ]
                },
            )
        )
        series = await ok(await client.get("/master-plans/indicators/dispo/series"))
    point = series["points"][0]
    # (99 + 800) / (100 + 1000), not the mean of 99 % and 80 %
    assert (point["numerator"], point["denominator"], point["value"]) == (
        "899",
        "1100",
        "81.727273",
    )
    assert point["member_values"] == {"ludres": "99", "nancy": "80"}


async def test_machine_token_feeds_measurements_idempotently(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await indicator(
            client,
            "tickets",
            category="activity",
            axis_code=None,
            unit="tickets",
            aggregation="sum",
        )
    machine = identity_headers(
        kind="machine",
        roles=(),
        scopes=("indicators:write",),
        subject="token:7",
        name="supervision",
    )
    batch = {"measurements": [{"period": "2025-01-31", "value": "120", "source": "glpi"}]}
    async with asgi_client(app, headers=machine) as client:
        first = await ok(
            await client.post("/master-plans/indicators/tickets/measurements", json=batch)
        )
        again = await ok(
            await client.post("/master-plans/indicators/tickets/measurements", json=batch)
        )
        forbidden = await client.post(
            "/master-plans/actions",
            json={"code": "x", "axis_code": "securite", "title": "X", "owner": "Y"},
        )
    assert first == {"created": 1, "updated": 0, "unchanged": 0}
    assert again == {"created": 0, "updated": 0, "unchanged": 1}
    assert forbidden.status_code == 403


async def test_rate_measurement_without_denominator_is_refused(service_app: Any) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await indicator(client, "dispo", is_rate=True)
        response = await client.post(
            "/master-plans/indicators/dispo/measurements",
            json={"measurements": [{"period": "2025-03-31", "value": "99", "source": "x"}]},
        )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "measurements.0.denominator"


async def test_contact_sees_its_and_shared_actions_and_measurements_only(
    service_app: Any,
) -> None:
    app = service_app("governance")
    async with asgi_client(app, headers=as_admin()) as client:
        await action(client, "commun")
        await action(client, "ludres-wifi", member_codes=["ludres"])
        await action(client, "laxou-wifi", member_codes=["laxou"])
        await indicator(client, "dispo", category="quality", axis_code=None, is_rate=True)
        await ok(
            await client.post(
                "/master-plans/indicators/dispo/measurements",
                json={
                    "measurements": [
                        {
                            "period": "2025-03-31",
                            "member_code": m,
                            "numerator": "9",
                            "denominator": "10",
                            "source": "s",
                        }
                        for m in ("ludres", "laxou")
                    ]
                },
            )
        )
    async with asgi_client(app, headers=as_contact("ludres")) as client:
        actions = await ok(await client.get("/master-plans/actions"))
        hidden = await client.get("/master-plans/actions/laxou-wifi")
        measured = await ok(await client.get("/master-plans/indicators/dispo/measurements"))
        other = await client.get("/master-plans/indicators/dispo/measurements?member=laxou")
    assert [a["code"] for a in actions["items"]] == ["commun", "ludres-wifi"]
    assert hidden.status_code == 404
    assert [m["member_code"] for m in measured["items"]] == ["ludres"]
    assert other.status_code == 404
