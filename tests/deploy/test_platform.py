"""The apps run with exactly the image's commands against PostgreSQL: ready, observable,
several replicas' worth of state kept in the databases."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from mutualis.apps import APPS
from tests.deploy.platform import Platform

pytestmark = pytest.mark.postgresql


def test_every_app_answers_readyz_after_the_migration_job(platform: Platform) -> None:
    for spec in APPS:
        answer = httpx.get(platform.url(spec.name, "/readyz"), timeout=5)
        assert answer.status_code == 200, (spec.name, answer.text)
        assert httpx.get(platform.url(spec.name, "/healthz"), timeout=5).status_code == 200


def test_the_gateway_reports_every_service_ok(platform: Platform) -> None:
    health = httpx.get(platform.url("gateway", "/api/health"), timeout=10)
    assert health.status_code == 200
    assert {s["status"] for s in health.json()["services"].values()} == {"ok"}


def test_request_id_is_on_json_log_lines_across_hops(platform: Platform, admin_token: str) -> None:
    answer = httpx.get(
        platform.url("gateway", "/api/registry/members"),
        headers={"Authorization": f"Bearer {admin_token}", "X-Request-ID": "trace-deploy-42"},
        timeout=10,
    )
    assert answer.status_code == 200
    for app in ("gateway", "registry"):
        # an access line is written once the answer has gone out: give it a moment to land
        deadline = time.monotonic() + 10
        while True:
            lines = [json.loads(line) for line in platform.log_lines(app) if line.startswith("{")]
            mine = [line for line in lines if line["request_id"] == "trace-deploy-42"]
            if mine or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert mine, f"no log line of {app} carries the request id"
        assert all(line["app"] == app for line in mine)


def test_service_metrics_count_requests_by_route_template(platform: Platform) -> None:
    httpx.get(platform.url("registry", "/members/ludres"), timeout=5)  # 401: no identity
    text = httpx.get(platform.url("registry", "/metrics"), timeout=5).text
    assert (
        'mutualis_http_requests_total{app="registry",method="GET",route="/members/{code}",'
        'status="401"}'
    ) in text
    assert "/members/ludres" not in text
    assert "mutualis_http_request_duration_seconds_bucket" in text


def test_public_apps_serve_metrics_only_with_the_token(platform: Platform) -> None:
    token = platform.secrets["MUTUALIS_METRICS_TOKEN"]
    for app in ("gateway", "web"):
        assert httpx.get(platform.url(app, "/metrics"), timeout=5).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert httpx.get(platform.url(app, "/metrics"), headers=wrong, timeout=5).status_code == 401
        right = {"Authorization": f"Bearer {token}"}
        answer = httpx.get(platform.url(app, "/metrics"), headers=right, timeout=5)
        assert answer.status_code == 200
        assert f'app="{app}"' in answer.text


def test_a_billing_run_completes_in_the_started_platform(
    platform: Platform, final_run: dict[str, object]
) -> None:
    assert str(final_run["snapshot_hash"]).startswith("sha256:")
