"""The web-service functions the fake implements: each module of a Moodle component
registers its functions here with ``@webservice``, and the server dispatches from ``FUNCTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tests.support.fake_moodle.params import Spec, Struct
from tests.support.fake_moodle.site import MOODLE_VERSION, State
from tests.support.fake_moodle.wire import no_permission

# ---- the web-service functions ----------------------------------------------------------


@dataclass
class Call:
    """What a function sees: the site, the cleaned parameters and the site's address."""

    state: State
    params: dict[str, Any]
    root: str
    #: Capabilities taken from the account's role (``FakeMoodle.denied``).
    denied: frozenset[str] = frozenset()

    def require(self, *capabilities: str) -> None:
        """``require_capability``: the first one missing ends the call, ``nopermissions``."""
        for capability in capabilities:
            if capability in self.denied:
                raise no_permission(capability)


@dataclass(frozen=True)
class WsFunction:
    name: str
    params: Struct
    run: Callable[[Call], Any]
    version: str = MOODLE_VERSION
    #: Runs in a delegated transaction: an exception leaves nothing behind.
    atomic: bool = False
    #: Optional answer keys that JSON leaves out but XML writes as null.
    xml_nulls: tuple[str, ...] = ()


FUNCTIONS: dict[str, WsFunction] = {}

#: Functions a real site has that the fake does not implement: outside the service they
#: answer ``accessexception`` like on the recorded site; put in it, they answer 501.
OTHER_MOODLE_FUNCTIONS = frozenset({
    "core_user_create_users", "core_course_update_categories", "core_course_delete_categories",
    "core_course_get_courses", "core_course_delete_courses", "core_course_edit_section",
    "core_course_get_module", "core_course_duplicate_course", "core_course_import_course",
})  # fmt: skip


def webservice(
    params: Mapping[str, Spec],
    *,
    version: str = MOODLE_VERSION,
    atomic: bool = False,
    xml_nulls: tuple[str, ...] = (),
) -> Callable[[Callable[[Call], Any]], Callable[[Call], Any]]:
    def register(run: Callable[[Call], Any]) -> Callable[[Call], Any]:
        FUNCTIONS[run.__name__] = WsFunction(
            run.__name__, Struct(params), run, version, atomic, xml_nulls
        )
        return run

    return register
