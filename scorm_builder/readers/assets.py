"""Gathering the files a course needs from its folder, under safe ASCII package paths.

Every file a page references is read once, from inside the course folder only, and gets
a package path under ``content/`` that mirrors its place in the folder with each name
made ASCII (``pages/img/Сурет.png`` -> ``content/pages/img/suret.png``). Stylesheets are
followed for the images and fonts they reference, and their references are rewritten.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scorm_builder.errors import SourceFileError
from scorm_builder.model import Asset
from scorm_builder.slug import ascii_file_name

CONTENT_ROOT = "content"
MAX_FILE_BYTES = 200 * 1024 * 1024
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def is_remote(reference: str) -> bool:
    """True for references the browser would load from the internet."""
    lowered = reference.strip().lower()
    return lowered.startswith(("http://", "https://", "//", "ftp://"))


def is_local(reference: str) -> bool:
    """True for references to a file of the course (not remote, inline data, anchors ...)."""
    lowered = reference.strip().lower()
    if not lowered or lowered.startswith("#") or is_remote(lowered):
        return False
    return urlsplit(lowered).scheme == ""


@dataclass
class AssetCollector:
    """Reads referenced files from ``root`` and hands out unique package paths."""

    root: Path
    warnings: list[str] = field(default_factory=list)
    page_sources: set[Path] = field(default_factory=set)
    _by_source: dict[Path, str] = field(default_factory=dict)
    _taken: set[str] = field(default_factory=set)
    _assets: dict[str, Asset] = field(default_factory=dict)
    _handed_out: set[str] = field(default_factory=set)

    def source_label(self, path: Path) -> str:
        """The path as the teacher sees it, relative to the course folder."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def package_path_for(self, source: Path) -> str:
        """Reserve (once per source file) the ASCII package path of a course file."""
        source = source.resolve()
        if source in self._by_source:
            return self._by_source[source]
        relative = source.relative_to(self.root.resolve())
        parts = [ascii_file_name(part) for part in relative.parts]
        candidate = posixpath.join(CONTENT_ROOT, *parts)
        stem, extension = posixpath.splitext(candidate)
        number = 2
        while candidate.lower() in self._taken:
            candidate = f"{stem}-{number}{extension}"
            number += 1
        self._taken.add(candidate.lower())
        self._by_source[source] = candidate
        return candidate

    def resolve(self, reference: str, referrer: Path, line: int | None) -> Path:
        """The course file a local reference in ``referrer`` points to, checked to exist."""
        target_text = unquote(urlsplit(reference.strip()).path)
        label = self.source_label(referrer)
        if target_text.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", target_text):
            raise SourceFileError(
                f"'{reference}' is an absolute path; the package cannot carry it",
                file=label,
                line=line,
                hint="put the file inside the course folder and use a relative path",
            )
        target = (referrer.parent / target_text.replace("\\", "/")).resolve()
        root = self.root.resolve()
        if not target.is_relative_to(root):
            raise SourceFileError(
                f"'{reference}' points outside the course folder",
                file=label,
                line=line,
                hint="copy the file into the course folder and refer to it from there",
            )
        if not target.is_file():
            raise SourceFileError(
                f"'{reference}' was not found",
                file=label,
                line=line,
                hint=_missing_hint(target),
            )
        return target

    def add_file(self, source: Path, label_line: tuple[Path, int | None]) -> str:
        """Package a course file (a stylesheet is followed and rewritten); its package path."""
        package_path = self.package_path_for(source)
        if package_path in self._assets:
            return package_path
        data = read_course_file(source, self.source_label(label_line[0]), label_line[1])
        if source.suffix.lower() == ".css":
            data = self._rewrite_css(data, source, package_path)
        self._assets[package_path] = Asset(package_path, data)
        return package_path

    def link(
        self, reference: str, referrer: Path, referrer_package_path: str, line: int | None
    ) -> str:
        """Package the file behind ``reference`` and return the rewritten reference."""
        target = self.resolve(reference, referrer, line)
        package_path = self.add_file(target, (referrer, line))
        relative = posixpath.relpath(package_path, posixpath.dirname(referrer_package_path))
        fragment = urlsplit(reference.strip()).fragment
        return f"{relative}#{fragment}" if fragment else relative

    def rewrite_css_text(self, css: str, referrer: Path, referrer_package_path: str) -> str:
        """Rewrite ``url()`` and ``@import`` references of CSS found in ``referrer``."""

        def replace(match: re.Match[str]) -> str:
            reference = match.group(2) or match.group(4)
            line = css.count("\n", 0, match.start()) + 1
            if is_remote(reference):
                self.warnings.append(
                    f"{self.source_label(referrer)}:{line}: '{reference}' is loaded from the "
                    "internet; the package will not show it offline"
                )
                return match.group(0)
            if not is_local(reference):
                return match.group(0)
            new = self.link(reference, referrer, referrer_package_path, line)
            return f'url("{new}")' if match.group(2) else f'@import "{new}"'

        return _CSS_URL.sub(replace, css)

    def _rewrite_css(self, data: bytes, source: Path, package_path: str) -> bytes:
        from scorm_builder.readers.textfile import decode_utf8

        css = decode_utf8(data, self.source_label(source))
        return self.rewrite_css_text(css, source, package_path).encode("utf-8")

    def assets(self) -> tuple[Asset, ...]:
        """Every file gathered so far, in package-path order."""
        return tuple(self._assets[path] for path in sorted(self._assets))

    def take_assets(self) -> tuple[Asset, ...]:
        """The files gathered since the last call (each part owns what it brought in)."""
        taken = tuple(asset for asset in self.assets() if asset.path not in self._handed_out)
        self._handed_out.update(asset.path for asset in taken)
        return taken


def read_course_file(path: Path, referrer: str, line: int | None) -> bytes:
    """Bytes of a course file, refusing oversized ones and links that leave the folder."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceFileError(
            f"'{path.name}' is {size // (1024 * 1024)} MB; files over "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB are not packaged",
            file=referrer,
            line=line,
            hint="make the file smaller (videos: use a video part, which compresses them)",
        )
    return path.read_bytes()


def _missing_hint(target: Path) -> str:
    folder = target.parent
    if folder.is_dir():
        for sibling in folder.iterdir():
            if sibling.name.lower() == target.name.lower():
                return f"names are case-sensitive in a package: the file is called '{sibling.name}'"
    return "check the file name and that the file is in the course folder"
