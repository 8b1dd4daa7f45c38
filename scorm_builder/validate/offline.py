"""Stage 6: offline readiness. A lesson must carry every byte it needs.

Schools on a slow or absent connection (and a package opened from a USB stick) break
when a page loads its script, stylesheet, font, picture, video or frame from the
internet. This stage scans the package's HTML, CSS and JavaScript for such loads; plain
links (<a href>) that a learner may choose to follow are not loads and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from scorm_builder.validate.findings import Finding, Severity, finding
from scorm_builder.zipsafe import SafeZip, ZipSafetyError

__all__ = ["check_offline"]

HTML = (".html", ".htm", ".xhtml")
CSS = (".css",)
JS = (".js", ".mjs")
#: Files bigger than this are not scanned (minified libraries rarely load from the web).
MAX_SCAN_SIZE = 8 * 1024**2

_REMOTE = r"(?:https?:)?//[^\s\"'()<>]+"
_CSS_LOAD = re.compile(
    r"@import\s+(?:url\(\s*)?[\"']?(" + _REMOTE + r")|url\(\s*[\"']?(" + _REMOTE + r")",
    re.IGNORECASE,
)
_JS_LOAD = re.compile(
    r"(?:\bimport\s*\(?\s*|\bfrom\s+|\bimportScripts\s*\(\s*|\bfetch\s*\(\s*"
    r"|\.src\s*=\s*|\bsetAttribute\s*\(\s*[\"'](?:src|href)[\"']\s*,\s*)[\"'](" + _REMOTE + r")",
)
#: Attributes that make the browser fetch something, per element.
_LOADING_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "source": ("src", "srcset"),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
#: <link rel> values that only describe a relation and fetch nothing.
_LINK_RELATIONS = frozenset(
    {
        "alternate",
        "author",
        "bookmark",
        "canonical",
        "help",
        "license",
        "next",
        "prev",
        "search",
        "tag",
        "external",
        "me",
    }  # fmt: skip
)


def _is_remote(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//"))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


class _PageScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[int, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        names = _LOADING_ATTRIBUTES.get(tag, ())
        if tag == "link":
            relations = set(values.get("rel", "").lower().split())
            names = () if relations and relations <= _LINK_RELATIONS else ("href",)
        for name in names:
            for url in values.get(name, "").split(","):
                url = url.strip().split(" ")[0]
                if url and _is_remote(url):
                    self.loads.append((line, url))
        style = values.get("style")
        if style:
            self.loads.extend((line, url) for _, url in _css_loads(style))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            line = self.getpos()[0]
            self.loads.extend((line + extra - 1, url) for extra, url in _css_loads(data))


def _css_loads(text: str) -> Iterator[tuple[int, str]]:
    for match in _CSS_LOAD.finditer(text):
        yield _line(text, match.start()), match.group(1) or match.group(2)


def _js_loads(text: str) -> Iterator[tuple[int, str]]:
    for match in _JS_LOAD.finditer(text):
        yield _line(text, match.start()), match.group(1)


#: Cheap test first: a file with no remote-looking address anywhere needs no scanning.
_MAYBE_REMOTE = re.compile(r"""(?:https?:)?//[\w.-]+[.:/]""", re.IGNORECASE)


def _loads(name: str, text: str) -> list[tuple[int, str]]:
    if not _MAYBE_REMOTE.search(text):
        return []
    lower = name.lower()
    if lower.endswith(HTML):
        scanner = _PageScanner()
        scanner.feed(text)
        scanner.close()
        return scanner.loads
    if lower.endswith(CSS):
        return list(_css_loads(text))
    return list(_js_loads(text))


def check_offline(package: SafeZip, *, offline: bool) -> list[Finding]:
    """One finding per remote load per file: a warning, or an error when ``offline``."""
    severity = Severity.ERROR if offline else Severity.WARNING
    findings: list[Finding] = []
    for name in package.names:
        if not name.lower().endswith(HTML + CSS + JS) or name.startswith("__MACOSX/"):
            continue
        if package.size_of(name) > MAX_SCAN_SIZE:
            continue
        try:
            text = package.read(name, MAX_SCAN_SIZE).decode("utf-8", errors="replace")
        except ZipSafetyError:
            continue  # already reported by the zip stage
        seen: set[str] = set()
        for line, url in _loads(name, text):
            if url not in seen:
                seen.add(url)
                findings.append(finding("OFFLINE-REMOTE", name, line, severity=severity, url=url))
    return findings
