"""The names a resource is found by besides its own words: its subject's and grades' names
in Kazakh, Russian and English, from ``scorm_builder.vocabulary`` (the one list the
catalogue's pages, the sync and the packages name them from). A physics lesson whose
description never says "физика" is still found by "физика", "physics" or "7 класс". No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from scorm_builder.vocabulary import grade_names, subject_names


def names_text(subject: str, grades: Iterable[int]) -> str:
    """The subject's and the grades' names, each name once."""
    names: list[str] = []
    found = [subject_names(subject)] if subject else []
    for grade in sorted(set(grades)):
        if isinstance(grade, int) and not isinstance(grade, bool) and grade >= 0:
            found.append(grade_names(grade))
    for each in found:
        for _, name in each.items():
            if name not in names:
                names.append(name)
    return " ".join(names)
