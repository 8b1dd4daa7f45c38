# ruff: noqa: E501  (the matrix is a table: one endpoint a line)
"""The authorization matrix: every endpoint, for every role and for anonymous callers.

Each endpoint gets a fresh scenario: a resource under review (an author, two accepted
reviewers, one review in) and a published resource. Callers outside the endpoint's
allowed set must be stopped (401 anonymous, 403 forbidden, or 404 where the resource is
hidden from them); callers inside it must get past authorization (whatever the state then
says: 200, 201, 409, 422). Denied callers go first, so their attempts are also shown to
change nothing that the allowed caller then relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalogue.models import Role, State
from tests.support.catalogue import (
    Person,
    add_resource,
    add_results_token,
    add_sync_token,
    add_user,
    sample_package,
)

CALLERS = (
    "anonymous",
    "sync",
    "results",
    "author",
    "teacher",
    "reviewer1",
    "reviewer2",
    "outsider",
    "chair",
    "admin",
)
SIGNED_IN = frozenset(CALLERS) - {"anonymous"}
EVERYONE = frozenset(CALLERS)
INSIDERS = frozenset({"author", "reviewer1", "reviewer2", "chair", "admin"})


@dataclass
class Scenario:
    people: dict[str, Person]
    sync: str
    results: str
    under_review: str
    published: str
    reviewed: int  # reviewer1's assignment, review submitted
    open: int  # reviewer2's assignment, accepted, no review yet
    package: Path

    def headers(self, caller: str) -> dict[str, str]:
        if caller == "anonymous":
            return {}
        if caller == "sync":
            return {"Authorization": f"Bearer {self.sync}"}
        if caller == "results":
            return {"Authorization": f"Bearer {self.results}"}
        return self.people[caller].auth


def _call(client: FlaskClient, method: str, url: str, headers: dict[str, str], **kw: Any) -> Any:
    response = client.open(url, method=method, headers=headers, **kw)
    assert response.status_code < 400, (method, url, response.status_code, response.text)
    return response.get_json(silent=True)


def build_scenario(app: Flask, client: FlaskClient, tmp_path: Path) -> Scenario:
    people = {
        "author": add_user(app, "author@school.kz", Role.TEACHER),
        "teacher": add_user(app, "other@school.kz", Role.TEACHER),
        "reviewer1": add_user(app, "rev1@council.kz", Role.REVIEWER),
        "reviewer2": add_user(app, "rev2@council.kz", Role.REVIEWER),
        "outsider": add_user(app, "rev3@council.kz", Role.REVIEWER),
        "chair": add_user(app, "chair@council.kz", Role.CHAIR),
        "admin": add_user(app, "admin@sandyq.kz", Role.ADMIN),
    }
    add_user(app, "coauthor@school.kz", Role.TEACHER)  # joins and leaves; never a caller
    sync = add_sync_token(app, people["admin"])
    results = add_results_token(app, people["admin"])
    package = sample_package(tmp_path)
    with package.open("rb") as stream:
        created = _call(
            client,
            "POST",
            "/api/v1/resources",
            people["author"].auth,
            data={"package": (stream, "newton.zip"), "copyright_attested": "true"},
            content_type="multipart/form-data",
        )
    uuid = created["uuid"]
    chair = people["chair"].auth
    _call(client, "POST", f"/api/v1/resources/{uuid}/submit", people["author"].auth)
    _call(
        client,
        "POST",
        f"/api/v1/resources/{uuid}/coauthors",
        people["author"].auth,
        json={"email": "coauthor@school.kz"},
    )
    reviewers = [people["reviewer1"].id, people["reviewer2"].id]
    assigned = _call(
        client,
        "POST",
        f"/api/v1/resources/{uuid}/assignments",
        chair,
        json={"reviewer_ids": reviewers},
    )
    _call(client, "POST", f"/api/v1/resources/{uuid}/start-review", chair)
    ids = {a["reviewer"]["id"]: a["id"] for a in assigned["assignments"]}
    first, second = ids[people["reviewer1"].id], ids[people["reviewer2"].id]
    for number, who in ((first, "reviewer1"), (second, "reviewer2")):
        _call(
            client,
            "POST",
            f"/api/v1/assignments/{number}/accept",
            people[who].auth,
            json={"no_conflict": True},
        )
    from catalogue.models import CRITERIA, GATES

    _call(
        client,
        "POST",
        f"/api/v1/assignments/{first}/review/submit",
        people["reviewer1"].auth,
        json={
            "gates": dict.fromkeys(GATES, True),
            "scores": dict.fromkeys(CRITERIA, 2),
            "recommendation": "minor_revision",
            "comment_to_author": "Суреттерге сипаттама қосыңыз.",
        },
    )
    published = add_resource(app, people["author"], State.PUBLISHED, package=package)
    return Scenario(people, sync, results, uuid, published, first, second, package)


#: (method, path, allowed callers, request extras). {r} under review, {p} published,
#: {a} the reviewed assignment, {o} the open one.
MATRIX: list[tuple[str, str, frozenset[str], dict[str, Any]]] = [
    ("GET", "/healthz", EVERYONE, {}),
    ("GET", "/oai?verb=Identify", EVERYONE, {}),
    ("POST", "/oai", EVERYONE, {"data": {"verb": "Identify"}}),
    ("GET", "/api/v1/openapi.json", EVERYONE, {}),
    ("GET", "/api/v1/resources?q=ньютон", EVERYONE, {}),
    ("GET", "/api/v1/published", SIGNED_IN, {}),
    ("POST", "/api/v1/resources", frozenset({"author", "teacher"}), {"upload": True}),
    ("GET", "/api/v1/me/resources", SIGNED_IN, {}),
    ("GET", "/api/v1/me/assignments", SIGNED_IN, {}),
    ("GET", "/api/v1/resources/{r}", INSIDERS, {}),
    ("GET", "/api/v1/resources/{p}", EVERYONE, {}),
    ("GET", "/api/v1/resources/{r}/versions", INSIDERS, {}),
    ("GET", "/api/v1/resources/{r}/versions/1", INSIDERS, {}),
    ("GET", "/api/v1/resources/{r}/package", INSIDERS, {}),
    ("GET", "/api/v1/resources/{r}/versions/1/package", INSIDERS, {}),
    ("GET", "/api/v1/resources/{p}/package", EVERYONE, {}),
    ("PATCH", "/api/v1/resources/{r}", frozenset({"author"}), {"json": {"subject": "physics"}}),
    ("POST", "/api/v1/resources/{r}/versions", frozenset({"author"}), {"upload": True}),
    ("POST", "/api/v1/resources/{r}/coauthors", frozenset({"author"}), {"json": {"email": "coauthor@school.kz"}}),
    ("DELETE", "/api/v1/resources/{r}/coauthors?email=coauthor@school.kz", frozenset({"author"}), {}),
    ("POST", "/api/v1/resources/{r}/submit", frozenset({"author"}), {}),
    ("POST", "/api/v1/resources/{r}/return", frozenset({"chair"}), {"json": {"reason": "Толық емес"}}),
    ("POST", "/api/v1/resources/{r}/assignments", frozenset({"chair"}), {"json": {"reviewer_ids": []}}),
    ("GET", "/api/v1/resources/{r}/assignments", frozenset({"chair", "admin"}), {}),
    ("POST", "/api/v1/resources/{r}/start-review", frozenset({"chair"}), {}),
    ("DELETE", "/api/v1/assignments/{o}", frozenset({"chair"}), {}),
    ("POST", "/api/v1/assignments/{o}/accept", frozenset({"reviewer2"}), {"json": {"no_conflict": True}}),
    ("POST", "/api/v1/assignments/{o}/decline", frozenset({"reviewer2"}), {"json": {"reason": "Уақыт жоқ"}}),
    ("GET", "/api/v1/assignments/{a}/review", frozenset({"reviewer1"}), {}),
    ("PUT", "/api/v1/assignments/{o}/review", frozenset({"reviewer2"}), {"json": {"comment_to_chair": "Әзірге"}}),
    ("POST", "/api/v1/assignments/{o}/review/submit", frozenset({"reviewer2"}), {"json": {}}),
    ("GET", "/api/v1/resources/{r}/reviews", frozenset({"author", "reviewer1", "reviewer2", "chair"}), {}),
    ("POST", "/api/v1/resources/{r}/decision", frozenset({"chair"}), {"json": {"decision": "approve", "reason": "Жақсы"}}),
    ("POST", "/api/v1/resources/{r}/resubmit", frozenset({"author"}), {"json": {"response": "Түзеттім"}}),
    ("POST", "/api/v1/resources/{r}/publish", frozenset({"chair"}), {}),
    ("POST", "/api/v1/resources/{p}/unpublish", frozenset({"chair", "admin"}), {"json": {"reason": "Қате табылды"}}),
    ("POST", "/api/v1/resources/{r}/republish", frozenset({"chair"}), {"json": {"reason": "Түзетілді"}}),
    ("POST", "/api/v1/resources/{r}/withdraw", frozenset({"author"}), {}),
    ("GET", "/api/v1/resources/{r}/audit", frozenset({"author", "chair", "admin"}), {}),
    ("GET", "/api/v1/review/overdue", frozenset({"chair", "admin"}), {}),
    ("POST", "/api/v1/review/reminders", frozenset({"chair", "admin"}), {}),
    ("GET", "/api/v1/stats", frozenset({"chair", "admin"}), {}),
    ("GET", "/api/v1/stats/downloads?resource={r}", frozenset({"author", "chair", "admin"}), {}),
    ("PUT", "/api/v1/usage", frozenset({"results"}), {"json": {"site": {"url": "https://moodle.school.kz", "name": "Мектеп"}, "period": "2026-01-05", "activities": []}}),
]  # fmt: skip


def _request(
    client: FlaskClient,
    scenario: Scenario,
    method: str,
    path: str,
    caller: str,
    extra: dict[str, Any],
) -> int:
    url = path.format(
        r=scenario.under_review, p=scenario.published, a=scenario.reviewed, o=scenario.open
    )
    kwargs = {key: value for key, value in extra.items() if key != "upload"}
    if extra.get("upload"):
        stream = scenario.package.open("rb")
        kwargs = {
            "data": {"package": (stream, "newton.zip")},
            "content_type": "multipart/form-data",
        }
    response = client.open(url, method=method, headers=scenario.headers(caller), **kwargs)
    assert response.status_code < 500, (method, url, caller, response.text)
    return response.status_code


@pytest.mark.parametrize(
    ("method", "path", "allowed", "extra"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
def test_every_caller_of_every_endpoint(
    app: Flask,
    client: FlaskClient,
    tmp_path: Path,
    method: str,
    path: str,
    allowed: frozenset[str],
    extra: dict[str, Any],
) -> None:
    scenario = build_scenario(app, client, tmp_path)
    outcomes = {}
    for caller in sorted(CALLERS, key=lambda c: c in allowed):  # the denied first
        status = _request(client, scenario, method, path, caller, extra)
        outcomes[caller] = status
        if caller in allowed:
            assert status not in (401, 403, 404), (caller, status)
        elif caller == "anonymous":
            assert status in (401, 404), (caller, status)
        else:
            assert status in (403, 404), (caller, status)


def test_the_matrix_covers_every_endpoint(app: Flask) -> None:
    covered = {(method, path.split("?")[0]) for method, path, _, _ in MATRIX}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or hasattr(app.view_functions[rule.endpoint], "sandyq_access"):
            continue  # pages: tests/catalogue/test_web_access.py walks them by their access marks
        generic = (
            rule.rule.replace("<uuid:uuid>", "{x}")
            .replace("<int:assignment_id>", "{x}")
            .replace("<int:number>", "1")
        )
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert any(
                method == m
                and generic
                == p.replace("{r}", "{x}")
                .replace("{p}", "{x}")
                .replace("{a}", "{x}")
                .replace("{o}", "{x}")
                for m, p in covered
            ), f"{method} {rule.rule} is missing from the authorization matrix"


def test_an_author_cannot_review_their_own_resource(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    scenario = build_scenario(app, client, tmp_path)
    response = client.post(
        f"/api/v1/resources/{scenario.under_review}/assignments",
        headers=scenario.headers("chair"),
        json={"reviewer_ids": [scenario.people["author"].id]},
    )
    assert response.status_code == 403 and response.json["error"]["code"] == "conflict_of_interest"


def test_a_reviewer_cannot_decide(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    scenario = build_scenario(app, client, tmp_path)
    response = client.post(
        f"/api/v1/resources/{scenario.under_review}/decision",
        headers=scenario.headers("reviewer1"),
        json={"decision": "approve", "reason": "Мен мақұлдаймын"},
    )
    assert response.status_code == 403


def test_the_sync_token_cannot_write(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    scenario = build_scenario(app, client, tmp_path)
    for method, path, _, extra in MATRIX:
        if method == "GET" or path.startswith("/oai"):
            continue
        status = _request(client, scenario, method, path, "sync", extra)
        assert status in (403, 404), (method, path, status)


def test_the_results_token_writes_only_usage(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    """What a sync token may not write, a results token may not either."""
    scenario = build_scenario(app, client, tmp_path)
    for method, path, _, extra in MATRIX:
        if method == "GET" or path.startswith("/oai") or path == "/api/v1/usage":
            continue
        status = _request(client, scenario, method, path, "results", extra)
        assert status in (403, 404), (method, path, status)
