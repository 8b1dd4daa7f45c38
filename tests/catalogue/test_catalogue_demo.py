"""`sandyq serve --demo`: people for every role, a read-only sync token, the samples in
three states, all through the catalogue's own API; seeding twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from catalogue.db import db
from catalogue.demo import seed_demo
from catalogue.models import AuditEvent, Resource, State


def test_demo_seeds_every_role_a_sync_token_and_three_states(app: Flask) -> None:
    data_dir = Path(app.config["DATA_DIR"])
    with app.app_context():
        credentials = seed_demo(data_dir)
        states = sorted(r.state for r in db.session.scalars(sa.select(Resource)))
        audit = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    saved = json.loads((data_dir / "demo-credentials.json").read_text(encoding="utf-8"))
    assert saved == credentials
    roles = {role for user in credentials["users"] for role in user["roles"]}
    assert roles == {"teacher", "reviewer", "chair", "admin"}
    assert all({"email", "password", "roles"} == set(user) for user in credentials["users"])
    assert states == sorted([State.PUBLISHED, State.UNDER_REVIEW, State.SUBMITTED])
    assert audit and audit > 10

    client = app.test_client()
    sync = {"Authorization": f"Bearer {credentials['sync_token']}"}
    feed = client.get("/api/v1/published", headers=sync).get_json()
    assert [item["title"] for item in feed["items"]] == ["Ньютон заңдары"]
    assert client.post("/api/v1/resources", headers=sync).status_code == 403

    with app.app_context():
        assert seed_demo(data_dir) == credentials
        assert db.session.scalar(sa.select(sa.func.count(Resource.id))) == 3
