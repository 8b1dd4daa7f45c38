"""Sandyq's vocabulary: the languages, licences, subjects, grades, resource types and
metadata fields, each with its name in Kazakh, Russian and English.

Why it exists: these words used to be written out again wherever they were needed (the
manifests' LOM, OAI-PMH sets, search filters, web labels, the Moodle sync's categories,
the benchmarks), and the copies drifted apart: one said grades 1-11 and another 0-12, one
called grade 0 "0-сынып" and another "Pre-school year". This module is the one answer;
everything else imports it. The names are the glossary's (``shared/GLOSSARY.md``), so a
teacher reads the same word in a package, in the catalogue and in Moodle.

Plain values only (frozen dataclasses, tuples, read-only mappings), no I/O and nothing
beyond the standard library, so the builder, the catalogue, the sync and the benchmarks can
all depend on it without depending on one another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

# ---- languages -------------------------------------------------------------------------

#: A language Sandyq writes in: of a package's content, of the interface, of a name here.
Lang = Literal["kk", "ru", "en"]
#: Kazakh first: the catalogue's first language, and the default wherever none is given.
LANGUAGES: tuple[Lang, ...] = ("kk", "ru", "en")
DEFAULT_LANGUAGE: Lang = "kk"


@dataclass(frozen=True)
class Names:
    """One thing's name in each of Sandyq's languages."""

    kk: str
    ru: str
    en: str

    def get(self, lang: str) -> str:
        """The name in ``lang`` (``kk``, ``ru`` or ``en``); ``KeyError`` for any other."""
        if lang == "kk":
            return self.kk
        if lang == "ru":
            return self.ru
        if lang == "en":
            return self.en
        raise KeyError(lang)

    def items(self) -> tuple[tuple[Lang, str], ...]:
        """``(language, name)`` pairs, Kazakh first."""
        return (("kk", self.kk), ("ru", self.ru), ("en", self.en))


def _table(entries: Mapping[str, Names]) -> Mapping[str, Names]:
    return MappingProxyType(dict(entries))


#: What each language is called, in each language ("the language of instruction").
LANGUAGE_NAMES: Mapping[str, Names] = _table(
    {
        "kk": Names("Қазақ тілі", "Казахский", "Kazakh"),
        "ru": Names("Орыс тілі", "Русский", "Russian"),
        "en": Names("Ағылшын тілі", "Английский", "English"),
    }
)
#: What each language calls itself (a language switcher, a captions menu).
ENDONYMS: Mapping[str, str] = MappingProxyType({"kk": "Қазақша", "ru": "Русский", "en": "English"})


def language_name(code: str, lang: str) -> str:
    """``code``'s name in ``lang``; a code outside ``LANGUAGES`` names itself."""
    names = LANGUAGE_NAMES.get(code)
    return names.get(lang) if names is not None else code


# ---- licences --------------------------------------------------------------------------


@dataclass(frozen=True)
class Licence:
    """A licence a catalogue can publish under. ``url`` is its deed (Creative Commons) or
    mark (public domain); ``None`` when there is none (all rights reserved)."""

    id: str
    names: Names
    url: str | None


def _cc(code: str, kk: str, ru: str, en: str) -> Licence:
    return Licence(
        f"CC-{code.upper()}-4.0",
        Names(
            f"Creative Commons {kk} 4.0",
            f"Creative Commons «{ru}» 4.0",
            f"Creative Commons {en} 4.0",
        ),
        f"https://creativecommons.org/licenses/{code}/4.0/",
    )


#: Creative Commons 4.0, public domain, or the rights holder's permission, by id.
LICENCES: Mapping[str, Licence] = MappingProxyType(
    {
        licence.id: licence
        for licence in (
            _cc("by", "Атрибуция", "Атрибуция", "Attribution"),
            _cc(
                "by-sa",
                "Атрибуция — Бірдей шарттармен тарату",
                "Атрибуция — На тех же условиях",
                "Attribution-ShareAlike",
            ),
            _cc(
                "by-nc",
                "Атрибуция — Коммерциялық емес",
                "Атрибуция — Некоммерческое использование",
                "Attribution-NonCommercial",
            ),
            _cc(
                "by-nc-sa",
                "Атрибуция — Коммерциялық емес — Бірдей шарттармен тарату",
                "Атрибуция — Некоммерческое использование — На тех же условиях",
                "Attribution-NonCommercial-ShareAlike",
            ),
            _cc(
                "by-nd",
                "Атрибуция — Туынды шығармаларсыз",
                "Атрибуция — Без производных произведений",
                "Attribution-NoDerivatives",
            ),
            _cc(
                "by-nc-nd",
                "Атрибуция — Коммерциялық емес — Туынды шығармаларсыз",
                "Атрибуция — Некоммерческое использование — Без производных произведений",
                "Attribution-NonCommercial-NoDerivatives",
            ),
            Licence(
                "CC0-1.0",
                Names(
                    "CC0 1.0: ешқандай құқық сақталмайды",
                    "CC0 1.0: без сохранения прав",
                    "CC0 1.0: no rights reserved",
                ),
                "https://creativecommons.org/publicdomain/zero/1.0/",
            ),
            Licence(
                "public-domain",
                Names("Қоғамдық игілік", "Общественное достояние", "Public domain"),
                "https://creativecommons.org/publicdomain/mark/1.0/",
            ),
            Licence(
                "all-rights-reserved",
                Names("Барлық құқықтар қорғалған", "Все права защищены", "All rights reserved"),
                None,
            ),
        )
    }
)
LICENCE_IDS: tuple[str, ...] = tuple(LICENCES)
DEFAULT_LICENCE = "CC-BY-4.0"
#: Licences that leave a resource free of copyright restrictions.
UNRESTRICTED_LICENCES: frozenset[str] = frozenset({"CC0-1.0", "public-domain"})


def licence_name(licence_id: str, lang: str) -> str:
    """The licence's name in ``lang``; an id outside ``LICENCES`` names itself."""
    licence = LICENCES.get(licence_id)
    return licence.names.get(lang) if licence is not None else licence_id


def licence_url(licence_id: str) -> str | None:
    """The licence's address, ``None`` for all rights reserved or an unknown id."""
    licence = LICENCES.get(licence_id)
    return licence.url if licence is not None else None


# ---- subjects --------------------------------------------------------------------------

#: School subjects by key, in the glossary's order and words.
SUBJECTS: Mapping[str, Names] = _table(
    {
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
)


def subject_names(key: str) -> Names:
    """The subject's names; a key outside ``SUBJECTS`` names itself in every language."""
    return SUBJECTS.get(key) or Names(key, key, key)


def subject_name(key: str, lang: str) -> str:
    return subject_names(key).get(lang)


# ---- grades ----------------------------------------------------------------------------

#: Grade 0, the pre-school class (мектепалды даярлық сыныбы).
PRE_SCHOOL = 0
#: Every grade a resource may name: the pre-school class, then grades 1 to 12.
GRADES: tuple[int, ...] = tuple(range(0, 13))
#: The pre-school class's one name, never "0-сынып".
PRE_SCHOOL_NAMES = Names(
    "Мектепалды даярлық сыныбы", "Класс предшкольной подготовки", "Pre-school class"
)


def grade_names(grade: int) -> Names:
    """A grade's names: "7-сынып", "7 класс", "Grade 7"; grade 0 is the pre-school class.

    A grade beyond ``GRADES`` (an old record's 13) follows the same pattern."""
    if isinstance(grade, bool) or not isinstance(grade, int) or grade < 0:
        raise ValueError(f"a grade is a whole number from 0, not {grade!r}")
    if grade == PRE_SCHOOL:
        return PRE_SCHOOL_NAMES
    return Names(f"{grade}-сынып", f"{grade} класс", f"Grade {grade}")


def grade_name(grade: int, lang: str) -> str:
    return grade_names(grade).get(lang)


#: Every grade's names, for listing them.
GRADE_NAMES: Mapping[int, Names] = MappingProxyType({grade: grade_names(grade) for grade in GRADES})

# ---- resource types --------------------------------------------------------------------

#: What a catalogue resource is, by key.
RESOURCE_TYPES: Mapping[str, Names] = _table(
    {
        "lesson": Names("Сабақ", "Урок", "Lesson"),
        "test": Names("Тест", "Тест", "Test"),
        "video_lecture": Names("Бейнедәріс", "Видеолекция", "Video lecture"),
        "course": Names("Курс", "Курс", "Course"),
        "virtual_lab": Names("Виртуалды зертхана", "Виртуальная лаборатория", "Virtual laboratory"),
        "other": Names("Басқа", "Другое", "Other"),
    }
)
DEFAULT_RESOURCE_TYPE = "lesson"


def resource_type_name(key: str, lang: str) -> str:
    """The type's name in ``lang``; a key outside ``RESOURCE_TYPES`` names itself."""
    names = RESOURCE_TYPES.get(key)
    return names.get(lang) if names is not None else key


# ---- metadata fields -------------------------------------------------------------------

#: What describes a catalogue resource's version, by field, in the order the council
#: compares two versions.
METADATA_FIELDS: Mapping[str, Names] = _table(
    {
        "title_kk": Names(
            "Қазақ тіліндегі атауы", "Название на казахском языке", "Title in Kazakh"
        ),
        "title_ru": Names("Орыс тіліндегі атауы", "Название на русском языке", "Title in Russian"),
        "title_en": Names(
            "Ағылшын тіліндегі атауы", "Название на английском языке", "Title in English"
        ),
        "description_kk": Names(
            "Қазақ тіліндегі сипаттама", "Описание на казахском языке", "Description in Kazakh"
        ),
        "description_ru": Names(
            "Орыс тіліндегі сипаттама", "Описание на русском языке", "Description in Russian"
        ),
        "description_en": Names(
            "Ағылшын тіліндегі сипаттама", "Описание на английском языке", "Description in English"
        ),
        "language": Names("Оқыту тілі", "Язык обучения", "Language of instruction"),
        "subject": Names("Пән", "Предмет", "Subject"),
        "grades": Names("Сыныптар", "Классы", "Grades"),
        "resource_type": Names("Түрі", "Вид", "Type"),
        "keywords": Names("Түйінді сөздер", "Ключевые слова", "Keywords"),
        "learning_minutes": Names(
            "Оқу уақыты (минут)", "Время на изучение, в минутах", "Learning time in minutes"
        ),
        "license": Names("Лицензия", "Лицензия", "License"),
        "rights_holder": Names("Құқық иеленуші", "Правообладатель", "Rights holder"),
        "copyright_attested": Names(
            "Авторлық құқықты автор растады",
            "Авторское право подтверждено автором",
            "Copyright confirmed by the author",
        ),
        "accessibility": Names(
            "Қолжетімділік мүмкіндіктері", "Средства доступности", "Accessibility features"
        ),
        "offline_ready": Names("Желісіз жұмыс істейді", "Работает без интернета", "Works offline"),
        "scorm_version": Names("SCORM нұсқасы", "Версия SCORM", "SCORM version"),
    }
)
#: Fields measured from the package itself, which the author does not set.
PACKAGE_FIELDS: frozenset[str] = frozenset({"accessibility", "offline_ready", "scorm_version"})
#: Fields the author sets (on upload, or while the version is not frozen).
AUTHOR_FIELDS: tuple[str, ...] = tuple(f for f in METADATA_FIELDS if f not in PACKAGE_FIELDS)


def field_name(field: str, lang: str) -> str:
    """The field's name in ``lang``; a field outside ``METADATA_FIELDS`` names itself."""
    names = METADATA_FIELDS.get(field)
    return names.get(lang) if names is not None else field
