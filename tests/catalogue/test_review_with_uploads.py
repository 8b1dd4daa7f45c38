"""The review with real packages: a teacher uploads through the resources API, the council
reviews, the teacher uploads version 2 through ``POST /resources/<uuid>/versions`` and
resubmits it; the reviewers see that the metadata changed and the package did not."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.catalogue import sample_package
from tests.support.review import (
    API,
    council,
    full_review,
    ok,
    post,
    refused,
    review,
)


@pytest.fixture(scope="module")
def newton(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return sample_package(tmp_path_factory.mktemp("newton")).read_bytes()


def test_a_revision_uploaded_as_version_2_is_resubmitted_to_the_same_reviewers(
    app: Flask, client: FlaskClient, newton: bytes
) -> None:
    people = council(app)
    created = client.post(
        f"{API}/resources",
        data={
            "package": (io.BytesIO(newton), "Ньютон.zip"),
            "subject": "physics",
            "grades": "7",
            "learning_minutes": "30",
            "copyright_attested": "true",
        },
        headers=people.author.auth,
        content_type="multipart/form-data",
    )
    uuid = ok(created, 201)["uuid"]
    ok(post(client, f"/resources/{uuid}/submit", people.author))
    ids = ok(
        post(
            client,
            f"/resources/{uuid}/assignments",
            people.chair,
            {"reviewer_ids": [people.reviewer1.id, people.reviewer2.id]},
        ),
        201,
    )["assignments"]
    for assignment, reviewer in zip(ids, (people.reviewer1, people.reviewer2), strict=True):
        ok(post(client, f"/assignments/{assignment['id']}/accept", reviewer, {"no_conflict": True}))
    ok(review(client, ids[0]["id"], people.reviewer1, full_review("minor_revision")))
    ok(review(client, ids[1]["id"], people.reviewer2, full_review("approve")))
    body = {"decision": "request_revision", "reason": "Сабақ ұзақтығын нақтылаңыз"}
    ok(post(client, f"/resources/{uuid}/decision", people.chair, body))

    response = {"response": "Ұзақтығы 45 минут"}
    refused(
        post(client, f"/resources/{uuid}/resubmit", people.author, response),
        409,
        "new_version_required",
    )

    uploaded = client.post(
        f"{API}/resources/{uuid}/versions",
        data={
            "package": (io.BytesIO(newton), "Ньютон-2.zip"),
            "learning_minutes": "45",
            "copyright_attested": "true",
        },
        headers=people.author.auth,
        content_type="multipart/form-data",
    )
    assert ok(uploaded, 201)["number"] == 2

    body = ok(post(client, f"/resources/{uuid}/resubmit", people.author, response))
    assert (body["state"], body["version"]) == ("under_review", 2)
    queue = ok(client.get(f"{API}/me/assignments", headers=people.reviewer1.auth))["assignments"]
    assert [a["version"] for a in queue] == [2]
    work = ok(
        client.get(f"{API}/assignments/{queue[0]['id']}/review", headers=people.reviewer1.auth)
    )
    assert work["changes"]["metadata"] == {"learning_minutes": {"before": 30, "after": 45}}
    assert work["changes"]["package_changed"] is False
    assert work["changes"]["author_response"] == "Ұзақтығы 45 минут"
