# ruff: noqa: E501  (the matrix is a table: one endpoint a line)
"""The authorization matrix: every endpoint, for every role and for anonymous callers.

Each endpoint gets a fresh scenario: a resource under review (an author, a co-author, a
chair who is also a co-author, two accepted reviewers, one review in) and a published
resource with the same authors. Callers outside the endpoint's allowed set must be stopped
(401 anonymous, 403 forbidden, or 404 where the resource is hidden from them); callers
inside it must get past authorization (whatever the state then says: 200, 201, 409, 422).
Denied callers go first, so their attempts are also shown to change nothing that the
allowed caller then relies on. Where the chair may act and the chair who is an author may
not, the refusal is the conflict of interest (403 ``conflict_of_interest``): that holds
for every council role, not only for reviewers.

The rows are checked against the app's URL map: an endpoint without a row fails
``test_the_matrix_covers_every_endpoint``. Pages have their own matrix
(``tests/catalogue/test_web_access.py``), built from the same URL map and the same callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from catalogue.db import db
from catalogue.models import Resource, ResourceAuthor, Role, State
from tests.support.catalogue import (
    Person,
    add_resource,
    add_results_token,
    add_sync_token,
    add_user,
    sample_package,
)

#: Who calls: nobody; the Moodle sync's tokens (``read`` is a sync token of the chair who
#: is an author: a read-only token carries neither roles nor authorship); people. The
#: reviewers 1 and 2 are assigned to the resource under review, ``reviewer`` is not.
CALLERS = (
    "anonymous",
    "sync",
    "results",
    "read",
    "teacher",
    "author",
    "coauthor",
    "reviewer",
    "reviewer1",
    "reviewer2",
    "chair",
    "chair_author",
    "admin",
)
SIGNED_IN = frozenset(CALLERS) - {"anonymous"}
EVERYONE = frozenset(CALLERS)
AUTHORS = frozenset({"author", "coauthor", "chair_author"})
TEACHERS = frozenset({"author", "coauthor", "teacher"})
COUNCIL = frozenset({"chair", "chair_author", "admin"})
INSIDERS = AUTHORS | {"reviewer1", "reviewer2", "chair", "admin"}


@dataclass
class Scenario:
    people: dict[str, Person]
    sync: str
    results: str
    read: str
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
        if caller == "read":
            return {"Authorization": f"Bearer {self.read}"}
        return self.people[caller].auth


def _call(client: FlaskClient, method: str, url: str, headers: dict[str, str], **kw: Any) -> Any:
    response = client.open(url, method=method, headers=headers, **kw)
    assert response.status_code < 400, (method, url, response.status_code, response.text)
    return response.get_json(silent=True)


def build_scenario(app: Flask, client: FlaskClient, tmp_path: Path) -> Scenario:
    people = {
        "author": add_user(app, "author@school.kz", Role.TEACHER),
        "coauthor": add_user(app, "coauthor@school.kz", Role.TEACHER),
        "teacher": add_user(app, "other@school.kz", Role.TEACHER),
        "reviewer1": add_user(app, "rev1@council.kz", Role.REVIEWER),
        "reviewer2": add_user(app, "rev2@council.kz", Role.REVIEWER),
        "reviewer": add_user(app, "rev3@council.kz", Role.REVIEWER),
        "chair": add_user(app, "chair@council.kz", Role.CHAIR),
        "chair_author": add_user(app, "chair2@council.kz", Role.CHAIR),
        "admin": add_user(app, "admin@sandyq.kz", Role.ADMIN),
    }
    add_user(app, "newcomer@school.kz", Role.TEACHER)  # joins and leaves; never a caller
    sync = add_sync_token(app, people["admin"])
    results = add_results_token(app, people["admin"])
    read = add_sync_token(app, people["chair_author"])
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
    for email in ("coauthor@school.kz", "chair2@council.kz"):
        _call(
            client,
            "POST",
            f"/api/v1/resources/{uuid}/coauthors",
            people["author"].auth,
            json={"email": email},
        )
    reviewers = [people["reviewer1"].id, people["reviewer2"].id]
    assigned = _call(
        client,
        "POST",
        f"/api/v1/resources/{uuid}/assignments",
        chair,
        json={"reviewer_ids": reviewers},
    )
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
    with app.app_context():
        found = db.session.scalar(select(Resource).where(Resource.uuid == published))
        assert found is not None
        for who in ("coauthor", "chair_author"):
            db.session.add(ResourceAuthor(resource_id=found.id, user_id=people[who].id))
        db.session.commit()
    return Scenario(people, sync, results, read, uuid, published, first, second, package)


#: (method, path, allowed callers, request extras). {r} under review, {p} published,
#: {a} the reviewed assignment, {o} the open one.
MATRIX: list[tuple[str, str, frozenset[str], dict[str, Any]]] = [
    ("GET", "/healthz", EVERYONE, {}),
    ("GET", "/oai?verb=Identify", EVERYONE, {}),
    ("POST", "/oai", EVERYONE, {"data": {"verb": "Identify"}}),
    ("GET", "/api/v1/openapi.json", EVERYONE, {}),
    ("GET", "/api/v1/resources?q=ньютон", EVERYONE, {}),
    ("GET", "/api/v1/published", SIGNED_IN, {}),
    ("POST", "/api/v1/resources", TEACHERS, {"upload": True}),
    ("GET", "/api/v1/me/resources", SIGNED_IN, {}),
    ("GET", "/api/v1/me/assignments", SIGNED_IN, {}),
    ("GET", "/api/v1/resources/{r}", INSIDERS, {}),
    ("GET", "/api/v1/resources/{p}", EVERYONE, {}),
    ("GET", "/api/v1/resources/{r}/versions", INSIDERS, {}),
    ("GET", "/api/v1/resources/{r}/versions/1", INSIDERS, {}),
    ("GET", "/api/v1/resources/{r}/package", INSIDERS, {}),
    ("GET", "/api/v1/resources/{r}/versions/1/package", INSIDERS, {}),
    ("GET", "/api/v1/resources/{p}/package", EVERYONE, {}),
    ("PATCH", "/api/v1/resources/{r}", AUTHORS, {"json": {"subject": "physics"}}),
    ("POST", "/api/v1/resources/{r}/versions", AUTHORS, {"upload": True}),
    ("POST", "/api/v1/resources/{r}/coauthors", frozenset({"author"}), {"json": {"email": "newcomer@school.kz"}}),
    ("DELETE", "/api/v1/resources/{r}/coauthors?email=coauthor@school.kz", frozenset({"author"}), {}),
    ("POST", "/api/v1/resources/{r}/submit", AUTHORS, {}),
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
    ("GET", "/api/v1/resources/{r}/reviews", AUTHORS | {"reviewer1", "reviewer2", "chair"}, {}),
    ("POST", "/api/v1/resources/{r}/decision", frozenset({"chair"}), {"json": {"decision": "approve", "reason": "Жақсы"}}),
    ("POST", "/api/v1/resources/{r}/resubmit", AUTHORS, {"json": {"response": "Түзеттім"}}),
    ("POST", "/api/v1/resources/{r}/publish", frozenset({"chair"}), {}),
    ("POST", "/api/v1/resources/{p}/unpublish", frozenset({"chair", "admin"}), {"json": {"reason": "Қате табылды"}}),
    ("POST", "/api/v1/resources/{r}/republish", frozenset({"chair"}), {"json": {"reason": "Түзетілді"}}),
    ("POST", "/api/v1/resources/{r}/withdraw", AUTHORS, {}),
    ("GET", "/api/v1/resources/{r}/audit", AUTHORS | {"chair", "admin"}, {}),
    ("GET", "/api/v1/review/overdue", COUNCIL, {}),
    ("POST", "/api/v1/review/reminders", COUNCIL, {}),
    ("GET", "/api/v1/stats", COUNCIL, {}),
    ("GET", "/api/v1/stats/downloads?resource={r}", AUTHORS | COUNCIL, {}),
    ("POST", "/api/v1/usage/offline", TEACHERS | {"results", "admin"}, {"json": {}}),
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
    return _answer(client, scenario, method, path, caller, extra)[0]


def _answer(
    client: FlaskClient,
    scenario: Scenario,
    method: str,
    path: str,
    caller: str,
    extra: dict[str, Any],
) -> tuple[int, str]:
    """The status and the error's code (``""`` when the answer is no JSON error)."""
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
    body = response.get_json(silent=True)
    error = body.get("error") if isinstance(body, dict) else None
    code = str(error.get("code", "")) if isinstance(error, dict) else ""
    return response.status_code, code


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
    conflicted = "chair" in allowed and "chair_author" not in allowed
    for caller in sorted(CALLERS, key=lambda c: c in allowed):  # the denied first
        status, code = _answer(client, scenario, method, path, caller, extra)
        if caller in allowed:
            assert status not in (401, 403, 404), (caller, status, code)
        elif caller == "anonymous":
            assert status in (401, 404), (caller, status)
        elif caller == "chair_author" and conflicted:
            assert (status, code) == (403, "conflict_of_interest"), (caller, status, code)
        else:
            assert status in (403, 404), (caller, status, code)


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


@pytest.mark.parametrize("token", ["sync", "read"])
def test_the_sync_token_cannot_write(
    app: Flask, client: FlaskClient, tmp_path: Path, token: str
) -> None:
    """Not even a sync token of a chair who is an author: it holds neither role."""
    scenario = build_scenario(app, client, tmp_path)
    for method, path, _, extra in MATRIX:
        if method == "GET" or path.startswith("/oai"):
            continue
        status = _request(client, scenario, method, path, token, extra)
        assert status in (403, 404), (method, path, status)


def test_the_results_token_writes_only_usage(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    """What a sync token may not write, a results token may not either."""
    scenario = build_scenario(app, client, tmp_path)
    for method, path, _, extra in MATRIX:
        if method == "GET" or path.startswith("/oai") or path.startswith("/api/v1/usage"):
            continue
        status = _request(client, scenario, method, path, "results", extra)
        assert status in (403, 404), (method, path, status)
