"""The OpenAPI document, generated from the views' models (``catalogue.api.openapi``): valid
OpenAPI 3.1, naming every ``/api/v1`` route the app registers with each of its methods, and
true to what the API answers: real responses validate against the document's own schemas
(with ``jsonschema``, independently of the pydantic models the document came from)."""

from __future__ import annotations

import re
import uuid as uuids
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from catalogue.api.openapi import document
from catalogue.errors import CatalogueError
from tests.support.catalogue import add_sync_token
from tests.support.error_texts import said
from tests.support.review import API, council, ok, post, reviewed

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


@pytest.fixture
def spec(app: Flask) -> dict[str, Any]:
    return document(app)


def test_the_document_is_served(client: FlaskClient, spec: dict[str, Any]) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json == spec


def test_the_document_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    validate(spec)  # openapi-spec-validator: the 3.1 schema of the document, and its $refs


def test_the_document_has_the_shape_of_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"]
    components = spec["components"]
    assert {"Resource", "Version", "Error", "Finding"} <= set(components["schemas"])
    assert components["securitySchemes"]["bearer"] == {
        **components["securitySchemes"]["bearer"],
        "type": "http",
        "scheme": "bearer",
    }
    assert components["securitySchemes"]["cookie"]["in"] == "cookie"
    schemes = set(components["securitySchemes"])
    for requirement in spec["security"]:
        assert set(requirement) <= schemes

    operation_ids = []
    for path, method, operation in operations(spec):
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
            for p in spec["paths"][path].get("parameters", []) + operation.get("parameters", [])
            if p["in"] == "path"
        }
        assert declared == set(re.findall(r"{(\w+)}", path)), f"{method.upper()} {path}"
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"

    for ref in set(refs(spec)):
        resolve(spec, ref)


def test_every_api_route_is_documented(app: Flask, spec: dict[str, Any]) -> None:
    routes = {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    documented = {(path, method) for path, method, _ in operations(spec)}

    assert routes, "no /api/v1 routes registered"
    assert routes - documented == set(), "routes missing from the document"
    assert documented - routes == set(), "documented operations that no route serves"


def test_every_error_class_has_its_response(spec: dict[str, Any]) -> None:
    """The error responses are made from ``catalogue.errors``, one per class."""
    responses = spec["components"]["responses"]
    for cls in (CatalogueError, *CatalogueError.__subclasses__()):
        if cls.__module__ == CatalogueError.__module__:
            assert cls.code in responses[cls.__name__]["description"], cls


# ---- real answers against the document ----------------------------------------------------


def answer_schema(spec: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    """The JSON schema the document gives for one answer, its $refs resolvable."""
    response: Any = spec["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = resolve(spec, response["$ref"])
    schema = response["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def conforms(spec: dict[str, Any], path: str, method: str, answer: Any) -> Any:
    """Check a test client's answer against the document; give its JSON."""
    schema = answer_schema(spec, path, method, answer.status_code)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(answer.json)]
    assert not problems, f"{method.upper()} {path} {answer.status_code}: {problems}"
    return answer.json


def test_real_answers_validate_against_the_document(
    app: Flask, client: FlaskClient, spec: dict[str, Any]
) -> None:
    people = council(app)
    published, ids = reviewed(app, client, people)
    approve = {"decision": "approve", "reason": "Мақұл."}
    decided = post(client, f"/resources/{published}/decision", people.chair, approve)
    step = conforms(spec, "/api/v1/resources/{uuid}/decision", "post", decided)
    assert step["state"] == "approved", step
    conforms(
        spec,
        "/api/v1/resources/{uuid}/publish",
        "post",
        post(client, f"/resources/{published}/publish", people.chair),
    )

    item = client.get(f"{API}/resources/{published}", headers=people.author.auth)
    assert conforms(spec, "/api/v1/resources/{uuid}", "get", item)["uuid"] == published
    found = conforms(spec, "/api/v1/resources", "get", client.get(f"{API}/resources?q=&grade=7"))
    assert [hit["uuid"] for hit in found["items"]] == [published]
    for path, who in (
        ("/api/v1/resources/{uuid}/versions", people.author),
        ("/api/v1/resources/{uuid}/reviews", people.chair),
        ("/api/v1/resources/{uuid}/audit", people.chair),
        ("/api/v1/me/resources", people.author),
        ("/api/v1/stats", people.chair),
    ):
        conforms(spec, path, "get", client.get(path.replace("{uuid}", published), headers=who.auth))
    work = client.get(f"{API}/assignments/{ids[0]}/review", headers=people.reviewer1.auth)
    assert conforms(spec, "/api/v1/assignments/{assignment_id}/review", "get", work)["review"]
    sync = {"Authorization": f"Bearer {add_sync_token(app, people.admin)}"}
    feed = conforms(spec, "/api/v1/published", "get", client.get(f"{API}/published", headers=sync))
    assert feed["items"] and feed["next"] is None


@pytest.mark.parametrize(
    ("path", "method", "kwargs", "status"),
    [
        ("/api/v1/resources/{uuid}", "get", {}, 404),
        ("/api/v1/resources", "get", {"query_string": {"grade": "13"}}, 422),
        ("/api/v1/me/resources", "get", {}, 401),
        ("/api/v1/published", "get", {"query_string": {"limit": "0"}, "auth": True}, 422),
    ],
)
def test_real_errors_validate_against_the_document(
    app: Flask,
    client: FlaskClient,
    spec: dict[str, Any],
    path: str,
    method: str,
    kwargs: dict[str, Any],
    status: int,
) -> None:
    kwargs = dict(kwargs)  # the parameters are shared by both databases' runs
    headers = council(app).author.auth if kwargs.pop("auth", False) else {}
    url = path.replace("{uuid}", str(uuids.uuid4()))
    answer = client.open(url, method=method.upper(), headers=headers, **kwargs)
    assert answer.status_code == status, answer.json
    assert conforms(spec, path, method, answer)["error"]["code"]


def test_a_review_step_s_bad_body_keeps_its_codes(app: Flask, client: FlaskClient) -> None:
    """Bodies read through their models answer the codes the review has always had."""
    people = council(app)
    uuid, _ = reviewed(app, client, people)
    for body, code in (
        ({"decision": 7}, "invalid_decision"),
        ({"decision": "approve", "reason": ["no"]}, "invalid_reason"),
        ({"decision": "maybe"}, "unknown_decision"),
    ):
        answer = post(client, f"/resources/{uuid}/decision", people.chair, body)
        assert (answer.status_code, answer.json["error"]["code"]) == (422, code), answer.json
    bad = client.post(
        f"{API}/resources/{uuid}/assignments",
        json={"reviewer_ids": [True]},
        headers=people.chair.auth,
    )
    assert bad.status_code == 422 and bad.json["error"] == {
        "code": "invalid_reviewer_ids",
        "message": said(app, "kk", "invalid_reviewer_ids"),
    }
    approve = {"decision": "approve", "reason": "Мақұл."}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, approve))


def test_an_answer_off_its_model_fails_under_testing(app: Flask) -> None:
    """The decorator's check is what keeps every API test honest about the document."""
    from catalogue.api.openapi import documented
    from catalogue.api.schemas import Reminders

    def view() -> dict[str, Any]:
        return {"sent": 1, "also": "a key the model does not name"}

    checked = documented("x", operation_id="x", responses={200: Reminders})(view)
    with app.test_request_context("/api/v1/review/reminders", method="POST"):
        with pytest.raises(AssertionError, match="off its schema Reminders"):
            checked()
