"""The message catalogue: every rule speaks Kazakh, Russian and English with the same values."""

from __future__ import annotations

import string

import pytest

from scorm_builder.validate import SEVERITIES
from scorm_builder.validate.messages import CATALOGUE, LANGUAGES, UI, default_language

#: һ is rare in Kazakh (loanwords), so it is not required.
KAZAKH_LETTERS = set("әғқңөұүі")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_catalogue_has_exactly_the_rules() -> None:
    assert set(CATALOGUE) == set(SEVERITIES)


@pytest.mark.parametrize("rule", sorted(CATALOGUE))
def test_every_rule_has_three_languages_with_the_same_placeholders(rule: str) -> None:
    texts = CATALOGUE[rule]
    assert set(texts) == set(LANGUAGES)
    english = texts["en"]
    for lang in LANGUAGES:
        message, hint = texts[lang]
        assert message.strip() and hint.strip()
        assert _placeholders(message) | _placeholders(hint) == _placeholders(
            english.message
        ) | _placeholders(english.hint), lang


def test_kazakh_texts_are_written_in_kazakh() -> None:
    written = "".join(t["kk"].message + t["kk"].hint for t in CATALOGUE.values())
    assert KAZAKH_LETTERS <= set(written)


@pytest.mark.parametrize("key", sorted(UI))
def test_every_ui_word_has_three_languages(key: str) -> None:
    assert set(UI[key]) == set(LANGUAGES)
    placeholders = {_placeholders(UI[key][lang]).__repr__() for lang in LANGUAGES}
    assert len(placeholders) == 1


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "kk"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "kk_KZ.UTF-8"}, "kk"),
        ({"LANG": "de_DE.UTF-8"}, "kk"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),
        ({"LC_MESSAGES": "ru_KZ.UTF-8", "LANG": "en_US.UTF-8"}, "ru"),
    ],
)
def test_the_default_language_comes_from_the_locale(environ: dict[str, str], expected: str) -> None:
    assert default_language(environ) == expected
