"""GIFT's text formats (``[html]``, ``[markdown]``, ``[plain]``, ``[moodle]``) turned into HTML.

Every text of a question ends up as HTML the player can insert as it is. ``moodle``, the
GIFT default, is treated like ``plain``: special characters are escaped and line breaks
kept, so a stray ``<`` in a physics formula cannot break the page. Write ``[html]`` to use
markup.
"""

from __future__ import annotations

import html
import re
from typing import Literal

import markdown

TextFormat = Literal["moodle", "html", "plain", "markdown"]
FORMATS: tuple[TextFormat, ...] = ("moodle", "html", "plain", "markdown")
_PREFIX = re.compile(r"^\[(moodle|html|plain|markdown)\]")
_ONE_PARAGRAPH = re.compile(r"^<p>((?:(?!<p>).)*)</p>$", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def split_format(text: str) -> tuple[TextFormat | None, str]:
    """``("markdown", "rest")`` for ``"[markdown]rest"``; ``(None, text)`` without a prefix.

    As in Moodle, an unknown ``[word]`` at the start is ordinary text.
    """
    match = _PREFIX.match(text)
    if match is None:
        return None, text
    name = match.group(1)
    fmt = next(candidate for candidate in FORMATS if candidate == name)
    return fmt, text[match.end() :]


def to_html(text: str, fmt: TextFormat, *, inline: bool = False) -> str:
    """HTML for ``text`` written in ``fmt``; ``inline`` drops Markdown's lone ``<p>`` wrapper
    (for choices and feedback, which sit inside a line)."""
    text = text.strip()
    if fmt == "html":
        return text
    if fmt == "markdown":
        rendered = markdown.markdown(text).strip()
        match = _ONE_PARAGRAPH.match(rendered) if inline else None
        return match.group(1) if match else rendered
    return "<br>".join(html.escape(line.strip(), quote=False) for line in text.split("\n"))


def escape_text(text: str) -> str:
    """Plain text made safe to put inside HTML."""
    return html.escape(text.strip(), quote=False)


def plain_words(text: str, count: int = 4) -> str:
    """The first words of a text, tags and format prefix removed, for messages."""
    _, text = split_format(text.strip())
    words = html.unescape(_TAG.sub(" ", text)).split()
    shown = " ".join(words[:count])
    if len(shown) > 60:
        shown = shown[:60].rstrip()
        return shown + " ..."
    return shown + (" ..." if len(words) > count else "")
