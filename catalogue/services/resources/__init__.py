"""Resources and their versions; callers import the public names from here.

One module per concern: ``access`` (who may see a resource, ``readable``, and counting its
downloads), ``listing`` (the author's list with the council's feedback), ``uploads`` (a
package streamed, validated and stored as a new version), ``metadata`` (the author's fields
checked, and a package's own metadata as fields), ``findings`` (validation findings stored
as data, rendered in the reader's language) and ``changes`` (what authors do: submit, edit,
add a version, co-authors; each change writes its audit event through
``catalogue.services.audit``).
"""

from __future__ import annotations

from catalogue.services.resources.access import Visible, is_insider, readable, record_download
from catalogue.services.resources.changes import (
    NEW_VERSION_STATES,
    add_coauthor,
    add_version,
    edit_metadata,
    remove_coauthor,
    submit,
)
from catalogue.services.resources.findings import render_findings, stored_findings
from catalogue.services.resources.listing import DECISION_STATES, Feedback, my_resources
from catalogue.services.resources.metadata import (
    METADATA_FIELDS,
    TEXT_FIELDS,
    clean_metadata,
    package_metadata,
    prefill,
)
from catalogue.services.resources.uploads import DEFAULT_MAX_UPLOAD_BYTES, Upload, upload_limit

__all__ = [
    "DECISION_STATES",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "Feedback",
    "METADATA_FIELDS",
    "NEW_VERSION_STATES",
    "TEXT_FIELDS",
    "Upload",
    "Visible",
    "add_coauthor",
    "add_version",
    "clean_metadata",
    "edit_metadata",
    "is_insider",
    "my_resources",
    "package_metadata",
    "prefill",
    "readable",
    "record_download",
    "remove_coauthor",
    "render_findings",
    "stored_findings",
    "submit",
    "upload_limit",
]
