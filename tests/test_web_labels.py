"""Names in the visitor's language, in the order a Kazakh or Russian reader expects."""

from __future__ import annotations

from catalogue.web.labels import alphabetical


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
