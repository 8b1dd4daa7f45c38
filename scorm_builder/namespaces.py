"""XML namespaces of IMS Content Packaging, ADL SCORM and IEEE LOM, with the prefixes LMSs expect.

Moodle's SCORM parser matches the prefixes `adlcp:`, `imsss:`, `adlseq:` and `adlnav:`
literally, so a manifest must be written with exactly these prefixes: one map, used by
every writer and by the validator.
"""

from __future__ import annotations

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"

# SCORM 1.2
IMSCP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD_12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"

# SCORM 2004 (3rd and 4th edition share the namespaces)
IMSCP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ_2004 = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV_2004 = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS_2004 = "http://www.imsglobal.org/xsd/imsss"
LOM_2004 = "http://ltsc.ieee.org/xsd/LOM"

#: The prefix each extension namespace must carry.
REQUIRED_PREFIXES: dict[str, str] = {
    ADLCP_12: "adlcp",
    ADLCP_2004: "adlcp",
    ADLSEQ_2004: "adlseq",
    ADLNAV_2004: "adlnav",
    IMSSS_2004: "imsss",
}

NSMAP_12: dict[str | None, str] = {
    None: IMSCP_12,
    "adlcp": ADLCP_12,
    "imsmd": IMSMD_12,
    "xsi": XSI,
}

NSMAP_2004: dict[str | None, str] = {
    None: IMSCP_2004,
    "adlcp": ADLCP_2004,
    "adlseq": ADLSEQ_2004,
    "adlnav": ADLNAV_2004,
    "imsss": IMSSS_2004,
    "lom": LOM_2004,
    "xsi": XSI,
}


def qname(namespace: str, local: str) -> str:
    """Clark notation, as lxml wants it: ``{namespace}local``."""
    return f"{{{namespace}}}{local}"
