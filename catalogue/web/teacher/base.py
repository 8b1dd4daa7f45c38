"""What the teacher's pages share: the blueprint, the resource metadata form, and
validation findings in the visitor's language.

The metadata form posts every field of ``services.resources.METADATA_FIELDS`` as text; the
service checks and converts them (``clean_metadata``). A refusal names the bad fields in
English for API clients; here each becomes a sentence in the visitor's language beside
its field, and the form is shown again with what the teacher typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from flask import Blueprint, abort, request
from flask_babel import gettext, lazy_gettext
from flask_babel.speaklater import LazyString

from catalogue.db import db
from catalogue.errors import CatalogueError
from catalogue.models import Resource
from catalogue.services.resources import (
    METADATA_FIELDS,
    TEXT_FIELDS,
    readable,
    render_findings,
)
from catalogue.web.common.labels import (
    LANGUAGES as LANGUAGE_LABELS,
)
from catalogue.web.common.labels import (
    LICENSE_NAMES,
    RESOURCE_TYPES,
    locale_code,
    subject_options,
)
from catalogue.web.common.pages import flash_error, me
from scorm_builder.validate.findings import Severity
from scorm_builder.validate.messages import severity_word
from scorm_builder.vocabulary import (
    DEFAULT_LANGUAGE,
    DEFAULT_LICENCE,
    DEFAULT_RESOURCE_TYPE,
    LANGUAGES,
    Lang,
)

bp = Blueprint("teacher", __name__)

#: What a new resource starts with when neither the package nor the teacher says.
DEFAULTS: Mapping[str, str] = {
    "language": DEFAULT_LANGUAGE,
    "resource_type": DEFAULT_RESOURCE_TYPE,
    "license": DEFAULT_LICENCE,
}

#: What is wrong with a field, in the visitor's language (the service says it in English).
FIELD_PROBLEMS: Mapping[str, LazyString] = {
    "title": lazy_gettext("Give a title in at least one language."),
    "language": lazy_gettext("Choose the language of the resource."),
    "subject": lazy_gettext("Choose a subject from the list."),
    "grades": lazy_gettext("Grades are whole numbers from 0 to 12, separated by commas."),
    "resource_type": lazy_gettext("Choose the kind of resource."),
    "keywords": lazy_gettext("Separate the keywords with commas."),
    "learning_minutes": lazy_gettext("Give the minutes as a whole number from 1 to 10000."),
    "license": lazy_gettext("Choose a licence from the list."),
    "copyright_attested": lazy_gettext("Tick the box or leave it empty."),
}
#: Where a problem that concerns several fields is shown.
FIELD_AT: Mapping[str, str] = {"title": "title_kk"}


# ---- findings ---------------------------------------------------------------------


def findings_language() -> Lang:
    """The validator's language for the visitor's interface language."""
    code = locale_code()
    return next((lang for lang in LANGUAGES if lang == code), DEFAULT_LANGUAGE)


def rendered_findings(validation: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Stored findings (of a version or a job) as sentences in the visitor's language,
    errors first, each with its severity's name."""
    stored = (validation or {}).get("findings") or []
    return with_severity_names(render_findings(stored, findings_language()))


def with_severity_names(findings: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    order = {Severity.ERROR.value: 0, Severity.WARNING.value: 1}
    language = findings_language()
    named = [
        {**finding, "severity_name": severity_word(Severity(finding["severity"]), language)}
        for finding in findings
    ]
    return sorted(named, key=lambda finding: order.get(str(finding["severity"]), 2))


def error_findings(error: CatalogueError) -> list[dict[str, Any]]:
    """The findings a refused package carries (already in the caller's language)."""
    details = error.details if isinstance(error.details, dict) else {}
    findings = details.get("findings")
    return with_severity_names(findings) if isinstance(findings, list) else []


# ---- the metadata form ------------------------------------------------------------


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def form_values(source: Mapping[str, object]) -> dict[str, str]:
    """Every metadata field as the form shows it, from a version's or a package's values."""
    values = {name: _as_text(source.get(name)) for name in METADATA_FIELDS}
    for name, default in DEFAULTS.items():
        values[name] = values[name] or default
    return values


def version_values(version: object) -> dict[str, str]:
    return form_values({name: getattr(version, name) for name in METADATA_FIELDS})


def posted_values() -> dict[str, str]:
    """The metadata form as posted (an unticked box is simply absent)."""
    values = {name: request.form.get(name, "") for name in METADATA_FIELDS}
    values["copyright_attested"] = "1" if request.form.get("copyright_attested") else ""
    return values


def raw_fields(values: Mapping[str, str]) -> dict[str, object]:
    """The posted form for ``clean_metadata``: every field, an unticked box as false."""
    raw: dict[str, object] = {name: values.get(name, "") for name in METADATA_FIELDS}
    raw["copyright_attested"] = "true" if values.get("copyright_attested") else "false"
    return raw


def posted_emails() -> list[str]:
    text = request.form.get("coauthors", "")
    return [email.strip() for email in text.replace(";", ",").split(",") if email.strip()]


def field_errors(error: CatalogueError) -> dict[str, str]:
    """The refusal's complaints, by form field, in the visitor's language."""
    details = error.details if isinstance(error.details, dict) else {}
    if error.code == "unknown_user":
        emails = ", ".join(str(email) for email in details.get("emails") or [])
        return {"coauthors": gettext("No catalogue user has the e-mail %(emails)s.", emails=emails)}
    if error.code == "copyright_not_attested":
        return {
            "copyright_attested": gettext(
                "Confirm that you hold the rights to this material before submitting it."
            )
        }
    fields = details.get("fields") if error.code == "metadata_invalid" else None
    if not isinstance(fields, dict):
        return {}
    errors: dict[str, str] = {}
    for name, message in fields.items():
        known = FIELD_PROBLEMS.get(name)
        if known is None and TEXT_FIELDS.get(name):
            text = gettext("At most %(count)s characters.", count=TEXT_FIELDS[name])
        else:
            text = str(known) if known is not None else str(message)
        errors[FIELD_AT.get(name, name)] = text
    return errors


def form_options() -> dict[str, list[tuple[str, str]]]:
    """The choices of the metadata form's lists, in the visitor's language."""
    return {
        "languages": [(code, str(name)) for code, name in LANGUAGE_LABELS.items()],
        "subjects": subject_options(),
        "resource_types": [(str(kind), str(name)) for kind, name in RESOURCE_TYPES.items()],
        "licenses": [(code, str(name)) for code, name in LICENSE_NAMES.items()],
    }


def refused(error: CatalogueError) -> None:
    """Undo whatever the refused call left in the session and say why, in the page's
    language."""
    db.session.rollback()
    flash_error(error)


# ---- whose resource -----------------------------------------------------------------


def own_resource(uuid: str) -> Resource:
    """One of the visitor's own resources (owned or co-authored); 404 for any other,
    whether or not it exists or is published."""
    who = me()
    resource = readable(uuid, who).resource
    if who.user is None or who.user.id not in resource.author_ids:
        abort(404)
    return resource
