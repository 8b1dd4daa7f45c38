"""The catalogue's numbers from a known history: three resources, their audit events and
their downloads, with every expected number worked out by hand in the comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import db
from catalogue.models import AuditEvent, Download, Resource, Role, State
from catalogue.services.stats import Transition, turnaround
from tests.support.catalogue import Person, add_resource, add_user

DAY0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


#: (resource, action, from, to, day). Actions within a state keep it on both sides.
HISTORY = [
    ("newton", "submit", "draft", "submitted", 0),
    ("newton", "assign_reviewers", "submitted", "submitted", 1),  # not a transition
    ("newton", "start_review", "submitted", "under_review", 2),
    ("newton", "request_revision", "under_review", "revision_requested", 6),
    ("newton", "resubmit", "revision_requested", "submitted", 8),
    ("newton", "start_review", "submitted", "under_review", 9),
    ("newton", "approve", "under_review", "approved", 13),
    ("newton", "publish", "approved", "published", 14),
    ("fractions", "submit", "draft", "submitted", 0),
    ("fractions", "start_review", "submitted", "under_review", 4),
    ("fractions", "reject", "under_review", "rejected", 5),
    ("draft", "submit", "draft", "submitted", 3),
    ("draft", "return", "submitted", "draft", 3.5),  # abandons submitted -> under_review
]

#: Worked out from HISTORY: the days each stage took, then the median.
EXPECTED_TURNAROUND = {
    "submitted_to_under_review": {"median_days": 2.0, "count": 3},  # 2, 1, 4
    "under_review_to_decision": {"median_days": 4.0, "count": 3},  # 4, 4, 1
    "revision_requested_to_resubmitted": {"median_days": 2.0, "count": 1},
    "approved_to_published": {"median_days": 1.0, "count": 1},
}


class Catalogue:
    def __init__(self, app: Flask) -> None:
        self.owner = add_user(app, "aliya@mektep.kz", Role.TEACHER)
        self.other = add_user(app, "berik@mektep.kz", Role.TEACHER)
        self.chair = add_user(app, "chair@kenes.kz", Role.CHAIR)
        self.admin = add_user(app, "admin@sandyq.kz", Role.ADMIN)
        self.uuids = {
            "newton": add_resource(app, self.owner, State.PUBLISHED),
            "fractions": add_resource(
                app,
                self.owner,
                State.REJECTED,
                title_kk="",
                title_ru="Дроби",
                language="ru",
                subject="mathematics",
                grades=[5, 6],
            ),
            "draft": add_resource(app, self.other, State.DRAFT, grades=[7, 8]),
        }
        with app.app_context():
            ids = {
                name: db.session.scalar(sa.select(Resource.id).where(Resource.uuid == uuid))
                for name, uuid in self.uuids.items()
            }
            for name, action, before, after, when in HISTORY:
                db.session.add(
                    AuditEvent(
                        resource_id=ids[name],
                        version_number=1,
                        action=action,
                        from_state=before,
                        to_state=after,
                        at=day(when),
                    )
                )
            # newton: two downloads in January, one in February; fractions: one in February
            for name, when in (("newton", 20), ("newton", 25), ("newton", 27), ("fractions", 26)):
                db.session.add(Download(resource_id=ids[name], version_number=1, at=day(when)))
            db.session.execute(
                sa.update(Resource)
                .where(Resource.id == ids["newton"])
                .values(downloads=3)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()


def test_turnaround_is_the_median_of_each_stage() -> None:
    ids = {"newton": 1, "fractions": 2, "draft": 3}
    transitions = [
        Transition(ids[name], after, day(when))
        for name, _, before, after, when in HISTORY
        if before != after
    ]

    found = turnaround(transitions)

    assert {name: vars(stage) for name, stage in found.items()} == EXPECTED_TURNAROUND


def test_a_stage_nobody_finished_has_no_median() -> None:
    found = turnaround([Transition(1, "submitted", day(0))])
    assert found["submitted_to_under_review"].median_days is None
    assert found["submitted_to_under_review"].count == 0


@pytest.mark.parametrize("who", ["chair", "admin"])
def test_the_council_sees_the_numbers(app: Flask, client: FlaskClient, who: str) -> None:
    catalogue = Catalogue(app)
    person: Person = getattr(catalogue, who)

    response = client.get("/api/v1/stats", headers=person.auth)

    assert response.status_code == 200
    body = response.json
    assert body is not None
    assert body["resources"] == {
        "total": 3,
        "by_state": {"draft": 1, "published": 1, "rejected": 1},
        "by_subject": {"mathematics": 1, "physics": 2},
        "by_grade": {"5": 1, "6": 1, "7": 2, "8": 1},
        "by_language": {"kk": 2, "ru": 1},
    }
    assert body["review_turnaround"] == EXPECTED_TURNAROUND
    newton, fractions = catalogue.uuids["newton"], catalogue.uuids["fractions"]
    expected = [
        {"resource": newton, "month": "2025-01", "downloads": 2},
        {"resource": fractions, "month": "2025-02", "downloads": 1},
        {"resource": newton, "month": "2025-02", "downloads": 1},
    ]
    assert body["downloads"] == sorted(expected, key=lambda r: (r["month"], r["resource"]))


def test_the_numbers_are_for_the_council_only(app: Flask, client: FlaskClient) -> None:
    catalogue = Catalogue(app)
    assert client.get("/api/v1/stats").status_code == 401
    response = client.get("/api/v1/stats", headers=catalogue.owner.auth)
    assert response.status_code == 403


def test_an_author_sees_a_resources_downloads_per_month(app: Flask, client: FlaskClient) -> None:
    catalogue = Catalogue(app)
    newton = catalogue.uuids["newton"]

    response = client.get(
        f"/api/v1/stats/downloads?resource={newton}", headers=catalogue.owner.auth
    )

    assert response.status_code == 200
    assert response.json == {
        "resource": newton,
        "total": 3,
        "months": [{"month": "2025-01", "downloads": 2}, {"month": "2025-02", "downloads": 1}],
    }


def test_download_numbers_are_not_for_everyone(app: Flask, client: FlaskClient) -> None:
    catalogue = Catalogue(app)
    newton, draft = catalogue.uuids["newton"], catalogue.uuids["draft"]
    url = "/api/v1/stats/downloads"

    assert client.get(f"{url}?resource={newton}").status_code == 401
    other = catalogue.other.auth
    assert client.get(f"{url}?resource={newton}", headers=other).status_code == 403
    assert client.get(f"{url}?resource={draft}", headers=catalogue.owner.auth).status_code == 404
    assert client.get(url, headers=other).status_code == 403
    everything = client.get(url, headers=catalogue.chair.auth)
    assert everything.status_code == 200
    assert len(everything.json["items"]) == 3  # type: ignore[index]
