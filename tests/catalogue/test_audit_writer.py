"""The audit log has one writer: ``catalogue.services.audit.append``.

Every ``AuditEvent`` row is made there, so the rows stay alike (version, actor, both states,
the trimmed reason, the moment) whichever service acts. The check reads the sources (no
import needed): outside ``catalogue/services/audit.py`` and the model's own module, no code
of the catalogue, ``bench`` or ``tools`` may construct an ``AuditEvent``, insert into its
table, or write SQL against ``audit_events``. Tests build fixture rows freely.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from catalogue.db import db
from catalogue.models import AuditEvent, Resource, State, User
from catalogue.services import audit
from tests.support.catalogue import add_resource, add_user

REPO = Path(__file__).resolve().parents[2]
WRITER = Path("catalogue/services/audit.py")
#: Where the model is defined (and its append-only guard lives), not written.
MODEL = Path("catalogue/models.py")
SOURCES = ("catalogue", "bench", "tools")
#: Alembic made the table; a migration that writes rows would be a second writer too.
RAW_SQL = re.compile(r"\b(insert\s+into|update|delete\s+from)\s+\"?audit_events\b", re.I)
#: Bulk writes that take the model (or its table) as an argument.
BULK = {"insert", "bulk_insert_mappings", "bulk_save_objects", "add", "add_all", "merge"}


def writes_in(source: str) -> list[str]:
    """Each way ``source`` writes an audit row itself, as ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name == "AuditEvent":
                found.append(f"{node.lineno}: AuditEvent(...)")
            elif name in BULK and any(_mentions_model(arg) for arg in node.args):
                found.append(f"{node.lineno}: {name}(AuditEvent)")
        elif isinstance(node, ast.Attribute) and node.attr == "__table__":
            if _name(node.value) == "AuditEvent":
                found.append(f"{node.lineno}: AuditEvent.__table__")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if RAW_SQL.search(node.value):
                found.append(f"{node.lineno}: SQL on audit_events")
    return found


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _mentions_model(node: ast.expr) -> bool:
    return any(_name(sub) == "AuditEvent" for sub in ast.walk(node) if isinstance(sub, ast.expr))


def test_only_the_audit_module_writes_audit_events() -> None:
    seen: dict[str, list[str]] = {}
    for folder in SOURCES:
        for path in sorted((REPO / folder).rglob("*.py")):
            relative = path.relative_to(REPO)
            if relative in (WRITER, MODEL) or "node_modules" in relative.parts:
                continue
            writes = writes_in(path.read_text(encoding="utf-8"))
            if writes:
                seen[str(relative)] = writes
    assert seen == {}, f"write audit events through catalogue.services.audit.append: {seen}"


def test_the_writer_is_where_the_check_looks() -> None:
    assert writes_in((REPO / WRITER).read_text(encoding="utf-8")) != []


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("AuditEvent(resource_id=1)", ["1: AuditEvent(...)"]),
        ("models.AuditEvent(action='x')", ["1: AuditEvent(...)"]),
        ("db.session.execute(insert(AuditEvent).values(action='x'))", ["1: insert(AuditEvent)"]),
        ("session.bulk_insert_mappings(AuditEvent, rows)", ["1: bulk_insert_mappings(AuditEvent)"]),
        ("table = AuditEvent.__table__", ["1: AuditEvent.__table__"]),
        ("text('INSERT INTO audit_events (action) VALUES (:a)')", ["1: SQL on audit_events"]),
        ("select(AuditEvent).where(AuditEvent.action == 'x')", []),
        ("event: AuditEvent = audit.append(resource, user, 'x', from_state=None)", []),
    ],
)
def test_the_check_sees_every_way_of_writing(source: str, caught: list[str]) -> None:
    assert writes_in(source) == caught


def test_the_writer_records_the_version_actor_states_and_trimmed_reason(app: Flask) -> None:
    author = add_user(app, "author@example.kz")
    uuid = add_resource(app, author, State.SUBMITTED)
    with app.app_context():
        resource = db.session.scalars(sa.select(Resource).where(Resource.uuid == uuid)).one()
        actor = db.session.get(User, author.id)
        row = audit.append(
            resource, actor, "return", from_state=State.UNDER_REVIEW, reason="  Түзетіңіз  "
        )
        created = audit.append(resource, None, "create", from_state=None, version_number=7)
        db.session.commit()
        rows = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(r.id, r.version_number, r.actor_id) for r in rows] == [
            (row.id, 1, author.id),
            (created.id, 7, None),
        ]
        assert [(r.from_state, r.to_state, r.reason, r.details) for r in rows] == [
            ("under_review", "submitted", "Түзетіңіз", {}),
            (None, "submitted", "", {}),
        ]
        assert all(r.at is not None and r.resource_id == resource.id for r in rows)
