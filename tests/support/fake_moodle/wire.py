"""Moodle's wire format: ``json_encode`` as Moodle calls it, the REST server's XML, and the
exceptions a web-service function throws (their error bodies, as recorded).
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

# ---- the wire ---------------------------------------------------------------------------


def _php_numbers(value: Any) -> Any:
    """PHP writes a float with no fraction as an integer (``65.0`` is ``65``: Moodle does not
    pass ``JSON_PRESERVE_ZERO_FRACTION``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _php_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_php_numbers(item) for item in value]
    return value


def php_json(value: Any) -> str:
    """``json_encode`` as Moodle calls it: non-ASCII as ``\\uXXXX``, ``/`` as ``\\/``, no
    ``.0`` on whole floats."""
    # "/" only ever occurs inside strings in JSON text, so replacing it is safe.
    text = json.dumps(_php_numbers(value), ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/")


def _xml_value(value: Any) -> str:
    if value is None:
        return '<VALUE null="null"/>\n'
    if isinstance(value, dict):
        keys = "".join(
            f"<KEY name={quoteattr(k)}>{_xml_value(v)}</KEY>\n" for k, v in value.items()
        )
        return f"<SINGLE>\n{keys}</SINGLE>\n"
    if isinstance(value, list):
        return "<MULTIPLE>\n" + "".join(_xml_value(v) for v in value) + "</MULTIPLE>\n"
    if isinstance(value, bool):
        value = int(value)
    return f"<VALUE>{escape(str(value))}</VALUE>\n"


def moodle_xml(value: Any) -> str:
    """The REST server's XML (``moodlewsrestformat`` missing or ``xml``)."""
    return f'<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n{_xml_value(value)}</RESPONSE>\n'


class MoodleException(Exception):
    """An exception a web-service function throws; the server turns it into the error body.

    ``debuginfo`` is the exception's detail for developers: the server adds it to the
    answer only when the site's debugging is on (``FakeMoodle.debug``), as Moodle does.
    """

    def __init__(
        self, exception: str, errorcode: str, message: str, debuginfo: str | None = None
    ) -> None:
        super().__init__(message)
        self.exception = exception
        self.errorcode = errorcode
        self.message = message
        self.debuginfo = debuginfo

    def json(self, debug: bool = False) -> str:
        body = {"exception": self.exception, "errorcode": self.errorcode, "message": self.message}
        if debug and self.debuginfo:
            body["debuginfo"] = self.debuginfo
        return php_json(body)

    def xml(self) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            f"<EXCEPTION class={quoteattr(self.exception)}>\n"
            f"<ERRORCODE>{escape(self.errorcode)}</ERRORCODE>\n"
            f"<MESSAGE>{escape(self.message)}</MESSAGE>\n"
            "</EXCEPTION>\n"
        )


def invalid_parameter(debuginfo: str | None = None) -> MoodleException:
    return MoodleException(
        "invalid_parameter_exception",
        "invalidparameter",
        "Invalid parameter value detected",
        debuginfo,
    )


def missing_record(table: str | None = None, debuginfo: str | None = None) -> MoodleException:
    if table is None:
        return MoodleException(
            "dml_missing_record_exception",
            "invalidrecordunknown",
            "Can't find data record in database.",
            debuginfo,
        )
    return MoodleException(
        "dml_missing_record_exception",
        "invalidrecord",
        f"Can't find data record in database table {table}.",
        debuginfo,
    )


def record_query(table: str, recordid: int) -> str:
    """The debuginfo of a missing record looked up by id: the query, PHP's var_export."""
    return f"SELECT * FROM {{{table}}} WHERE id = ?\n[array (\n  0 => {recordid},\n)]"


#: Moodle's English titles of the capabilities the fake checks (``nopermissions`` names
#: the title, never the capability).
CAPABILITY_TITLES = {
    "moodle/category:manage": "Manage categories",
    "moodle/course:create": "Create courses",
    "moodle/course:manageactivities": "Manage activities",
    "moodle/course:activityvisibility": "Hide/show activities",
    "mod/scorm:addinstance": "Add a new SCORM package",
    "local/sandyq:sync": "Push the catalogue's packages into the course",
}


def no_permission(capability: str) -> MoodleException:
    return MoodleException(
        "required_capability_exception",
        "nopermissions",
        "Sorry, but you do not currently have permissions to do that "
        f"({CAPABILITY_TITLES[capability]}).",
    )


def coding_error(detail: str) -> MoodleException:
    return MoodleException(
        "coding_exception",
        "codingerror",
        f"Coding error detected, it must be fixed by a programmer: {detail}",
    )


class NotImplementedByFake(Exception):
    """Moodle would do something here that the fake does not model: HTTP 501."""
