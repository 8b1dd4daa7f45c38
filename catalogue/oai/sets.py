"""Sets for selective harvesting: ``subject:<code>`` and ``grade:<n>``, under the parent sets
``subject`` and ``grade`` (spec section 2.7.2: a colon adds a level to the hierarchy).

Set names are in Kazakh, the catalogue's first language, in the glossary's words
(``shared/GLOSSARY.md``). A record's header names only its leaf sets; harvesting a parent
set gives every record of its children.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Names:
    kk: str
    ru: str
    en: str

    def items(self) -> tuple[tuple[str, str], ...]:
        return (("kk", self.kk), ("ru", self.ru), ("en", self.en))


#: School subjects by code, as in the glossary.
SUBJECTS: dict[str, Names] = {
    "physics": Names("Физика", "Физика", "Physics"),
    "chemistry": Names("Химия", "Химия", "Chemistry"),
    "biology": Names("Биология", "Биология", "Biology"),
    "mathematics": Names("Математика", "Математика", "Mathematics"),
    "english": Names("Ағылшын тілі", "Английский язык", "English"),
    "algebra": Names("Алгебра", "Алгебра", "Algebra"),
    "geometry": Names("Геометрия", "Геометрия", "Geometry"),
    "informatics": Names("Информатика", "Информатика", "Computer science"),
    "kazakh": Names("Қазақ тілі", "Казахский язык", "Kazakh language"),
    "kazakh_literature": Names("Қазақ әдебиеті", "Казахская литература", "Kazakh literature"),
    "russian": Names("Орыс тілі", "Русский язык", "Russian language"),
    "history_kz": Names("Қазақстан тарихы", "История Казахстана", "History of Kazakhstan"),
    "world_history": Names("Дүниежүзі тарихы", "Всемирная история", "World history"),
    "geography": Names("География", "География", "Geography"),
    "robotics": Names("Робототехника", "Робототехника", "Robotics"),
    "natural_science": Names("Жаратылыстану", "Естествознание", "Natural science"),
}

#: Kazakhstan's school grades.
GRADES = range(1, 12)

_SET_TAG = re.compile(r"[A-Za-z0-9\-_.!~*'()]+", re.ASCII)


def grade_names(grade: int) -> Names:
    return Names(f"{grade}-сынып", f"{grade} класс", f"Grade {grade}")


def subject_names(code: str) -> Names:
    """The subject's names; a code outside the glossary names itself."""
    return SUBJECTS.get(code) or Names(code, code, code)


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
    """Every set: the glossary's subjects and grades 1-11, and any others records use."""
    subjects = dict.fromkeys(SUBJECTS)
    subjects.update(dict.fromkeys(sorted(c for c in subjects_in_use if _SET_TAG.fullmatch(c))))
    grades = sorted({*GRADES, *(grade for grade in grades_in_use if grade >= 0)})
    return [
        OaiSet(Facet.SUBJECT.value, _PARENT_NAMES[Facet.SUBJECT]),
        *(OaiSet(f"subject:{code}", subject_names(code).kk) for code in subjects),
        OaiSet(Facet.GRADE.value, _PARENT_NAMES[Facet.GRADE]),
        *(OaiSet(f"grade:{grade}", grade_names(grade).kk) for grade in grades),
    ]
