"""Where a catalogue resource goes in Moodle: the category and course layout.

By default (all of it configurable in the ``[mapping]`` table of sync.toml)::

    Sandyq                              category  sandyq-root
      Физика                            category  sandyq-subject-physics
        Физика, 7-сынып                 course    sandyq-course-physics-7 (sandyq-physics-7)
          Ньютон заңдары                SCORM     sandyq:<uuid>

- a resource for several grades goes to the course of its **lowest** grade (a grade 7-9
  resource lives in the grade 7 course: one copy, so learners' attempts stay in one place);
- a resource with no grades goes to the subject's general course
  (``sandyq-course-<subject>-all``, named after the subject alone);
- a resource with no subject goes to the category ``other`` ("Басқа").

Subject and grade names are the vocabulary's (``scorm_builder.vocabulary``, the glossary's
words) in Kazakh (``names = "ru"`` or ``"en"`` for the others); a subject outside it names
itself, and ``subject_names`` overrides single subjects. A course is "<subject>, <grade>"
("Физика, 7-сынып"; grade 0 is "Физика, Мектепалды даярлық сыныбы") unless
``course_fullname`` says otherwise, with ``{subject}``, ``{grade}`` (the number) and
``{grade_name}``.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from typing import Any

from lms_sync.models import PublishedItem
from scorm_builder.vocabulary import LANGUAGES, Names, grade_name, subject_name

OTHER = "other"
NO_GRADE = "all"

#: The category of resources that name no subject.
OTHER_NAMES = Names("Басқа", "Другое", "Other")


class MappingError(ValueError):
    """The ``[mapping]`` configuration is wrong; the message names the key."""


@dataclass(frozen=True)
class CategorySpec:
    idnumber: str
    name: str
    parent: str  # the parent's idnumber; "" at the top of Moodle


@dataclass(frozen=True)
class CourseSpec:
    idnumber: str
    shortname: str
    fullname: str
    category: str  # the category's idnumber


@dataclass(frozen=True)
class Mapping:
    """The layout. ``root_name = ""`` puts subject categories at the top level."""

    root_name: str = "Sandyq"
    root_idnumber: str = "sandyq-root"
    names: str = "kk"
    subject_names: MappingType[str, str] = field(default_factory=dict)
    course_fullname: str = ""  # default: "{subject}, {grade_name}"
    course_shortname: str = "sandyq-{subject}-{grade}"
    category_idnumber: str = "sandyq-subject-{subject}"
    course_idnumber: str = "sandyq-course-{subject}-{grade}"
    section: int = 0  # the course section that new activities go into

    def __post_init__(self) -> None:
        if self.names not in LANGUAGES:
            raise MappingError(f"mapping.names: one of {', '.join(LANGUAGES)}")
        if self.section < 0:
            raise MappingError("mapping.section: a section number, 0 or more")
        for key in ("course_shortname", "category_idnumber", "course_idnumber"):
            template: str = getattr(self, key)
            if "{subject}" not in template:
                raise MappingError(f"mapping.{key}: must contain {{subject}}")
        for key in ("course_shortname", "course_idnumber"):
            if "{grade}" not in getattr(self, key):
                raise MappingError(f"mapping.{key}: must contain {{grade}}")

    @classmethod
    def from_config(cls, table: MappingType[str, Any]) -> Mapping:
        """A mapping from the ``[mapping]`` table of sync.toml."""
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(table) - known)
        if unknown:
            raise MappingError(f"mapping: unknown keys {', '.join(unknown)}")
        values = dict(table)
        names = values.get("subject_names", {})
        if not isinstance(names, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in names.items()
        ):
            raise MappingError("mapping.subject_names: a table of subject = name")
        for key, value in values.items():
            expected = int if key == "section" else dict if key == "subject_names" else str
            if not isinstance(value, expected) or isinstance(value, bool):
                raise MappingError(f"mapping.{key}: expected a {expected.__name__}")
        return cls(**values)

    # ---- names -------------------------------------------------------------------------

    def subject_name(self, subject: str) -> str:
        if subject in self.subject_names:
            return self.subject_names[subject]
        if subject == OTHER:
            return OTHER_NAMES.get(self.names)
        return subject_name(subject, self.names)

    # ---- placement ---------------------------------------------------------------------

    def subject_of(self, item: PublishedItem) -> str:
        return item.subject or OTHER

    def grade_of(self, item: PublishedItem) -> int | None:
        """The lowest grade: one course per resource, the youngest learners' one."""
        return min(item.grades) if item.grades else None

    def root(self) -> CategorySpec | None:
        if not self.root_name:
            return None
        return CategorySpec(self.root_idnumber, self.root_name, "")

    def category(self, subject: str) -> CategorySpec:
        root = self.root()
        return CategorySpec(
            self.category_idnumber.format(subject=subject),
            self.subject_name(subject),
            root.idnumber if root is not None else "",
        )

    def course(self, item: PublishedItem) -> CourseSpec:
        subject, grade = self.subject_of(item), self.grade_of(item)
        grade_text = str(grade) if grade is not None else NO_GRADE
        name = self.subject_name(subject)
        if grade is None:
            fullname = name
        else:
            template = self.course_fullname or "{subject}, {grade_name}"
            fullname = template.format(
                subject=name, grade=grade, grade_name=grade_name(grade, self.names)
            )
        return CourseSpec(
            idnumber=self.course_idnumber.format(subject=subject, grade=grade_text),
            shortname=self.course_shortname.format(subject=subject, grade=grade_text),
            fullname=fullname,
            category=self.category(subject).idnumber,
        )
