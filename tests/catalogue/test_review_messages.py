"""The review's letters in Kazakh, Russian and English: every template fills in every
language, every state has a name in each, and an unknown language falls back to Kazakh."""

from __future__ import annotations

import pytest

from catalogue.models import State
from catalogue.services.review.messages import (
    LOCALES,
    STATE_NAMES,
    TEMPLATES,
    compose,
    locale_of,
    phrase,
)

FIELDS = {
    "title": "Ньютон заңдары",
    "version": 2,
    "due": "2025-05-20",
    "state": "мақұлданды",
    "count": 2,
    "reviewer": "Бекзат Сарапшы",
    "reason": "Себеп",
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", [k for k, t in TEMPLATES.items() if t["kk"][0]])
def test_every_letter_fills_in_every_language(kind: str, locale: str) -> None:
    letter = compose(kind, locale, name="Әлия", link="https://sandyq.kz/resources/x", **FIELDS)

    assert "{" not in letter.subject + letter.body and "Ньютон заңдары" in letter.subject
    assert letter.body.splitlines()[0] in (
        "Сәлеметсіз бе, Әлия!",
        "Здравствуйте, Әлия!",
        "Hello Әлия,",
    )
    assert "https://sandyq.kz/resources/x" in letter.body
    assert "\n\n\n" not in letter.body


def test_a_letter_without_a_reason_has_no_reason_line() -> None:
    fields = {**FIELDS, "reason": "", "state": STATE_NAMES[State.PUBLISHED]["kk"]}
    letter = compose("state_changed", "kk", name="Әлия", link="/resources/x", **fields)

    assert "Себебі" not in letter.body
    assert letter.subject == "«Ньютон заңдары»: жарияланды"


def test_extra_phrases_and_state_names_exist_in_every_language() -> None:
    for locale in LOCALES:
        assert "2025-05-20" in phrase("revision_due", locale, due="2025-05-20")
        assert phrase("revised", locale)
        assert all(STATE_NAMES[state][locale] for state in State)


def test_an_unknown_language_falls_back_to_kazakh() -> None:
    assert locale_of("de") == locale_of(None) == "kk"
    letter = compose("review_overdue", "de", name="X", link="/r", **FIELDS)
    assert letter.subject.startswith("Еске салу")
