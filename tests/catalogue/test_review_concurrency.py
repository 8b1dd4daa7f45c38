"""Two people act on one resource at the same moment: exactly one wins, the other gets 409
and leaves nothing behind — on SQLite and on PostgreSQL.

The race is real: two threads, two sessions, two database connections. Each request loads
the resource, gathers its facts and passes the state machine; a barrier in ``before_flush``
then holds both until both are ready to write, so both UPDATEs carry the same
``lock_version``. The first to commit wins; the other's UPDATE matches no row
(``StaleDataError``), which the app answers with 409.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from catalogue.models import Resource, Role
from tests.support.catalogue import Person, csrf_token, sign_in
from tests.support.review import (
    API,
    Council,
    council,
    outbox,
    person,
    reviewed,
    snapshot,
)


@dataclass(frozen=True)
class Racer:
    """One side of a race: who, what, and what winning leaves behind."""

    who: Callable[[Council, Person], Person]
    path: str
    body: Callable[[Council], dict[str, Any]]
    state: str
    letters: int


APPROVE = Racer(
    lambda people, _: people.chair,
    "/decision",
    lambda _: {"decision": "approve", "reason": "Мақұл"},
    "approved",
    1,
)
REJECT = Racer(
    lambda _, other_chair: other_chair,
    "/decision",
    lambda _: {"decision": "reject", "reason": "Сапасы төмен"},
    "rejected",
    1,
)
WITHDRAW = Racer(lambda people, _: people.author, "/withdraw", lambda _: {}, "withdrawn", 0)
ADD_REVIEWER = Racer(
    lambda _, other_chair: other_chair,
    "/assignments",
    lambda people: {"reviewer_ids": [people.reviewer3.id]},
    "under_review",
    1,
)


@contextmanager
def held_at_the_first_write(parties: int) -> Iterator[None]:
    """Hold each thread's first flush that updates a resource until all ``parties`` are
    there, so that all of them have read the same lock_version."""
    barrier = threading.Barrier(parties, timeout=30)
    seen = threading.local()

    def hold(session: Session, context: object, instances: object) -> None:
        if not getattr(seen, "held", False) and any(
            isinstance(row, Resource) for row in session.dirty
        ):
            seen.held = True
            barrier.wait()

    event.listen(Session, "before_flush", hold)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", hold)


@pytest.mark.parametrize(
    ("first", "second"),
    [(APPROVE, REJECT), (APPROVE, WITHDRAW), (APPROVE, ADD_REVIEWER)],
    ids=["approve-vs-reject", "approve-vs-withdraw", "approve-vs-adding-a-reviewer"],
)
def test_of_two_concurrent_decisions_one_wins_and_the_other_changes_nothing(
    app: Flask, first: Racer, second: Racer
) -> None:
    people = council(app)
    other_chair = person(app, "tor2@kenes.kz", "Ерлан Төрағаның орынбасары", Role.CHAIR)
    uuid, _ = reviewed(app, app.test_client(), people)
    before, letters = snapshot(app, uuid), len(outbox(app))

    def browser_of(racer: Racer) -> tuple[FlaskClient, str]:
        """A signed-in session (no token row to update) and the CSRF token its pages carry,
        which a page's script sends as the X-CSRFToken header."""
        client = app.test_client()
        sign_in(client, racer.who(people, other_chair))
        return client, csrf_token(client)

    def act(racer: Racer, browser: tuple[FlaskClient, str]) -> tuple[int, Any]:
        client, token = browser
        response = client.post(
            f"{API}/resources/{uuid}{racer.path}",
            json=racer.body(people),
            headers={"X-CSRFToken": token},
        )
        return response.status_code, response.json

    racers = (first, second)
    browsers = [browser_of(racer) for racer in racers]
    with held_at_the_first_write(2), ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(act, racers, browsers))

    statuses = sorted(status for status, _ in results)
    assert statuses in ([200, 409], [201, 409]), results
    winner, loser = (first, second) if results[0][0] < 300 else (second, first)
    lost = results[1] if winner is first else results[0]
    assert lost[1]["error"]["code"] == "conflict", lost

    after = snapshot(app, uuid)
    assert after.state == winner.state
    assert after.lock_version == before.lock_version + 1
    assert after.audit_events == before.audit_events + 1
    assert len(after.assignments) == len(before.assignments) + (winner is ADD_REVIEWER)
    assert len(outbox(app)) == letters + winner.letters
    assert loser is not winner
