"""The audit log's one writer: every ``AuditEvent`` the catalogue stores is made by ``append``.

The log is append-only (``catalogue.models`` refuses updates and deletes) and much is read
back from it: the authors' feedback, review turnaround in the statistics, OAI-PMH
datestamps, the chair's audit trail. One writer keeps every row alike (the version it is
about, the acting user, both states, the reason trimmed, the moment) whichever service
acts. It imports nothing but the models, so the resources' and the review's services both
use it without importing each other. ``tests/catalogue/test_audit_writer.py`` fails if any other
module of the catalogue constructs or inserts an ``AuditEvent``.

Reading the log, and what each reader may see of it, is ``catalogue.services.review.audit``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogue.db import db
from catalogue.models import AuditEvent, Resource, State, User, utcnow


def append(
    resource: Resource,
    actor: User | None,
    action: str,
    *,
    from_state: State | None,
    version_number: int | None = None,
    reason: str = "",
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the session (the caller's transaction commits it).

    ``to_state`` is always the resource's state now; an action that changes no state passes
    that same state as ``from_state``, and only a creation has none (``None``).
    ``version_number`` defaults to the latest version's; ``actor`` is ``None`` for what the
    catalogue does by itself."""
    row = AuditEvent(
        resource_id=resource.id,
        version_number=version_number if version_number is not None else resource.latest.number,
        actor_id=actor.id if actor is not None else None,
        action=action,
        from_state=from_state.value if from_state is not None else None,
        to_state=resource.state.value,
        reason=reason.strip(),
        details=dict(details or {}),
        at=utcnow(),
    )
    db.session.add(row)
    return row
