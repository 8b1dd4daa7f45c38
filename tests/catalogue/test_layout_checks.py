"""The layout checks of tests/support/layout.py catch what they are meant to: each on a tiny
page built to break it, and none on a page that holds at a phone's width and a laptop's."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.support.layout import assert_layout_holds, layout_problems

pytestmark = pytest.mark.browser

PHONE = ViewportSize(width=390, height=844)
LAPTOP = ViewportSize(width=1280, height=800)

STYLE = """
* { box-sizing: border-box; }
body { margin: 0; padding: 0 1rem; font: 16px/1.5 "DejaVu Sans", sans-serif; }
.skip-link { position: absolute; left: -999px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.table-scroll { overflow-x: auto; }
.check { display: flex; gap: .5rem; align-items: baseline; }
.check input { flex: none; margin: 0; }
"""

#: A Kazakh word long enough to break in a narrow cell (and no longer than LONG_WORD).
WORD = "Нәтижелерінің"


def show(page: Page, body: str, size: ViewportSize = PHONE) -> list[str]:
    page.set_viewport_size(size)
    page.set_content(f"<!doctype html><html lang=kk><style>{STYLE}</style><body>{body}")
    return layout_problems(page)


GOOD = f"""
<a class="skip-link" href="#main">Мазмұнға өту</a>
<main id="main">
  <h1>Ньютонның екінші заңы: {WORD} кестесі</h1>
  <label class="visually-hidden" for="q">Іздеу</label><input id="q" type="search">
  <div class="check">
    <input type="checkbox" id="c1">
    <label for="c1">Мен бұл материалға құқық иесімін немесе оны таңдалған лицензиямен
      бөлісуге рұқсатым бар, бұл жолдың соңына дейін ұзақ мәтін.</label>
  </div>
  <p><label><input type="radio" name="r"> Иә, орындалған</label></p>
  <div class="table-scroll"><table><tr>
    {"".join(f"<td>{WORD}</td>" for _ in range(8))}
  </tr></table></div>
  <p style="overflow-wrap: break-word">https://sandyq.example.kz/resources/0b6f8a54-3c1e-4a57-9d8e-2f1e6c0d9a11/versions/1</p>
  <p style="width: 6rem">кітап-дәптер оқу-әдістемелік</p>
</main>
"""


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_page_that_holds_has_no_problem(page: Page, size: ViewportSize) -> None:
    assert show(page, GOOD, size) == []
    assert_layout_holds(page, "the good page")


def test_sideways_scroll_and_a_box_wider_than_the_viewport(page: Page) -> None:
    problems = show(page, '<div id="banner" style="width: 600px">Кең жолақ</div>')
    assert any(p.startswith("sideways scroll: the document is") for p in problems), problems
    assert any(p.startswith("too wide: div#banner") for p in problems), problems
    with pytest.raises(AssertionError, match="too wide: div#banner"):
        assert_layout_holds(page, "the wide page")


def test_a_box_cut_off_without_sideways_scroll(page: Page) -> None:
    """A page that hides its overflow does not scroll, but what sticks out is lost."""
    problems = show(
        page, '<div style="overflow: hidden"><p id="cut" style="width: 500px">Кесілген</p></div>'
    )
    assert [p for p in problems if p.startswith("too wide")] == [
        'too wide: p#cut spans 16–516 px of a 390 px window: "Кесілген"'
    ]
    assert not any(p.startswith("sideways") for p in problems)


def test_text_sticking_out_of_its_box(page: Page) -> None:
    address = "https://sandyq.example.kz/resources/0b6f8a54-3c1e-4a57-9d8e-2f1e6c0d9a11"
    problems = show(page, f'<p id="link">{address}</p>')
    assert any(
        p.startswith('text too wide: "https://sandyq.example.kz/') and " in p#link spans " in p
        for p in problems
    ), problems
    assert show(page, f'<p style="overflow-wrap: break-word">{address}</p>') == []


def test_a_wide_table_scrolls_only_in_its_own_box(page: Page) -> None:
    cells = "".join(f"<td>{WORD}</td>" for _ in range(8))
    assert show(page, f'<div class="table-scroll"><table><tr>{cells}</tr></table></div>') == []
    problems = show(page, f'<table id="t"><tr>{cells}</tr></table>')
    assert any(p.startswith("too wide: table#t") for p in problems), problems


def test_the_skip_link_and_hidden_labels_may_sit_off_screen(page: Page) -> None:
    hidden = '<a class="skip-link" href="#x">Өту</a><span class="visually-hidden">Жасырын</span>'
    assert show(page, hidden) == []
    problems = show(page, '<a id="lost" style="position: absolute; left: -999px">Өту</a>')
    assert any(p.startswith("too wide: a#lost spans -999") for p in problems), problems


@pytest.mark.parametrize(
    "body",
    [
        '<input type="checkbox" id="c"><label for="c" style="display: block">{text}</label>',
        '<div style="display: flex; flex-wrap: wrap"><input type="radio" id="c">'
        '<label for="c">{text}</label></div>',
        '<label><input type="checkbox" id="c"><span style="display: block">{text}</span></label>',
    ],
    ids=["block-label", "wrapped-flex-row", "parent-label"],
)
def test_a_label_pushed_below_its_control(page: Page, body: str) -> None:
    text = "Мен бұл материалға құқық иесімін немесе оны бөлісуге рұқсатым бар."
    problems = show(page, body.format(text=text))
    assert any(p.startswith("label off its control's line: input#c") for p in problems), problems


def test_a_label_far_from_its_control(page: Page) -> None:
    body = (
        '<div style="display: flex; justify-content: space-between"><input type="checkbox" id="c">'
        '<label for="c">Иә</label></div>'
    )
    problems = show(page, body)
    assert any(p.startswith("label far from its control: input#c") for p in problems), problems


@pytest.mark.parametrize("rule", ["word-break: break-all", "overflow-wrap: anywhere"])
def test_a_word_broken_inside_a_narrow_cell(page: Page, rule: str) -> None:
    body = (
        f'<table style="width: 8rem"><tr><th id="h" style="{rule}">{WORD}</th>'
        f'<td style="{rule}">Верс ия {WORD}</td></tr></table>'
    )
    problems = show(page, body)
    assert f'word broken across lines: "{WORD}" in th#h' in problems, problems
    assert any(p.startswith(f'word broken across lines: "{WORD}" in td') for p in problems)


def test_long_addresses_may_wrap(page: Page) -> None:
    address = "https://sandyq.example.kz/resources/0b6f8a54-3c1e"
    body = f'<p style="width: 8rem; overflow-wrap: anywhere">{address}</p>'
    assert show(page, body) == []
