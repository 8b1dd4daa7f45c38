"""What the pages call the catalogue's codes, in the visitor's language.

States, roles, rubric criteria are interface words (gettext). Languages, licences,
subjects, grades, resource types and metadata fields are the vocabulary's
(``scorm_builder.vocabulary``): its own Kazakh, Russian and English names, the same words
the packages, OAI-PMH and Moodle use, so they are not in the gettext catalogs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from flask import Flask
from flask_babel import format_decimal, get_locale, gettext, lazy_gettext
from flask_babel.speaklater import LazyString

from catalogue.models import (
    CRITERIA,
    GATES,
    AssignmentState,
    Recommendation,
    Role,
    State,
)
from scorm_builder import vocabulary
from scorm_builder.vocabulary import Names


def locale_code() -> str:
    locale = get_locale()
    return locale.language if locale is not None else vocabulary.DEFAULT_LANGUAGE


class InLocale(Mapping[str, str]):
    """A vocabulary table (code -> ``Names``) read in the visitor's language when looked
    up, so one table serves every request: ``labels.languages[code]`` in a template."""

    def __init__(self, table: Mapping[str, Names]) -> None:
        self._table = table

    def __getitem__(self, code: str) -> str:
        return self._table[code].get(locale_code())

    def __contains__(self, code: object) -> bool:
        return code in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


STATES: dict[str, LazyString] = {
    State.DRAFT: lazy_gettext("Draft"),
    State.SUBMITTED: lazy_gettext("Submitted"),
    State.UNDER_REVIEW: lazy_gettext("Under review"),
    State.REVISION_REQUESTED: lazy_gettext("Revision requested"),
    State.APPROVED: lazy_gettext("Approved"),
    State.REJECTED: lazy_gettext("Rejected"),
    State.PUBLISHED: lazy_gettext("Published"),
    State.UNPUBLISHED: lazy_gettext("Unpublished"),
    State.WITHDRAWN: lazy_gettext("Withdrawn"),
}

ROLES: dict[str, LazyString] = {
    Role.TEACHER: lazy_gettext("Teacher"),
    Role.REVIEWER: lazy_gettext("Council member"),
    Role.CHAIR: lazy_gettext("Council chair"),
    Role.ADMIN: lazy_gettext("Administrator"),
}

RESOURCE_TYPES = InLocale(vocabulary.RESOURCE_TYPES)

ASSIGNMENT_STATES: dict[str, LazyString] = {
    AssignmentState.INVITED: lazy_gettext("Assigned, no answer yet"),
    AssignmentState.ACCEPTED: lazy_gettext("Accepted"),
    AssignmentState.DECLINED: lazy_gettext("Declined"),
    AssignmentState.SUBMITTED: lazy_gettext("Review submitted"),
    AssignmentState.REMOVED: lazy_gettext("Removed"),
}

RECOMMENDATIONS: dict[str, LazyString] = {
    Recommendation.APPROVE: lazy_gettext("Approve"),
    Recommendation.MINOR_REVISION: lazy_gettext("Minor revision"),
    Recommendation.MAJOR_REVISION: lazy_gettext("Major revision"),
    Recommendation.REJECT: lazy_gettext("Reject"),
}

LICENSE_NAMES = InLocale({code: licence.names for code, licence in vocabulary.LICENCES.items()})
#: Each licence's deed (or mark), for a link; all rights reserved has none.
LICENSE_URLS: Mapping[str, str] = {
    code: licence.url for code, licence in vocabulary.LICENCES.items() if licence.url
}

GATE_NAMES: dict[str, LazyString] = {
    "legal_child_safety": lazy_gettext("Lawful and safe for children"),
    "copyright_licences": lazy_gettext("Copyright and licences are in order"),
    "no_factual_errors": lazy_gettext("No factual errors"),
}
assert set(GATE_NAMES) == set(GATES)

CRITERION_NAMES: dict[str, LazyString] = {
    "curriculum_alignment": lazy_gettext("Fits the state curriculum"),
    "pedagogy": lazy_gettext("Teaching approach"),
    "assessment_quality": lazy_gettext("Quality of assessment"),
    "accessibility": lazy_gettext("Accessibility"),
    "technical_quality": lazy_gettext("Technical quality"),
    "language_quality": lazy_gettext("Language quality"),
}
assert set(CRITERION_NAMES) == set(CRITERIA)

#: What ``scorm_builder.package_reader`` finds that helps pupils with disabilities.
ACCESSIBILITY: dict[str, LazyString] = {
    "captions": lazy_gettext("Captions for every video"),
    "alt_text": lazy_gettext("Text alternatives for every image"),
}

LANGUAGES = InLocale(vocabulary.LANGUAGE_NAMES)
#: The metadata fields of a version (the council compares them between versions).
FIELD_NAMES = InLocale(vocabulary.METADATA_FIELDS)


def subject_name(code: str | None) -> str:
    if not code:
        return ""
    return vocabulary.subject_name(code, locale_code())


def subject_options() -> list[tuple[str, str]]:
    """(code, name) of every subject, sorted by name in the visitor's language."""
    pairs = ((code, subject_name(code)) for code in vocabulary.SUBJECTS)
    return sorted(pairs, key=lambda pair: alphabetical(pair[1]))


#: The Kazakh Cyrillic alphabet; Russian's letters come in the same order within it.
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(KAZAKH_ALPHABET)}


def alphabetical(text: str) -> tuple[tuple[int, str], ...]:
    """A sort key in Kazakh (and Russian) alphabetical order; other letters after them.

    Python's default order is by code point, which puts ә, қ, ң… after я."""
    return tuple(_rank(letter) for letter in text.casefold())


def _rank(letter: str) -> tuple[int, str]:
    if letter in _LETTER_RANK:
        return (_LETTER_RANK[letter], "")
    return (len(KAZAKH_ALPHABET), letter) if letter.isalpha() else (-1, letter)


def grade_name(grade: int | str) -> str:
    """The grade's name: "7-сынып", "7 класс", "Grade 7"; 0 is the pre-school class."""
    return vocabulary.grade_name(int(grade), locale_code())


def title_of(version: object) -> str:
    """The version's title in the visitor's language, else in any language it has."""
    code = locale_code()
    for language in (code, *vocabulary.LANGUAGES):
        title = getattr(version, f"title_{language}", "") or ""
        if title:
            return str(title)
    return ""


def description_of(version: object) -> str:
    code = locale_code()
    for language in (code, *vocabulary.LANGUAGES):
        text = getattr(version, f"description_{language}", "") or ""
        if text:
            return str(text)
    return ""


MIB = 1024 * 1024

#: What a manifest's <schemaversion> says, as people call it.
SCORM_NAMES: dict[str, LazyString] = {
    "1.2": lazy_gettext("SCORM 1.2"),
    "2004 4th Edition": lazy_gettext("SCORM 2004, 4th edition"),
    "2004 3rd Edition": lazy_gettext("SCORM 2004, 3rd edition"),
    "CAM 1.3": lazy_gettext("SCORM 2004, 2nd edition"),
}


def scorm_name(schema_version: str | None) -> str:
    if not schema_version:
        return ""
    known = SCORM_NAMES.get(schema_version.strip())
    return str(known) if known is not None else f"SCORM {schema_version}"


def file_size(size: int) -> str:
    """A package's size in KB or MB, with the visitor's decimal separator."""
    if size < MIB:
        return str(gettext("%(size)s KB", size=format_decimal(max(1, round(size / 1024)))))
    return str(gettext("%(size)s MB", size=format_decimal(size / MIB, format="#,##0.0")))


def register(app: Flask) -> None:
    """Make the labels available to every template as ``labels``."""
    app.jinja_env.globals.update(
        labels={
            "states": STATES,
            "roles": ROLES,
            "resource_types": RESOURCE_TYPES,
            "assignment_states": ASSIGNMENT_STATES,
            "recommendations": RECOMMENDATIONS,
            "licenses": LICENSE_NAMES,
            "gates": GATE_NAMES,
            "criteria": CRITERION_NAMES,
            "languages": LANGUAGES,
            "fields": FIELD_NAMES,
            "accessibility": ACCESSIBILITY,
        },
        subject_name=subject_name,
        grade_name=grade_name,
        title_of=title_of,
        description_of=description_of,
        scorm_name=scorm_name,
        file_size=file_size,
    )
