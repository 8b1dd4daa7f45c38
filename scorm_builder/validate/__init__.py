"""The SCORM package validator: `validate_package` checks any package, ours or a vendor's.

Findings are data (`Finding`: rule id, severity, zip entry, line, values); the sentences
are rendered in Kazakh, Russian or English only when printed (`messages`, `report`).
The rules are listed in ``docs/validator-rules.md``.
"""

from scorm_builder.validate.findings import SEVERITIES, Finding, Report, Severity
from scorm_builder.validate.pipeline import validate_package
from scorm_builder.validate.xsdcheck import SchemaUnavailableError, schema_dir

__all__ = [
    "SEVERITIES",
    "Finding",
    "Report",
    "SchemaUnavailableError",
    "Severity",
    "schema_dir",
    "validate_package",
]
