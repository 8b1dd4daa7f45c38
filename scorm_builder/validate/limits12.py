"""Stage 5c: the SCORM 1.2 item values the XSD types only as strings.

The run-time data model gives these values their limits (CMIDecimal 0-100, CMIString4096
capped at 255 by the CAM, CMITimespan, a four-word vocabulary); an LMS that trusts the
manifest stores whatever is there and the SCO then reads nonsense.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scorm_builder.namespaces import ADLCP_12
from scorm_builder.validate.findings import MANIFEST, Finding, finding
from scorm_builder.validate.manifest import Manifest, line_of

__all__ = ["check_limits_12"]

DATAFROMLMS_MAX = 255
PREREQUISITES_MAX = 200
TIME_LIMIT_ACTIONS = ("exit,message", "exit,no message", "continue,message", "continue,no message")
_TIMESPAN = re.compile(r"\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?")


def _score_ok(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return 0 <= value <= 100


def _items(manifest: Manifest) -> Iterator[Finding]:
    for element in manifest.elements:
        name = element.tag
        if not isinstance(name, str) or not name.startswith(f"{{{ADLCP_12}}}"):
            continue
        local = name.split("}", 1)[1]
        text = element.text or ""
        line = line_of(element)
        if local == "masteryscore" and not _score_ok(text.strip()):
            yield finding("MASTERYSCORE-RANGE", MANIFEST, line, value=text)
        elif local == "datafromlms" and len(text) > DATAFROMLMS_MAX:
            yield finding(
                "DATAFROMLMS-LENGTH", MANIFEST, line, length=len(text), limit=DATAFROMLMS_MAX
            )
        elif local == "maxtimeallowed" and not _TIMESPAN.fullmatch(text.strip()):
            yield finding("MAXTIME-FORMAT", MANIFEST, line, value=text)
        elif local == "timelimitaction" and text.strip() not in TIME_LIMIT_ACTIONS:
            yield finding("TIMELIMITACTION-VALUE", MANIFEST, line, value=text)
        elif local == "prerequisites" and len(text) > PREREQUISITES_MAX:
            yield finding(
                "PREREQUISITES-LENGTH", MANIFEST, line, length=len(text), limit=PREREQUISITES_MAX
            )


def check_limits_12(manifest: Manifest) -> list[Finding]:
    """Findings about the adlcp item values of a SCORM 1.2 manifest."""
    if manifest.family != "1.2":
        return []
    return list(_items(manifest))
