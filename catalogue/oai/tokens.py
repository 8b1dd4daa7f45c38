"""Stateless resumption tokens: the query and the last ``(datestamp, resource id)`` sent.

The next page is "the same query, ordered by datestamp then id, after this key", so the
server keeps nothing between requests and a restart loses no harvest. A record changed
meanwhile moves to the end of the order and is sent again there, never skipped. Tokens
are signed with the app's secret key (``itsdangerous``): a harvester can hand one back,
not forge or edit one. They do not expire, so no ``expirationDate`` is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from catalogue.oai.errors import BadResumptionToken
from catalogue.oai.protocol import Selection, Window, as_utc

_SALT = "sandyq.oai.resumption-token"


@dataclass(frozen=True)
class Position:
    """The sort key of the last item sent."""

    datestamp: datetime
    resource_id: int


@dataclass(frozen=True)
class ResumptionState:
    verb: str
    selection: Selection
    after: Position
    #: How many items the earlier responses carried: the ``cursor`` of the next one.
    cursor: int


def encode(state: ResumptionState, secret: str) -> str:
    selection = state.selection
    payload = {
        "v": state.verb,
        "p": selection.metadata_prefix,
        "f": _moment(selection.window.start),
        "u": _moment(selection.window.end),
        "s": selection.set_spec,
        "d": _moment(state.after.datestamp),
        "i": state.after.resource_id,
        "c": state.cursor,
    }
    return str(URLSafeSerializer(secret, salt=_SALT).dumps(payload))


def decode(token: str, secret: str, verb: str) -> ResumptionState:
    """The state a token of ours carries, for this verb; else ``BadResumptionToken``."""
    try:
        payload = URLSafeSerializer(secret, salt=_SALT).loads(token)
    except BadSignature:
        raise BadResumptionToken(
            "the resumption token is not one this repository issued; start the list again"
        ) from None
    try:
        if payload["v"] != verb:
            raise BadResumptionToken(f"this resumption token continues {payload['v']}, not {verb}")
        selection = Selection(
            metadata_prefix=_text(payload["p"]),
            window=Window(_parse_moment(payload["f"]), _parse_moment(payload["u"])),
            set_spec=None if payload["s"] is None else _text(payload["s"]),
        )
        after = _parse_moment(payload["d"])
        resource_id, cursor = payload["i"], payload["c"]
        if after is None or not isinstance(resource_id, int) or not isinstance(cursor, int):
            raise TypeError("a token without a position")
    except (KeyError, TypeError, ValueError):
        raise BadResumptionToken("the resumption token is damaged; start the list again") from None
    return ResumptionState(verb, selection, Position(after, resource_id), cursor)


def _moment(value: datetime | None) -> str | None:
    return None if value is None else as_utc(value).isoformat()


def _parse_moment(value: Any) -> datetime | None:
    if value is None:
        return None
    return as_utc(datetime.fromisoformat(_text(value)))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value
