"""Stage 3: which SCORM this is, from the manifest's namespace and its <schemaversion>.

Moodle reads <schemaversion> to decide how to play a package, and a string it does not
recognise ("CAM 1.3", "2004 4th edition" in lower case) quietly turns a SCORM 2004 package
into a SCORM 1.2 one. So the exact strings are required, and known historical variants get
a hint with the exact string to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from scorm_builder.namespaces import IMSCP_12, IMSCP_2004, qname
from scorm_builder.schemas import SCHEMA_SETS, SCHEMA_VERSIONS
from scorm_builder.validate.findings import MANIFEST, Finding, finding
from scorm_builder.validate.manifest import line_of

__all__ = ["EXACT", "Detected", "detect_version"]

V12, V3RD, V4TH = (SCHEMA_VERSIONS[key] for key in (("1.2", None), ("2004", 3), ("2004", 4)))
#: The exact <schemaversion> strings, and the schema set in ``schemas/`` of each.
EXACT: dict[str, str] = {SCHEMA_VERSIONS[key]: SCHEMA_SETS[key] for key in SCHEMA_SETS}


@dataclass(frozen=True)
class Detected:
    """The version the manifest claims (an `EXACT` key), or None when it cannot be told."""

    version: str | None

    @property
    def schema_set(self) -> str | None:
        return EXACT[self.version] if self.version else None


def _variant_of(text: str) -> str | None:
    """The exact string a historical or mis-cased variant stands for, if it is one."""
    words = re.sub(r"[^0-9a-z.]+", " ", text.lower()).split()
    joined = " ".join(w for w in words if w not in ("scorm", "adl", "edition", "ed", "ed."))
    if re.fullmatch(r"(v|version )?1\.2(\.0)?", joined):
        return V12
    if "4th" in words or joined == "1.3.4":
        return V4TH
    if re.fullmatch(r"(cam )?1\.3(\.\d)?|2004( (2nd|3rd|3))?", joined):
        return V3RD
    return None


def _family(version: str) -> str:
    return "1.2" if version == V12 else "2004"


def detect_version(tree: etree._ElementTree) -> tuple[Detected, list[Finding]]:
    """Detect the SCORM version; findings explain anything that is not exactly right."""
    root = tree.getroot()
    namespace = etree.QName(root).namespace
    if namespace == IMSCP_12:
        family = "1.2"
    elif namespace == IMSCP_2004:
        family = "2004"
    else:
        return Detected(None), [
            finding("VERSION-UNKNOWN", MANIFEST, line_of(root), namespace=namespace or "")
        ]
    default = V12 if family == "1.2" else V4TH
    element = root.find(f"{qname(namespace, 'metadata')}/{qname(namespace, 'schemaversion')}")
    if element is None:
        return Detected(default), [
            finding("SCHEMAVERSION-MISSING", MANIFEST, line_of(root), expected=default)
        ]
    text = (element.text or "").strip()
    line = line_of(element)
    if text in EXACT:
        if _family(text) != family:
            return Detected(default), [
                finding("SCHEMAVERSION-MISMATCH", MANIFEST, line, value=text, expected=default)
            ]
        return Detected(text), []
    variant = _variant_of(text)
    if variant is None:
        return Detected(default), [
            finding("SCHEMAVERSION-UNKNOWN", MANIFEST, line, value=text, expected=default)
        ]
    if _family(variant) != family:
        return Detected(default), [
            finding("SCHEMAVERSION-MISMATCH", MANIFEST, line, value=text, expected=default)
        ]
    return Detected(variant), [
        finding("SCHEMAVERSION-VARIANT", MANIFEST, line, value=text, expected=variant)
    ]
