"""Charts drawn on the server as SVG, so the statistics page needs no script, no library and
nothing from a CDN, and still reads the same with JavaScript off.

The functions here are pure: numbers and already translated words in, markup out. Every
word is escaped (subject codes and titles come from users). The page's Content-Security-Policy
forbids ``style`` attributes, so colours and sizes are SVG presentation attributes (which a
stylesheet may still override, e.g. in forced-colours mode through the ``chart-*`` classes).
Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>``; the page puts a table with the same numbers next to it, since a picture of bars
is no use to a screen reader or to someone who wants the exact figure.

Sizes are in viewBox units; the SVG scales to the width it is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Okabe-Ito blue and bluish green: told apart by colour-blind readers, and both at least
#: 3:1 against white (WCAG 1.4.11 for graphics); words are never drawn on them.
BLUE = "#0072b2"
GREEN = "#007a5a"
INK = "#1b2430"
MUTED = "#4a5563"
GRID = "#d5dbe3"

#: The width of a column chart (twelve months side by side); bar charts put their labels
#: above the bars and need less, so they shrink less on a phone.
WIDTH = 600
BAR_WIDTH = 360
FONT = 16
SMALL = 13
#: A rough width of one character as a share of the font size, for fitting labels; SVG
#: text cannot be measured on the server.
CHAR_WIDTH = 0.6

NumberFormat = Callable[[float], str]


@dataclass(frozen=True)
class Bar:
    """One bar or column: what it is, how much, and an optional second line (the year
    under a month); a note equal to the previous column's is left out."""

    label: str
    value: float
    note: str = ""
    #: Shown instead of the value when there is none to show yet (a stage never completed).
    missing: str = ""


def plain_number(value: float) -> str:
    """Whole numbers without ``.0``; the page passes a locale's formatter instead."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def nice_ticks(top: float, *, count: int = 5, whole: bool = True) -> list[float]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least ``top``: an axis
    that reads 0, 20, 40 rather than 0, 17.4, 34.8. ``whole`` keeps steps of counts at
    1 or more."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    steps = math.ceil(round(top / step, 9))
    return [round(i * step, 9) for i in range(steps + 1)]


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str = "",
    unit: str = "",
    number: NumberFormat = plain_number,
    fill: str = BLUE,
) -> Markup:
    """Horizontal bars, each with its label above it (on up to two lines, so long Kazakh
    subject names need no guessed label column) and its value at its end, followed by
    ``unit`` when given; a bar with no value shows its ``missing`` text instead.

    Bar lengths are proportional to the values, the longest bar being the largest value.
    No bars give empty markup: the page says there is nothing to show instead.
    """
    if not bars:
        return Markup("")
    value_room = 72
    plot = BAR_WIDTH - 8 - value_room
    top = max((b.value for b in bars), default=0.0)
    line, bar_height, gap = round(FONT * 1.25), 20, 12
    parts: list[str] = []
    y = 8
    for bar in bars:
        length = plot * bar.value / top if top > 0 else 0.0
        parts.append(f'<g class="chart-item"><title>{escape(_labelled(bar, number))}</title>')
        lines = _wrap(bar.label, BAR_WIDTH - 16, FONT, most_lines=2)
        for index, words in enumerate(lines):
            parts.append(_text(words, 8, y + FONT + index * line, size=FONT, cls="chart-label"))
        bar_top = y + len(lines) * line + 4
        if length > 0:
            parts.append(
                f'<rect class="chart-mark" x="8" y="{_n(bar_top)}" width="{_n(length)}" '
                f'height="{bar_height}" fill="{escape(fill)}"/>'
            )
        value = bar.missing or (f"{number(bar.value)} {unit}" if unit else number(bar.value))
        parts.append(
            _text(value, 8 + length + 6, bar_top + 15, size=FONT, cls="chart-value", weight="600")
        )
        parts.append("</g>")
        y = bar_top + bar_height + gap
    head = _open(chart_id, BAR_WIDTH, y, title, description)
    return Markup(head + "".join(parts) + "</svg>")


def column_chart(
    columns: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str = "",
    unit: str = "",
    number: NumberFormat = plain_number,
    fill: str = GREEN,
    whole: bool = True,
) -> Markup:
    """Vertical columns over time (months), on a value axis with round ticks and grid
    lines; ``unit`` names the axis. When labels would overlap, only every n-th column is
    labelled, and values too wide for a column are left to the table. No columns give
    empty markup."""
    if not columns:
        return Markup("")
    left, right, top_margin, bottom = 56, 8, 32, 48
    plot_height = 220
    height = top_margin + plot_height + bottom
    plot_width = WIDTH - left - right
    ticks = nice_ticks(max((c.value for c in columns), default=0.0), whole=whole)
    scale_top = ticks[-1]
    baseline = top_margin + plot_height
    slot = plot_width / len(columns)
    widest = max(len(c.label) for c in columns) * SMALL * CHAR_WIDTH
    every = max(math.ceil(len(columns) / 12), math.ceil((widest + 4) / slot))
    values = [number(c.value) for c in columns]
    show_values = every == 1 and max(len(v) for v in values) * SMALL * CHAR_WIDTH <= slot

    def y_of(value: float) -> float:
        return baseline - plot_height * value / scale_top

    parts = [_open(chart_id, WIDTH, height, title, description)]
    if unit:
        parts.append(_text(unit, 0, 14, size=SMALL, cls="chart-axis", fill=MUTED))
    parts.append('<g class="chart-grid">')
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{GRID if tick else MUTED}" stroke-width="1"/>'
        )
        parts.append(
            _text(number(tick), left - 6, y + 4, size=SMALL, anchor="end", cls="chart-axis")
        )
    parts.append("</g>")
    last_note = ""
    for index, column in enumerate(columns):
        centre = left + slot * (index + 0.5)
        width = slot * 0.6
        y = y_of(column.value)
        parts.append(f'<g class="chart-item"><title>{escape(_labelled(column, number))}</title>')
        if column.value > 0:
            parts.append(
                f'<rect class="chart-mark" x="{_n(centre - width / 2)}" y="{_n(y)}" '
                f'width="{_n(width)}" height="{_n(baseline - y)}" fill="{escape(fill)}"/>'
            )
        if show_values:
            parts.append(
                _text(values[index], centre, y - 6, size=SMALL, anchor="middle", weight="600")
            )
        if index % every == 0:
            room = slot * every - 4
            parts.append(
                _text(
                    _fit(column.label, room, SMALL),
                    centre,
                    baseline + 18,
                    size=SMALL,
                    anchor="middle",
                    cls="chart-label",
                )
            )
            if column.note and column.note != last_note:
                parts.append(
                    _text(
                        _fit(column.note, room, SMALL),
                        centre,
                        baseline + 36,
                        size=SMALL,
                        anchor="middle",
                        cls="chart-axis",
                        fill=MUTED,
                    )
                )
                last_note = column.note
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


# ---- pieces --------------------------------------------------------------------------


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    ident = escape(chart_id)
    described = f' aria-describedby="{ident}-desc"' if description else ""
    desc = f'<desc id="{ident}-desc">{escape(description)}</desc>' if description else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title"{described} font-size="{FONT}" fill="{INK}">'
        f'<title id="{ident}-title">{escape(title)}</title>{desc}'
    )


def _text(
    words: str,
    x: float,
    y: float,
    *,
    size: int,
    anchor: str = "start",
    cls: str = "chart-value",
    fill: str = INK,
    weight: str = "",
) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text class="{cls}" x="{_n(x)}" y="{_n(y)}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}"{bold}>{escape(words)}</text>'
    )


def _labelled(bar: Bar, number: NumberFormat) -> str:
    """The tooltip of a bar: its whole label (the drawn one may be shortened) and value."""
    label = f"{bar.label} {bar.note}" if bar.note else bar.label
    return f"{label}: {bar.missing or number(bar.value)}"


def _wrap(words: str, room: float, size: int, *, most_lines: int) -> list[str]:
    """``words`` broken at spaces into lines of about ``room`` units at ``size``; a word
    longer than a line is cut, and what does not fit in ``most_lines`` ends in an ellipsis."""
    most = max(2, int(room / (size * CHAR_WIDTH)))
    lines: list[str] = []
    current = ""
    for word in words.split():
        while len(word) > most:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:most])
            word = word[most:]
        if current and len(current) + 1 + len(word) > most:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current or not lines:
        lines.append(current)
    if len(lines) > most_lines:
        lines = lines[:most_lines]
        lines[-1] = lines[-1][: most - 1].rstrip() + "…"
    return lines


def _fit(words: str, room: float, size: int) -> str:
    """``words`` shortened with an ellipsis to about ``room`` units at ``size``."""
    most = max(1, int(room / (size * CHAR_WIDTH)))
    return words if len(words) <= most else words[: most - 1].rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate with at most one decimal, for short markup."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
