"""Names in the visitor's language, in the order a Kazakh or Russian reader expects."""

from __future__ import annotations

import pytest
from flask import Flask

from catalogue.web.common.labels import (
    FIELD_NAMES,
    LANGUAGES,
    LICENSE_NAMES,
    LICENSE_URLS,
    RESOURCE_TYPES,
    alphabetical,
    grade_name,
    subject_name,
    subject_options,
)
from scorm_builder import vocabulary


def test_kazakh_letters_sort_where_the_alphabet_puts_them() -> None:
    names = ["Химия", "Қазақстан тарихы", "Алгебра", "Ағылшын тілі", "Қазақ тілі", "Информатика"]
    assert sorted(names, key=alphabetical) == [
        "Ағылшын тілі",
        "Алгебра",
        "Информатика",
        "Қазақ тілі",
        "Қазақстан тарихы",
        "Химия",
    ]


def test_russian_order_is_kept_and_latin_comes_after_cyrillic() -> None:
    names = ["Physics", "ёлка", "Ель", "Жук", "Биология"]
    assert sorted(names, key=alphabetical) == ["Биология", "Ель", "ёлка", "Жук", "Physics"]


@pytest.mark.parametrize("language", vocabulary.LANGUAGES)
def test_the_vocabulary_s_words_in_the_visitor_s_language(app: Flask, language: str) -> None:
    with app.test_request_context(headers={"Accept-Language": language}):
        assert grade_name(0) == vocabulary.PRE_SCHOOL_NAMES.get(language)  # not "Pre-school year"
        assert grade_name("7") == vocabulary.grade_name(7, language)
        assert subject_name("history_kz") == vocabulary.SUBJECTS["history_kz"].get(language)
        assert subject_name("astronomy") == "astronomy" and subject_name(None) == ""
        assert sorted(code for code, _name in subject_options()) == sorted(vocabulary.SUBJECTS)
        assert LANGUAGES["ru"] == vocabulary.LANGUAGE_NAMES["ru"].get(language)
        assert "de" not in LANGUAGES and LANGUAGES.get("de", "de") == "de"
        assert list(RESOURCE_TYPES) == list(vocabulary.RESOURCE_TYPES)
        assert RESOURCE_TYPES["video_lecture"] == vocabulary.RESOURCE_TYPES["video_lecture"].get(
            language
        )
        assert LICENSE_NAMES["CC0-1.0"] == vocabulary.LICENCES["CC0-1.0"].names.get(language)
        assert FIELD_NAMES["grades"] == vocabulary.METADATA_FIELDS["grades"].get(language)
    assert set(LICENSE_URLS) == set(vocabulary.LICENCE_IDS) - {"all-rights-reserved"}
