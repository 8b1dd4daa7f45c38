"""Sets for selective harvesting: ``subject:<code>`` and ``grade:<n>``, under the parent sets
``subject`` and ``grade`` (spec section 2.7.2: a colon adds a level to the hierarchy).

Set names are in Kazakh, the catalogue's first language, from ``scorm_builder.vocabulary``
(the glossary's words). A record's header names only its leaf sets; harvesting a parent set
gives every record of its children.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from scorm_builder.vocabulary import GRADES, SUBJECTS, grade_names, subject_names

_SET_TAG = re.compile(r"[A-Za-z0-9\-_.!~*'()]+", re.ASCII)


class Facet(StrEnum):
    SUBJECT = "subject"
    GRADE = "grade"


_PARENT_NAMES = {Facet.SUBJECT: "Пәндер", Facet.GRADE: "Сыныптар"}


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str


@dataclass(frozen=True)
class SetFilter:
    """Records of one subject or grade; ``value=None`` for the parent (any subject/grade)."""

    facet: Facet
    value: str | int | None = None


def parse_set_spec(spec: str) -> SetFilter | None:
    """The filter a setSpec stands for, or ``None`` when there is no such set."""
    facet_name, colon, tag = spec.partition(":")
    if facet_name not in {facet.value for facet in Facet}:
        return None
    facet = Facet(facet_name)
    if not colon:
        return SetFilter(facet)
    if facet is Facet.SUBJECT:
        return SetFilter(facet, tag) if _SET_TAG.fullmatch(tag) else None
    if tag.isascii() and tag.isdigit() and str(int(tag)) == tag:
        return SetFilter(facet, int(tag))
    return None


def set_specs(subject: str, grades: Sequence[int]) -> tuple[str, ...]:
    """The leaf sets a record belongs to, for its header."""
    specs = [f"subject:{subject}"] if subject and _SET_TAG.fullmatch(subject) else []
    specs += [f"grade:{grade}" for grade in sorted(set(grades)) if grade >= 0]
    return tuple(specs)


def all_sets(subjects_in_use: Iterable[str], grades_in_use: Iterable[int]) -> list[OaiSet]:
    """Every set: the vocabulary's subjects and grades (0-12), and any others records use."""
    subjects = dict.fromkeys(SUBJECTS)
    subjects.update(dict.fromkeys(sorted(c for c in subjects_in_use if _SET_TAG.fullmatch(c))))
    grades = sorted({*GRADES, *(grade for grade in grades_in_use if grade >= 0)})
    return [
        OaiSet(Facet.SUBJECT.value, _PARENT_NAMES[Facet.SUBJECT]),
        *(OaiSet(f"subject:{code}", subject_names(code).kk) for code in subjects),
        OaiSet(Facet.GRADE.value, _PARENT_NAMES[Facet.GRADE]),
        *(OaiSet(f"grade:{grade}", grade_names(grade).kk) for grade in grades),
    ]
