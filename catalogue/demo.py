"""``sandyq serve --demo``: demo people, a read-only sync token and the sample packages.

Everything goes through the catalogue's own HTTP API (a test client inside the process),
so the demo data took the same road as real data: uploaded and validated packages, the
council's workflow and its audit log. One resource is published, one is under review and
one is submitted. Seeding twice changes nothing: the credentials file is read back.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app
from flask.testing import FlaskClient
from sqlalchemy import select

from catalogue.auth import hash_password, new_token
from catalogue.db import db
from catalogue.models import CRITERIA, GATES, Role, TokenScope, User, UserRole

CREDENTIALS_FILE = "demo-credentials.json"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"

#: (email, name, locale, roles)
PEOPLE = (
    ("teacher@demo.sandyq.kz", "Әлия Нұрланова", "kk", (Role.TEACHER,)),
    ("reviewer1@demo.sandyq.kz", "Қайрат Сейітов", "kk", (Role.REVIEWER,)),
    ("reviewer2@demo.sandyq.kz", "Ирина Ким", "ru", (Role.REVIEWER,)),
    ("chair@demo.sandyq.kz", "Гүлнар Әбенова", "kk", (Role.CHAIR, Role.REVIEWER)),
    ("admin@demo.sandyq.kz", "Админ Сандық", "kk", (Role.ADMIN,)),
)

#: (sample, how far through the council it goes)
RESOURCES = (
    ("physics-7-newton", "published"),
    ("math-5-fractions-ru", "under_review"),
    ("physics-7-course", "submitted"),
)


def seed_demo(data_dir: Path) -> dict[str, Any]:
    """Seed the demo (inside an app context); the credentials, also written to a file."""
    path = data_dir / CREDENTIALS_FILE
    if path.exists() and db.session.scalar(select(User).where(User.email == PEOPLE[0][0])):
        existing: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return existing
    users, tokens = [], {}
    for email, name, locale, roles in PEOPLE:
        password = secrets.token_urlsafe(9)
        user = User(email=email, name=name, locale=locale, password_hash=hash_password(password))
        user.role_rows = [UserRole(role=role) for role in roles]
        db.session.add(user)
        db.session.flush()
        _, tokens[email] = new_token(user, TokenScope.API, "demo")
        users.append({"email": email, "password": password, "roles": [r.value for r in roles]})
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.sandyq.kz"))
    assert admin is not None
    # The demo Moodle sync also sends learners' results back (a results token reads as a
    # sync token does).
    _, sync_token = new_token(admin, TokenScope.RESULTS, "demo Moodle sync")
    db.session.commit()
    _seed_resources(current_app.test_client(), tokens)
    credentials = {"users": users, "sync_token": sync_token}
    path.write_text(json.dumps(credentials, ensure_ascii=False, indent=2), encoding="utf-8")
    path.chmod(0o600)
    return credentials


def _seed_resources(client: FlaskClient, tokens: dict[str, str]) -> None:
    from scorm_builder.build import build_package

    def auth(email: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[email]}"}

    def call(method: str, url: str, email: str, **kwargs: Any) -> dict[str, Any]:
        response = client.open(url, method=method, headers=auth(email), **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(
                f"demo seeding: {method} {url} -> {response.status_code} {response.text}"
            )
        body: dict[str, Any] = response.get_json(silent=True) or {}
        return body

    reviewer_ids = [
        user.id
        for user in db.session.scalars(
            select(User).where(
                User.email.in_(["reviewer1@demo.sandyq.kz", "reviewer2@demo.sandyq.kz"])
            )
        )
    ]
    teacher, chair = "teacher@demo.sandyq.kz", "chair@demo.sandyq.kz"
    with tempfile.TemporaryDirectory() as work:
        for sample, goal in RESOURCES:
            source = SAMPLES / sample
            if not source.is_dir():
                continue  # an installation without the samples folder: people and tokens only
            package = build_package(source, Path(work) / f"{sample}.zip")
            with package.output.open("rb") as stream:
                created = call(
                    "POST",
                    "/api/v1/resources",
                    teacher,
                    data={"package": (stream, package.output.name), "copyright_attested": "true"},
                    content_type="multipart/form-data",
                )
            uuid = created["uuid"]
            call("POST", f"/api/v1/resources/{uuid}/submit", teacher)
            if goal == "submitted":
                continue
            assigned = call(
                "POST",
                f"/api/v1/resources/{uuid}/assignments",
                chair,
                json={"reviewer_ids": reviewer_ids},
            )
            if goal == "under_review":
                continue
            for assignment, email in zip(
                assigned["assignments"],
                ["reviewer1@demo.sandyq.kz", "reviewer2@demo.sandyq.kz"],
                strict=True,
            ):
                number = assignment["id"]
                call(
                    "POST",
                    f"/api/v1/assignments/{number}/accept",
                    email,
                    json={"no_conflict": True},
                )
                call(
                    "POST",
                    f"/api/v1/assignments/{number}/review/submit",
                    email,
                    json={
                        "gates": dict.fromkeys(GATES, True),
                        "scores": dict.fromkeys(CRITERIA, 3),
                        "recommendation": "approve",
                        "comment_to_author": "Жақсы сабақ: мысалдар нақты, суреттер түсінікті.",
                        "comment_to_chair": "Жариялауға ұсынамын.",
                    },
                )
            call(
                "POST",
                f"/api/v1/resources/{uuid}/decision",
                chair,
                json={"decision": "approve", "reason": "Екі сарапшы да мақұлдады."},
            )
            call("POST", f"/api/v1/resources/{uuid}/publish", chair)
