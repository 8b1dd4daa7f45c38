"""The OpenAPI document: structurally OpenAPI 3.1, and naming every ``/api/v1`` route the
app registers with each of its methods, so it cannot drift from the code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from catalogue.api.openapi import DOCUMENT

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve(document: dict[str, Any], ref: str) -> object:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        assert part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def openapi_path(rule: str) -> str:
    """``/versions/<int:number>`` -> ``/versions/{number}``"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_document_is_served(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json == DOCUMENT


def test_the_document_has_the_shape_of_openapi_3_1() -> None:
    assert DOCUMENT["openapi"] == "3.1.0"
    assert DOCUMENT["info"]["title"] and DOCUMENT["info"]["version"]
    components = DOCUMENT["components"]
    assert {"Resource", "Version", "Error", "Finding"} <= set(components["schemas"])
    assert components["securitySchemes"]["bearer"] == {
        **components["securitySchemes"]["bearer"],
        "type": "http",
        "scheme": "bearer",
    }
    assert components["securitySchemes"]["cookie"]["in"] == "cookie"
    schemes = set(components["securitySchemes"])
    for requirement in DOCUMENT["security"]:
        assert set(requirement) <= schemes

    operation_ids = []
    for path, method, operation in operations(DOCUMENT):
        assert path.startswith("/api/v1/"), path
        responses = operation["responses"]
        assert responses, f"{method.upper()} {path} has no responses"
        for status in responses:
            assert status == "default" or re.fullmatch(r"[1-5](\d\d|XX)", status), status
        assert any(status.startswith("2") or status == "304" for status in responses)
        operation_ids.append(operation["operationId"])
        for requirement in operation.get("security", []):
            assert set(requirement) <= schemes
        declared = {
            p["name"]
            for p in DOCUMENT["paths"][path].get("parameters", []) + operation.get("parameters", [])
            if p["in"] == "path"
        }
        assert declared == set(re.findall(r"{(\w+)}", path)), f"{method.upper()} {path}"
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"

    for ref in set(refs(DOCUMENT)):
        resolve(DOCUMENT, ref)


def test_every_api_route_is_documented(app: Flask) -> None:
    routes = {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    documented = {(path, method) for path, method, _ in operations(DOCUMENT)}

    assert routes, "no /api/v1 routes registered"
    assert routes - documented == set(), "routes missing from the document"
    assert documented - routes == set(), "documented operations that no route serves"
