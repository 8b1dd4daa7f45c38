"""Captions: SubRip (.srt) and WebVTT (.vtt) text into cues, and cues into WebVTT.

Parsed here rather than with webvtt-py because a teacher needs the line of a mistake and
webvtt-py reports none. Lenient where players are (BOM, CRLF, a missing cue number,
``,`` or ``.`` before the milliseconds, hours left out, overlapping or unordered cues,
SRT's ``<i>``/``<font>`` tags); strict where a cue would silently vanish or land at the
wrong time (a malformed timestamp, a cue that ends before it starts). The text of a cue
is kept plain (tags dropped, entities decoded) because the page shows it as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from scorm_builder.errors import SourceFileError
from scorm_builder.model import Cue

_TIMESTAMP = r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}(?:\s+(.*))?$")
_ARROW = re.compile(r"-->|->|—>|–>")
_VTT_TAG = re.compile(r"<[^>]*>")
_SRT_TAG = re.compile(
    r"</?(?:i|b|u|s|v|c|lang|ruby|rt|font)(?:[\s.][^>]*)?>|<\d+:\d+[^>]*>|\{\\[^}]*\}",
    re.IGNORECASE,
)
_TIMING_EXAMPLE = {
    "srt": "00:01:02,500 --> 00:01:05,000",
    "vtt": "00:01:02.500 --> 00:01:05.000",
}


def parse_captions(text: str, source: str) -> tuple[Cue, ...]:
    """Cues of an SRT or WebVTT text (told apart by the ``WEBVTT`` header), by start time.

    ``source`` names the file in errors, which carry the 1-based line of the mistake.
    """
    lines = _lines(text)
    if lines and lines[0].startswith("WEBVTT") and lines[0][6:7] in ("", " ", "\t"):
        cues = _parse_blocks(lines, source, "vtt", first=_skip_header(lines))
    elif lines and lines[0].strip().upper().startswith("WEBVTT"):
        raise SourceFileError(
            "the WebVTT header must be exactly 'WEBVTT' at the start of the first line",
            file=source,
            line=1,
            hint="write WEBVTT in capitals on the first line, then an empty line",
        )
    else:
        cues = _parse_blocks(lines, source, "srt", first=0)
    if not cues:
        raise SourceFileError(
            "the captions file has no cues",
            file=source,
            hint=f"each cue is a timing line such as '{_TIMING_EXAMPLE['srt']}' and its text",
        )
    return tuple(sorted(cues, key=lambda cue: cue.start))


def to_webvtt(cues: Iterable[Cue]) -> str:
    """A WebVTT file of ``cues``; text is escaped so it shows exactly as written."""
    blocks = ["WEBVTT\n"]
    for cue in cues:
        text = "\n".join(line for line in _escape(cue.text).split("\n") if line.strip())
        blocks.append(f"{format_timestamp(cue.start)} --> {format_timestamp(cue.end)}\n{text}\n")
    return "\n".join(blocks)


def format_timestamp(seconds: float) -> str:
    """``HH:MM:SS.mmm`` as WebVTT writes it."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def parse_time(value: str) -> float | None:
    """Seconds of ``[hh:]mm:ss[.mmm]``; None when it is not one."""
    match = re.fullmatch(_TIMESTAMP, value.strip())
    return _seconds(match.groups()) if match else None


# --- the parser ---------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _skip_header(lines: list[str]) -> int:
    """The index after the WebVTT header block (the header line and any lines up to a blank)."""
    index = 1
    while index < len(lines) and lines[index].strip():
        if "-->" in lines[index]:
            return index  # no blank line after the header: tolerate it
        index += 1
    return index


def _parse_blocks(lines: list[str], source: str, kind: str, first: int) -> list[Cue]:
    cues: list[Cue] = []
    index = first
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        end = index
        while end < len(lines) and lines[end].strip():
            end += 1
        cue = _parse_block(lines, index, end, source, kind)
        if cue is not None:
            cues.append(cue)
        index = end
    return cues


def _parse_block(lines: list[str], start: int, end: int, source: str, kind: str) -> Cue | None:
    block = lines[start:end]
    head = block[0].strip()
    if kind == "vtt" and (
        head.startswith("NOTE") and head[4:5] in ("", " ", "\t") or head in ("STYLE", "REGION")
    ):
        return None
    timing_at = 0
    if "-->" not in block[0]:
        if kind == "srt" and not head.isdigit():
            _raise_not_timing(head, source, start + 1, kind)
        timing_at = 1
        if len(block) < 2:
            raise SourceFileError(
                f"'{head}' is followed by no timing line",
                file=source,
                line=start + 1,
                hint=f"after a cue number comes a line such as '{_TIMING_EXAMPLE[kind]}'",
            )
        if "-->" not in block[1]:
            _raise_not_timing(block[1].strip(), source, start + 2, kind)
    line_number = start + timing_at + 1
    first, second = _timing(block[timing_at], source, line_number, kind)
    if second < first:
        raise SourceFileError(
            f"this cue ends ({format_timestamp(second)}) before it starts "
            f"({format_timestamp(first)})",
            file=source,
            line=line_number,
            hint="swap the two times or correct the end time",
        )
    if second == first:
        raise SourceFileError(
            f"this cue ends when it starts ({format_timestamp(first)}), so it never shows",
            file=source,
            line=line_number,
            hint="give the cue an end time after its start time",
        )
    text = "\n".join(_clean(line, kind) for line in block[timing_at + 1 :])
    text = "\n".join(line for line in text.split("\n") if line.strip())
    if not text:
        return None
    return Cue(start=first, end=second, text=text)


def _timing(line: str, source: str, line_number: int, kind: str) -> tuple[float, float]:
    match = _TIMING.match(line)
    if match is None:
        left, _, right = line.partition("-->")
        candidates = [left.strip(), (right.split() or [""])[0]]
        bad = next((part for part in candidates if parse_time(part) is None), line.strip())
        raise SourceFileError(
            f"malformed timestamp '{bad}' in the timing line '{line.strip()}'",
            file=source,
            line=line_number,
            hint=f"write times as '{_TIMING_EXAMPLE[kind]}' (hours:minutes:seconds"
            f"{',' if kind == 'srt' else '.'}milliseconds)",
        )
    groups = match.groups()
    first, second = _seconds(groups[0:4]), _seconds(groups[4:8])
    for value, parts in ((first, groups[0:4]), (second, groups[4:8])):
        if int(parts[1]) >= 60 or int(parts[2]) >= 60:
            raise SourceFileError(
                f"malformed timestamp '{format_timestamp(value)}' in '{line.strip()}': "
                "minutes and seconds go up to 59",
                file=source,
                line=line_number,
                hint=f"write times as '{_TIMING_EXAMPLE[kind]}'",
            )
    return first, second


def _raise_not_timing(text: str, source: str, line: int, kind: str) -> None:
    if _ARROW.search(text):
        message = f"'{text}' is not a timing line: the arrow must be '-->'"
    else:
        message = f"expected a cue number or a timing line, found '{text[:60]}'"
    raise SourceFileError(
        message,
        file=source,
        line=line,
        hint=f"each cue starts with a timing line such as '{_TIMING_EXAMPLE[kind]}'; "
        "cues are separated by one empty line",
    )


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, fraction = parts
    millis = int((fraction or "0").ljust(3, "0"))
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0) + millis / 1000


def _clean(line: str, kind: str) -> str:
    if kind == "vtt":
        return html.unescape(_VTT_TAG.sub("", line)).strip()
    return _SRT_TAG.sub("", line).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
