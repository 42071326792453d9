"""The merged OpenAPI document: every service's paths under ``/api/<service>``.

Component names are prefixed with the service (``registry__Member``) so that two services may
each have a schema of the same name; every ``$ref`` is rewritten accordingly.
"""

from __future__ import annotations

from typing import Any

REF_PREFIX = "#/components/schemas/"


def _rewrite_refs(node: Any, service: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                out[key] = f"{REF_PREFIX}{service}__{value[len(REF_PREFIX) :]}"
            else:
                out[key] = _rewrite_refs(value, service)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, service) for item in node]
    return node


def merge_documents(base: dict[str, Any], documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    merged = dict(base)
    paths = dict(base.get("paths", {}))
    schemas = dict(base.get("components", {}).get("schemas", {}))
    for service, doc in documents.items():
        for path, item in doc.get("paths", {}).items():
            if path in ("/healthz", "/readyz"):
                continue
            tagged = _rewrite_refs(item, service)
            for operation in tagged.values():
                if isinstance(operation, dict):
                    operation["tags"] = [service, *operation.get("tags", [])]
                    if "operationId" in operation:
                        operation["operationId"] = f"{service}__{operation['operationId']}"
            paths[f"/api/{service}{path}"] = tagged
        for name, schema in doc.get("components", {}).get("schemas", {}).items():
            schemas[f"{service}__{name}"] = _rewrite_refs(schema, service)
    merged["paths"] = paths
    merged.setdefault("components", {})["schemas"] = schemas
    return merged
