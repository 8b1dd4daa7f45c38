"""A version's metadata: the author's fields checked and converted (``clean_metadata``,
one 422 naming every bad field), and what a package says about itself as those fields
(``prefill`` for a job's result, ``prefill_version`` for a new version).

The 422's ``details["fields"]`` say what is wrong with each field in the caller's language,
like the error's message; the error's own (English) message names the fields for the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from catalogue.errors import Invalid
from catalogue.models import ResourceType, ResourceVersion
from scorm_builder.package_info import PackageMetadata
from scorm_builder.validate import Report
from scorm_builder.vocabulary import AUTHOR_FIELDS, GRADES, LANGUAGES, LICENCE_IDS

#: The text fields an author sets (on upload, or with PATCH while the version is not
#: frozen), with their longest length; ``METADATA_FIELDS`` are all of the author's fields.
TEXT_FIELDS: Mapping[str, int | None] = MappingProxyType(
    {
        "title_kk": 500,
        "title_ru": 500,
        "title_en": 500,
        "description_kk": None,
        "description_ru": None,
        "description_en": None,
        "rights_holder": 300,
        "subject": 64,
    }
)
METADATA_FIELDS = AUTHOR_FIELDS
assert set(TEXT_FIELDS) <= set(METADATA_FIELDS)


def _words(value: object) -> list[str]:
    """A list from a JSON list or a comma-separated form field."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ValueError(lazy_gettext("Give a list, or words separated by commas."))
    return [str(item).strip() for item in items if str(item).strip()]


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no", "off", ""):
        return False
    raise ValueError(lazy_gettext("Give true or false."))


def _clean_field(name: str, value: object) -> object:
    """One field's value in the model's type; ``ValueError`` says what is wrong (a text
    in the request's language)."""
    if name in TEXT_FIELDS:
        text = "" if value is None else value
        if not isinstance(text, str):
            raise ValueError(lazy_gettext("Give text."))
        limit = TEXT_FIELDS[name]
        text = text.strip().lower() if name == "subject" else text.strip()
        if limit is not None and len(text) > limit:
            raise ValueError(lazy_gettext("At most %(count)s characters.", count=limit))
        return text
    if name == "language":
        if value not in LANGUAGES:
            raise ValueError(_one_of(LANGUAGES))
        return value
    if name == "grades":
        grades = []
        for word in _words(value):
            if not word.isdigit() or int(word) not in GRADES:
                raise ValueError(
                    lazy_gettext(
                        "Grades are whole numbers from %(first)s to %(last)s.",
                        first=GRADES[0],
                        last=GRADES[-1],
                    )
                )
            grades.append(int(word))
        return sorted(set(grades))
    if name == "resource_type":
        try:
            return ResourceType(str(value))
        except ValueError:
            raise ValueError(_one_of([t.value for t in ResourceType])) from None
    if name == "keywords":
        return list(dict.fromkeys(word[:100] for word in _words(value)))
    if name == "learning_minutes":
        if value is None or value == "":
            return None
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= 10_000:
            raise ValueError(lazy_gettext("Give the minutes as a whole number from 1 to 10000."))
        return int(text)
    if name == "license":
        if value not in LICENCE_IDS:
            raise ValueError(_one_of(LICENCE_IDS))
        return value
    if name == "copyright_attested":
        return _boolean(value)
    raise ValueError(lazy_gettext("There is no such field."))


def _one_of(choices: Iterable[str]) -> LazyString:
    return lazy_gettext("Give one of: %(choices)s.", choices=", ".join(choices))


def clean_metadata(raw: Mapping[str, object]) -> dict[str, object]:
    """The fields of ``raw`` checked and converted; 422 listing every bad field."""
    fields: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        try:
            fields[name] = _clean_field(name, value)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise Invalid(
            "some metadata fields are not acceptable: " + ", ".join(sorted(errors)),
            code="metadata_invalid",
            details={"fields": errors},
        )
    return fields


def apply_fields(version: ResourceVersion, fields: Mapping[str, object]) -> None:
    """Set checked fields on ``version``; whatever was set, a title must remain, since the
    catalogue, its search and the feed all name a resource by it."""
    for name, value in fields.items():
        setattr(version, name, value)
    if not (version.title_kk or version.title_ru or version.title_en):
        raise Invalid(
            "give a title in at least one language (title_kk, title_ru or title_en)",
            code="metadata_invalid",
            details={
                "fields": {"title": str(lazy_gettext("Give a title in at least one language."))}
            },
        )


def package_metadata(report: Report) -> PackageMetadata:
    """What a validated package says about itself (``Report.info``, read by
    ``scorm_builder.package_reader``); empty for a file that is not a zip."""
    return report.info.metadata if report.info is not None else PackageMetadata()


def prefill(found: PackageMetadata, *, offline_ready: bool) -> dict[str, Any]:
    """What a package says about itself as the fields of a resource version: the result of
    a build or validation job, which the teacher's page turns into a new resource."""
    fields: dict[str, Any] = {}
    for language in LANGUAGES:
        fields[f"title_{language}"] = found.titles.get(language, "")[:500]
        fields[f"description_{language}"] = found.descriptions.get(language, "")
    fields.update(
        language=found.language or "",
        subject=found.subject or "",
        grades=list(found.grades),
        keywords=[keyword[:100] for keyword in found.keywords],
        resource_type=ResourceType(found.kind).value,
        scorm_version=(found.scorm_version or "")[:32],
        accessibility=list(found.accessibility),
        offline_ready=offline_ready,
    )
    return fields


def prefill_version(
    version: ResourceVersion,
    found: PackageMetadata,
    previous: ResourceVersion | None,
    *,
    offline_ready: bool,
) -> None:
    """The previous version's metadata, then what the new package's manifest says; the
    measured facts (SCORM version, accessibility, offline readiness) come from the package.
    A new package needs a new copyright attestation, so that is never carried over."""
    if previous is not None:
        for name in METADATA_FIELDS:
            setattr(version, name, getattr(previous, name))
    else:
        version.resource_type = ResourceType(found.kind)
    for language, title in found.titles.items():
        setattr(version, f"title_{language}", title[:500])
    for language, description in found.descriptions.items():
        setattr(version, f"description_{language}", description)
    if found.language:
        version.language = found.language
    if found.subject:
        version.subject = found.subject
    if found.grades:
        version.grades = list(found.grades)
    if found.keywords:
        version.keywords = [keyword[:100] for keyword in found.keywords]
    version.copyright_attested = False
    version.scorm_version = (found.scorm_version or "")[:32]
    version.accessibility = list(found.accessibility)
    version.offline_ready = offline_ready
