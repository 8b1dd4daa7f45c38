"""An OAI-PMH request as plain data, and the checks the spec puts on its arguments.

No Flask and no database here: the blueprint hands over the ``(name, value)`` pairs of the
GET query or the POST form, and gets back an ``OaiRequest`` or an ``OaiError``. Dates
follow spec section 3.3: UTC, ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ``, ``from`` and
``until`` both inclusive and of the same granularity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from catalogue.oai.errors import BadArgument, BadVerb

PROTOCOL_VERSION = "2.0"
#: The finest datestamp granularity we keep and accept (Identify says so).
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
RESUMPTION_TOKEN = "resumptionToken"


@dataclass(frozen=True)
class ArgumentRules:
    """What one verb accepts: ``exclusive`` (the resumption token) comes alone."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None

    @property
    def allowed(self) -> frozenset[str]:
        exclusive = frozenset({self.exclusive} if self.exclusive else ())
        return self.required | self.optional | exclusive


_LIST = ArgumentRules(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive=RESUMPTION_TOKEN,
)

#: The six verbs and their arguments (spec section 4).
VERBS: dict[str, ArgumentRules] = {
    "Identify": ArgumentRules(),
    "ListMetadataFormats": ArgumentRules(optional=frozenset({"identifier"})),
    "ListSets": ArgumentRules(exclusive=RESUMPTION_TOKEN),
    "ListIdentifiers": _LIST,
    "ListRecords": _LIST,
    "GetRecord": ArgumentRules(required=frozenset({"identifier", "metadataPrefix"})),
}


@dataclass(frozen=True)
class OaiRequest:
    """A request whose verb exists and whose arguments are the ones that verb takes."""

    verb: str
    arguments: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.arguments.get(name)

    def require(self, name: str) -> str:
        return self.arguments[name]


def parse_request(pairs: Iterable[tuple[str, str]]) -> OaiRequest:
    """Check the verb and the argument names: ``BadVerb`` or ``BadArgument`` otherwise."""
    pairs = list(pairs)
    verbs = [value for name, value in pairs if name == "verb"]
    known = ", ".join(VERBS)
    if not verbs:
        raise BadVerb(f"the verb argument is missing; use one of {known}")
    if len(verbs) > 1:
        raise BadVerb("the verb argument is repeated; give it once")
    verb = verbs[0]
    rules = VERBS.get(verb)
    if rules is None:
        raise BadVerb(f"'{verb}' is not an OAI-PMH verb; use one of {known}")

    arguments: dict[str, str] = {}
    problems: list[str] = []
    for name, value in pairs:
        if name == "verb":
            continue
        if name not in rules.allowed:
            problem = f"'{name}' is not an argument of {verb}"
        elif name in arguments:
            problem = f"the argument '{name}' is repeated"
        else:
            arguments[name] = value
            continue
        if problem not in problems:
            problems.append(problem)
    if rules.exclusive is not None and rules.exclusive in arguments:
        others = sorted(set(arguments) - {rules.exclusive})
        if others:
            problems.append(f"{rules.exclusive} must come alone, without {', '.join(others)}")
    else:
        for name in sorted(rules.required - arguments.keys()):
            problems.append(f"{verb} needs the argument '{name}'")
    if problems:
        raise BadArgument("; ".join(problems))
    return OaiRequest(verb, arguments)


# ---- datestamps ---------------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", re.ASCII)


def format_datestamp(moment: datetime) -> str:
    """A UTC datestamp in our granularity; fractions of a second are dropped."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_utc(moment: datetime) -> datetime:
    """Aware UTC; a naive value (SQLite gives those back) is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _parse_datestamp(name: str, value: str) -> tuple[datetime, timedelta]:
    """The first moment a datestamp names, and how long it lasts (a day or a second)."""
    try:
        if _DAY.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), timedelta(days=1)
        if _SECONDS.fullmatch(value):
            start = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return start, timedelta(seconds=1)
    except ValueError:
        pass
    raise BadArgument(
        f"'{name}' must be a UTC date, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (got '{value}')"
    )


@dataclass(frozen=True)
class Window:
    """Datestamps in ``[start, end)``; ``None`` leaves that side open."""

    start: datetime | None = None
    end: datetime | None = None


def window(from_: str | None, until: str | None) -> Window:
    """The inclusive ``from``/``until`` of a request as a half-open interval.

    ``until=2024-09-01`` takes the whole day, and ``until=...T12:00:00Z`` the whole second,
    so a record whose datestamp reads 12:00:00Z is included even if it changed at 12:00:00.4.
    """
    start = end = None
    if from_ is not None:
        start, _ = _parse_datestamp("from", from_)
    if until is not None:
        end, length = _parse_datestamp("until", until)
        end += length
    if from_ is not None and until is not None and len(from_) != len(until):
        raise BadArgument("'from' and 'until' must have the same granularity")
    return Window(start, end)


@dataclass(frozen=True)
class Selection:
    """What a ListIdentifiers or ListRecords request asks for (spec section 4.3, 4.5)."""

    metadata_prefix: str
    window: Window = Window()
    set_spec: str | None = None


def selection(request: OaiRequest) -> Selection:
    return Selection(
        metadata_prefix=request.require("metadataPrefix"),
        window=window(request.get("from"), request.get("until")),
        set_spec=request.get("set"),
    )
