"""The vocabulary (``scorm_builder/vocabulary.py``): the one list of Sandyq's languages,
licences, subjects, grades, resource types and metadata fields, in the glossary's words.

Its copies used to disagree (grades 1-11 in OAI-PMH and 0-12 in search; grade 0 was
"0-сынып" in manifests and OAI, "Pre-school year" on the web). These tests pin the module's
answers, check that the lists still kept elsewhere (in files other people own, until they
import it) say the same, and fail when a file grows a copy of its own again.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from lxml import etree

from scorm_builder import vocabulary
from scorm_builder.vocabulary import (
    GRADES,
    LANGUAGES,
    LICENCE_IDS,
    LICENCES,
    METADATA_FIELDS,
    RESOURCE_TYPES,
    SUBJECTS,
    Names,
    grade_name,
    subject_name,
)

REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "scorm_builder" / "vocabulary.py"
GLOSSARY = REPO.parent / "shared" / "GLOSSARY.md"

# ---- the module --------------------------------------------------------------------------


def test_it_imports_only_the_standard_library_and_does_no_io() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    outside = [name for name in imported if name.split(".")[0] not in sys.stdlib_module_names]
    assert not [name for name in outside if name != "__future__"], outside
    assert not {"os", "io", "pathlib", "shutil", "subprocess", "socket"} & {
        name.split(".")[0] for name in imported
    }
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not {"open", "print", "input", "exec", "eval"} & called


def test_its_tables_cannot_be_changed() -> None:
    tables = (vocabulary.LANGUAGE_NAMES, vocabulary.ENDONYMS, LICENCES, SUBJECTS)
    for table in (*tables, vocabulary.GRADE_NAMES, RESOURCE_TYPES, METADATA_FIELDS):
        with pytest.raises(TypeError):
            table["new"] = Names("", "", "")  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        SUBJECTS["physics"].kk = "Физика!"  # type: ignore[misc]
    assert isinstance(GRADES, tuple) and isinstance(LANGUAGES, tuple)


# ---- its answers ---------------------------------------------------------------------------


def test_grades_run_from_the_pre_school_class_to_12() -> None:
    assert GRADES == tuple(range(0, 13))
    assert [grade_name(7, lang) for lang in LANGUAGES] == ["7-сынып", "7 класс", "Grade 7"]
    assert [grade_name(12, lang) for lang in LANGUAGES] == ["12-сынып", "12 класс", "Grade 12"]
    assert [grade_name(0, lang) for lang in LANGUAGES] == [
        "Мектепалды даярлық сыныбы",
        "Класс предшкольной подготовки",
        "Pre-school class",
    ]
    assert set(vocabulary.GRADE_NAMES) == set(GRADES)
    for grade in (-1, True, 7.0):
        with pytest.raises(ValueError):
            vocabulary.grade_names(grade)  # type: ignore[arg-type]


def _glossary() -> str:
    if not GLOSSARY.is_file():
        pytest.skip(f"{GLOSSARY} is not in this checkout")
    return GLOSSARY.read_text(encoding="utf-8")


def test_subjects_are_the_glossary_s_table_in_its_order() -> None:
    text = _glossary()
    table = text[text.index("## Subjects") :]
    table = table[: table.index("\n\n", table.index("|---"))]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in table.splitlines()[3:]
        if line.startswith("|")
    ]
    glossary = {key.rstrip(" †"): Names(kk, ru, en) for key, kk, ru, en in rows}
    assert list(SUBJECTS) == list(glossary)
    assert dict(SUBJECTS) == glossary


def test_grade_0_has_the_glossary_s_one_name() -> None:
    found = re.search(
        r"grade 0 is the pre-school class \(([^/]+) /\s*([^/]+) / ([^)]+)\)", _glossary()
    )
    assert found is not None, "the glossary names grade 0"
    words = [" ".join(word.split()) for word in found.groups()]
    assert [name.casefold() for name in _all(vocabulary.PRE_SCHOOL_NAMES)] == words


def test_codes_outside_the_vocabulary_name_themselves() -> None:
    assert subject_name("astronomy", "kk") == "astronomy"
    assert vocabulary.language_name("de", "ru") == "de"
    assert vocabulary.licence_name("GPL-3.0", "en") == "GPL-3.0"
    assert vocabulary.licence_url("GPL-3.0") is None
    assert vocabulary.resource_type_name("poem", "kk") == "poem"
    assert vocabulary.field_name("colour", "en") == "colour"
    with pytest.raises(KeyError):
        Names("а", "б", "c").get("de")


def test_licences_have_their_names_and_addresses() -> None:
    assert LICENCE_IDS[0] == vocabulary.DEFAULT_LICENCE == "CC-BY-4.0"
    for licence_id, licence in LICENCES.items():
        assert licence.id == licence_id
        if licence_id.startswith("CC-"):
            code = licence_id[3:-4].lower()
            assert licence.url == f"https://creativecommons.org/licenses/{code}/4.0/"
        assert re.search("[а-яәіңғүұқөһ]", licence.names.kk), licence_id
        assert re.search("[а-я]", licence.names.ru), licence_id
    assert vocabulary.licence_url("CC0-1.0") == "https://creativecommons.org/publicdomain/zero/1.0/"
    # The web had no link for it and OAI-PMH the Public Domain Mark: the mark it is.
    assert vocabulary.licence_url("public-domain") == (
        "https://creativecommons.org/publicdomain/mark/1.0/"
    )
    assert vocabulary.licence_url("all-rights-reserved") is None
    assert vocabulary.UNRESTRICTED_LICENCES <= set(LICENCE_IDS)


def test_metadata_fields_are_the_author_s_and_the_package_s() -> None:
    from catalogue.models import ResourceVersion

    assert set(vocabulary.AUTHOR_FIELDS) | vocabulary.PACKAGE_FIELDS == set(METADATA_FIELDS)
    assert not set(vocabulary.AUTHOR_FIELDS) & vocabulary.PACKAGE_FIELDS
    columns = set(ResourceVersion.__table__.columns.keys())
    assert set(METADATA_FIELDS) <= columns


# ---- lists still kept elsewhere say the same ----------------------------------------------


def test_the_catalogue_s_own_lists_agree() -> None:
    from catalogue import i18n
    from catalogue.api.openapi import METADATA_FIELDS as SCHEMA
    from catalogue.models import LICENSES, ResourceType
    from catalogue.services.resources import METADATA_FIELDS as AUTHOR_FIELDS

    assert LICENSES == LICENCE_IDS
    assert [kind.value for kind in ResourceType] == list(RESOURCE_TYPES)
    assert SCHEMA["language"]["enum"] == list(LANGUAGES)
    assert SCHEMA["license"]["enum"] == list(LICENCE_IDS)
    assert SCHEMA["resource_type"]["enum"] == list(RESOURCE_TYPES)
    grades = SCHEMA["grades"]["items"]
    assert (grades["minimum"], grades["maximum"]) == (GRADES[0], GRADES[-1])
    assert set(SCHEMA) == set(AUTHOR_FIELDS)
    assert i18n.LOCALES == LANGUAGES and i18n.LANGUAGE_NAMES == vocabulary.ENDONYMS


def test_the_builder_s_own_lists_agree() -> None:
    from scorm_builder.model import LANGUAGES as MODEL_LANGUAGES
    from scorm_builder.model import LICENSES as MODEL_LICENSES
    from scorm_builder.validate.messages import LANGUAGES as MESSAGE_LANGUAGES
    from scorm_builder.writers.common import license_text

    assert MODEL_LANGUAGES == MESSAGE_LANGUAGES == LANGUAGES
    assert MODEL_LICENSES == LICENCE_IDS
    for licence_id in ("CC-BY-SA-4.0", "CC0-1.0"):
        url = vocabulary.licence_url(licence_id)
        assert url is not None and url in license_text(licence_id)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_package_s_lom_names_grades_as_the_vocabulary_does(language: str) -> None:
    from scorm_builder.model import Metadata
    from scorm_builder.writers.lom import ieee_lom

    metadata = Metadata(identifier="x", title="t", language=language, grades=(7, 12))  # type: ignore[arg-type]
    entries = [element.text for element in ieee_lom(metadata).iter() if _local(element) == "string"]
    assert grade_name(7, language) in entries and grade_name(12, language) in entries


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def test_the_benchmarks_draw_from_the_vocabulary() -> None:
    import bench.catalogue
    import bench.sync

    assert set(bench.catalogue.TOPICS) <= set(SUBJECTS)
    assert set(bench.catalogue.KEYWORDS) == set(bench.catalogue.TOPICS)
    assert set(bench.catalogue.LICENSES) <= set(LICENCE_IDS)
    assert bench.catalogue.TYPES == list(RESOURCE_TYPES)
    assert set(bench.sync.SUBJECTS) <= set(SUBJECTS)
    for _resource, version in bench.catalogue.generate(200, owner_id=1):
        assert set(version["grades"]) <= set(GRADES)
        assert version["language"] in LANGUAGES


# ---- no copy comes back --------------------------------------------------------------------

#: Where the tree may keep the vocabulary's words, and why: each (file, kind) of copy.
KNOWN_COPIES: dict[tuple[str, str], str] = {
    # The Moodle plugin is PHP: tests/lms_sync/test_moodle_plugins.py checks these against
    # the module.
    ("lms_sync/moodle_plugins/repository_sandyq/lib.php", "subject keys"): "PHP, checked",
    **{
        (
            f"lms_sync/moodle_plugins/repository_sandyq/lang/{lang}/repository_sandyq.php",
            kind,
        ): "PHP"
        for lang in LANGUAGES
        for kind in ("subject names", "grade words")
    },
    # Per-subject benchmark data (topics, keywords) and the licences teachers pick most:
    # checked above to be the vocabulary's keys.
    ("bench/catalogue.py", "subject keys"): "keys of per-subject data",
    ("bench/catalogue.py", "licence ids"): "a subset, checked",
    # An enum the ORM and the code name member by member; checked above to agree.
    ("catalogue/domain.py", "resource types"): "ResourceType",
}
SCANNED = ("scorm_builder", "catalogue", "lms_sync", "bench", "tools")
SKIPPED = ("migrations", "npm", "__pycache__")
GRADE_WORDS = re.compile(
    r"(?:\{[^}]*\}|%\(grade\)s|\{\$a\})-сынып|(?:\{[^}]*\}|%\(grade\)s|\{\$a\}) класс"
    r"|Grade (?:\{|%\(grade\))|Pre-school year|\b0-сынып"
)
GRADE_RANGE = re.compile(
    r"range\(\s*[01]\s*,\s*1[23]\s*\)|\b[01]\s*<=\s*[\w.]+\s*<=\s*1[12]\b|\$grade\s*<=\s*1[12]\b"
)
LANGUAGE_LIST = re.compile(r"""[(\[]\s*["']kk["']\s*,\s*["']ru["']\s*,\s*["']en["']\s*[)\]]""")


def _all(names: Names) -> tuple[str, str, str]:
    return (names.kk, names.ru, names.en)


#: Words that are languages' names too ("Қазақ тілі" is a subject and a language).
LANGUAGE_WORDS = {
    word for names in vocabulary.LANGUAGE_NAMES.values() for word in _all(names)
} | set(vocabulary.ENDONYMS.values())


def _quoted(text: str, word: str) -> bool:
    return re.search(rf"""(?<![\w-])["']{re.escape(word)}["'](?!\w)""", text) is not None


def copies_in(text: str) -> dict[str, int]:
    """The kinds of vocabulary copy ``text`` holds, each with the line it starts on."""
    found: dict[str, int] = {}

    def line_of(word: str) -> int:
        at = re.search(rf"""["']{re.escape(word)}["']""", text)
        return text.count("\n", 0, at.start()) + 1 if at else 1

    named = [
        next(word for word in _all(names) if word not in LANGUAGE_WORDS and _quoted(text, word))
        for names in SUBJECTS.values()
        if any(word not in LANGUAGE_WORDS and _quoted(text, word) for word in _all(names))
    ]
    if len(named) >= 3:
        found["subject names"] = line_of(named[0])
    keys = [key for key in SUBJECTS if _quoted(text, key)]
    if len(keys) >= 5:
        found["subject keys"] = line_of(keys[0])
    licences = [licence for licence in LICENCE_IDS if _quoted(text, licence)]
    if len(licences) >= 3:
        found["licence ids"] = line_of(licences[0])
    if _quoted(text, "video_lecture") and _quoted(text, "virtual_lab"):
        found["resource types"] = line_of("video_lecture")
    for kind, pattern in (
        ("grade words", GRADE_WORDS),
        ("grade range", GRADE_RANGE),
        ("language list", LANGUAGE_LIST),
        ("licence addresses", re.compile(r"creativecommons\.org/(?:licenses|publicdomain)")),
    ):
        match = pattern.search(text)
        if match:
            found[kind] = text.count("\n", 0, match.start()) + 1
    return found


def test_the_scan_finds_each_kind_of_copy() -> None:
    grades = 'GRADES = range(1, 12)\nWORD = {"kk": "{grade}-сынып", "en": "Grade {grade}"}\n'
    subjects = 'SUBJECTS = {"physics": ("Физика",), "x": ("Химия",), "y": ("Биология",)}\n'
    keys = "const SUBJECTS = ['physics', 'chemistry', 'biology', 'algebra', 'geometry'];\n"
    others = (
        'L = ("CC-BY-4.0", "CC0-1.0", "public-domain")\nT = ["video_lecture", "virtual_lab"]\n'
        'LANGS = ("kk", "ru", "en")\nURL = "https://creativecommons.org/licenses/by/4.0/"\n'
        'if (0 <= grade <= 12) {}\nlabel = _("Pre-school year")\n'
    )
    assert set(copies_in(grades + subjects + keys + others)) == {
        "grade words",
        "grade range",
        "subject names",
        "subject keys",
        "licence ids",
        "resource types",
        "language list",
        "licence addresses",
    }
    assert copies_in(grades)["grade range"] == 1 and copies_in(grades)["grade words"] == 2
    assert copies_in("from scorm_builder.vocabulary import SUBJECTS, grade_name\n") == {}


def test_no_file_keeps_its_own_copy_of_the_vocabulary() -> None:
    found, seen = [], set()
    for root in SCANNED:
        for path in sorted((REPO / root).rglob("*")):
            if path.suffix not in {".py", ".php", ".html", ".js"} or path == MODULE:
                continue
            if any(part in SKIPPED for part in path.parts) or not path.is_file():
                continue
            relative = path.relative_to(REPO).as_posix()
            text = path.read_text(encoding="utf-8", errors="replace")
            for kind, line in copies_in(text).items():
                seen.add((relative, kind))
                if (relative, kind) not in KNOWN_COPIES:
                    found.append(f"{relative}:{line}: {kind}")
    assert not found, (
        "these files keep their own copy of the vocabulary; import scorm_builder.vocabulary "
        "instead: " + "; ".join(found)
    )
    # The allow-list only shrinks: a copy that is gone leaves it.
    assert set(KNOWN_COPIES) <= seen, sorted(set(KNOWN_COPIES) - seen)
