"""The server-drawn SVG charts: well-formed, accessible, proportional, and safe with any
label (subject codes and titles come from users)."""

from __future__ import annotations

import pytest
from lxml import etree

from catalogue.web.common.charts import Bar, bar_chart, column_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> etree._Element:
    """The chart as XML: a chart that is not well-formed fails here."""
    return etree.fromstring(markup.encode())


def marks(svg: etree._Element) -> list[etree._Element]:
    return svg.findall(f".//{SVG}rect[@class='chart-mark']")


def texts(svg: etree._Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def test_bar_lengths_are_proportional_to_the_values() -> None:
    bars = [Bar("Физика", 10), Bar("Математика", 5), Bar("Химия", 2.5)]

    svg = parse(bar_chart(bars, chart_id="c", title="Пәндер"))

    widths = [float(rect.get("width", "0")) for rect in marks(svg)]
    assert len(widths) == 3
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.1)
    assert widths[1] == pytest.approx(2 * widths[2], abs=0.1)
    assert widths[0] <= float(svg.get("viewBox", "").split()[2])


def test_column_heights_are_proportional_and_stand_on_one_baseline() -> None:
    columns = [Bar("қаң.", 4, "2026"), Bar("ақп.", 8, "2026"), Bar("нау.", 2, "2026")]

    svg = parse(column_chart(columns, chart_id="d", title="Жүктеулер"))

    rects = marks(svg)
    heights = [float(r.get("height", "0")) for r in rects]
    bottoms = {round(float(r.get("y", "0")) + float(r.get("height", "0")), 1) for r in rects}
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.1)
    assert heights[0] == pytest.approx(2 * heights[2], abs=0.1)
    assert len(bottoms) == 1


def test_the_chart_is_an_image_named_by_its_title_and_described() -> None:
    svg = parse(
        bar_chart([Bar("Жарияланған", 3)], chart_id="states", title="Күйлер", description="Сипат")
    )

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "states-title"
    assert svg.get("aria-describedby") == "states-desc"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "states-title" and title.text == "Күйлер"
    assert desc is not None and desc.get("id") == "states-desc" and desc.text == "Сипат"
    assert svg.get("style") is None and not svg.xpath("//*[@style]")


def test_labels_are_escaped() -> None:
    hostile = '<script>alert("x")</script> & "қ"'

    markup = str(bar_chart([Bar(hostile, 1)], chart_id="x", title="<b>title</b>"))

    assert "<script>" not in markup and "<b>" not in markup
    svg = parse(markup)
    assert hostile in texts(svg)
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == "<b>title</b>"


def test_kazakh_labels_survive() -> None:
    words = "Әдебиеттік оқу, ғылым, құқық, өнер, ұлт, үй, һ, ің"

    markup = column_chart(
        [Bar("қаң.", 1, "2026")], chart_id="k", title=words, unit="жүктеу", description=words
    )

    svg = parse(markup)
    assert words in markup
    assert "қаң." in texts(svg) and "жүктеу" in texts(svg)


def test_a_long_label_wraps_onto_two_lines_and_is_kept_whole_in_its_tooltip() -> None:
    long_label = "Қазақ тілі мен әдебиеті " * 6

    svg = parse(bar_chart([Bar(long_label, 7)], chart_id="l", title="t"))

    lines = [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert len(lines) == 2
    assert lines[0].startswith("Қазақ тілі мен") and lines[1].endswith("…")
    assert len(" ".join(lines)) < len(long_label)
    tooltips = [t.text or "" for t in svg.iter(f"{SVG}title")]
    assert f"{long_label.strip()}: 7" in tooltips or f"{long_label}: 7" in tooltips


def test_a_short_label_stays_on_one_line() -> None:
    svg = parse(bar_chart([Bar("Физика", 1), Bar("Химия", 2)], chart_id="s", title="t"))

    lines = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert lines == ["Физика", "Химия"]


def test_wide_values_are_left_to_the_table() -> None:
    columns = [Bar(f"{m}", 1_000_000 * m) for m in range(1, 13)]

    svg = parse(column_chart(columns, chart_id="w", title="t", number=lambda v: f"{v:,.0f}"))

    assert "12,000,000" not in texts(svg)
    assert [t for t in texts(svg) if t in {str(m) for m in range(1, 13)}] == [
        str(m) for m in range(1, 13)
    ]


def test_numbers_use_the_formatter_given() -> None:
    svg = parse(
        bar_chart(
            [Bar("Қарау", 2.5)],
            chart_id="n",
            title="t",
            number=lambda v: f"{v:.1f}".replace(".", ","),
        )
    )
    assert "2,5" in texts(svg)


def test_all_zero_values_draw_no_bars_and_divide_by_nothing() -> None:
    bars = [Bar("Жоба", 0), Bar("Жарияланған", 0)]

    horizontal = parse(bar_chart(bars, chart_id="z", title="t"))
    vertical = parse(column_chart(bars, chart_id="v", title="t"))

    assert marks(horizontal) == [] and marks(vertical) == []
    assert texts(horizontal).count("0") == 2


@pytest.mark.parametrize("chart", [bar_chart, column_chart])
def test_no_data_gives_no_chart(chart: object) -> None:
    assert callable(chart)
    assert str(chart([], chart_id="e", title="t")) == ""


def test_many_months_label_only_some_columns() -> None:
    columns = [Bar(f"m{i}", i, str(2024 + i // 12)) for i in range(36)]

    svg = parse(column_chart(columns, chart_id="m", title="t"))

    labels = [t for t in texts(svg) if t.startswith("m")]
    assert labels == [f"m{i}" for i in range(0, 36, 3)]
    assert [t for t in texts(svg) if t.startswith("202")] == ["2024", "2025", "2026"]


@pytest.mark.parametrize(
    ("top", "whole", "expected"),
    [
        (0, True, [0, 1]),
        (3, True, [0, 1, 2, 3]),
        (7, True, [0, 2, 4, 6, 8]),
        (100, True, [0, 20, 40, 60, 80, 100]),
        (1234, True, [0, 500, 1000, 1500]),
        (0.8, False, [0, 0.2, 0.4, 0.6, 0.8]),
        (0.8, True, [0, 1]),
    ],
)
def test_ticks_are_round_and_reach_the_top(top: float, whole: bool, expected: list[float]) -> None:
    assert nice_ticks(top, whole=whole) == expected
