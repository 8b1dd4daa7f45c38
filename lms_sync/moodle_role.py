"""The Moodle role the sync's account needs: the one list the docs print and the tests make.

``docs/moodle-sync.md`` §2 tells an administrator to make a role with exactly these
capabilities (a test compares the two), and ``tools/moodle_site.py`` makes the test site's
role from this list, so the docs cannot drift from what was proven on a real Moodle. Each
capability is here because the sync fails without it (the real-Moodle tests remove each in
turn and check that the sync's error names it):

- ``moodle/category:manage`` also lets it look categories up by idnumber: without it
  Moodle answers ``criteriaerror`` ("Missing permissions to search on a criterion");
- ``moodle/course:view`` lets the account into courses it is not enrolled in: without it
  every course-level call ends in ``requireloginerror``;
- ``moodle/course:update`` lets Moodle show it a course's idnumber: without it the sync
  cannot find its own courses and tries to create them again (``shortnametaken``);
- ``moodle/course:viewhiddenactivities`` lets it reach an activity it hid: without it
  showing a re-published resource again ends in ``requireloginerror``.

Uploading into its draft area needs ``moodle/user:manageownfiles``, which every
authenticated user has by default: the role need not add it (do not take it from the
"Authenticated user" role). Moodle names a missing capability only by its
English title ("Create courses"), never by its id; ``capability_named`` turns that title
back into the id for the sync's messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    name: str  # e.g. moodle/course:create
    title: str  # Moodle's English title, as in "permissions to do that (Create courses)"
    why: str  # what the sync does with it


@dataclass(frozen=True)
class Role:
    shortname: str
    fullname: str
    context: str  # where an administrator assigns it
    capabilities: tuple[str, ...]


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "moodle/category:manage",
        "Manage categories",
        "find its categories by idnumber and create the subject categories",
    ),
    Capability("moodle/course:create", "Create courses", "create one course per subject and grade"),
    Capability(
        "moodle/course:view",
        "View courses without participation",
        "enter the courses it fills without being enrolled",
    ),
    Capability(
        "moodle/course:update",
        "Update course settings",
        "see the courses' idnumbers, by which it finds them",
    ),
    Capability(
        "moodle/course:manageactivities",
        "Manage activities",
        "create SCORM activities and replace their packages",
    ),
    Capability("mod/scorm:addinstance", "Add a new SCORM package", "add SCORM activities"),
    Capability(
        "moodle/course:activityvisibility",
        "Hide/show activities",
        "hide withdrawn resources and show them again",
    ),
    Capability(
        "moodle/course:viewhiddenactivities",
        "View hidden activities",
        "reach a hidden activity to show it again",
    ),
    Capability("webservice/rest:use", "Use REST protocol", "call Moodle's REST web services"),
    Capability(
        "local/sandyq:sync",
        "Push the catalogue's packages into the course",
        "use local_sandyq's functions",
    ),
)

SYNC_ROLE = Role(
    shortname="sandyqsync",
    fullname="Sandyq sync",
    context="system",
    capabilities=tuple(capability.name for capability in CAPABILITIES),
)

_TITLES = {capability.title.casefold(): capability.name for capability in CAPABILITIES}
_IN_PARENS = re.compile(r"\(([^()]*)\)\s*\.?\s*$")


def capability_named(message: str) -> str | None:
    """The capability id behind Moodle's ``nopermissions`` message, when we know its title."""
    match = _IN_PARENS.search(message)
    if match is None:
        return None
    title = match.group(1).strip().casefold()
    if title in _TITLES:
        return _TITLES[title]
    if re.fullmatch(r"[a-z]+/[a-z_]+:[a-z_]+", title):
        return title
    return None
