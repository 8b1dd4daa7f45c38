"""Reading zip archives from strangers: the physical package, and nothing else.

`SafeZip.open` reads the central directory once and checks every entry against the
things that hurt an unpacking LMS: path traversal, absolute paths, backslashes,
symlinks, encrypted entries, names that are not flagged as UTF-8, too many entries, too
many bytes once unpacked, and compression ratios that only zip bombs have. Problems are
collected as data (`ZipProblem`), so the validator can report all of them; a caller that
just wants the files calls `SafeZip.raise_for_problems` first. `SafeZip.read` refuses
unsafe entries and never inflates more than its cap, whatever the header claims.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from scorm_builder.errors import ScormError

__all__ = [
    "DEFAULT_LIMITS",
    "ProblemKind",
    "SafeZip",
    "ZipLimits",
    "ZipNotZipError",
    "ZipProblem",
    "ZipSafetyError",
]

ProblemKind = Literal[
    "too-many-entries",
    "too-large",
    "ratio",
    "traversal",
    "absolute",
    "backslash",
    "symlink",
    "encrypted",
    "not-utf8-name",
    "duplicate",
]

#: Problems that make the whole archive unsafe to unpack; nothing in it is read.
ARCHIVE_PROBLEMS: frozenset[ProblemKind] = frozenset({"too-many-entries", "too-large"})

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNIX = 3


@dataclass(frozen=True)
class ZipLimits:
    """Caps for one archive. Generous for lessons with video, tight for bombs."""

    max_entries: int = 10_000
    max_total_size: int = 2 * 1024**3
    max_entry_size: int = 1024**3
    #: A ratio above this is only suspicious for entries bigger than `ratio_floor`.
    max_ratio: float = 100.0
    ratio_floor: int = 1024**2


DEFAULT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class ZipProblem:
    """One thing wrong with an archive; ``entry`` is empty for archive-wide problems."""

    kind: ProblemKind
    entry: str = ""
    details: Mapping[str, str | int] = field(default_factory=lambda: MappingProxyType({}))


class ZipSafetyError(ScormError):
    """An archive or entry that Sandyq refuses to unpack."""


class ZipNotZipError(ZipSafetyError):
    """The bytes are not a zip archive at all."""


#: Compression methods Python's zipfile can inflate; others (Deflate64, PPMd ...) it cannot.
READABLE_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


def readable(info: zipfile.ZipInfo) -> bool:
    """True when the entry's compression method is one zipfile can inflate."""
    return info.compress_type in READABLE_METHODS


def _problems_of(info: zipfile.ZipInfo, limits: ZipLimits) -> Iterator[ZipProblem]:
    name = info.filename
    if "\\" in name:
        yield ZipProblem("backslash", name)
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        yield ZipProblem("absolute", name)
    elif ".." in parts:
        yield ZipProblem("traversal", name)
    mode = info.external_attr >> 16
    if info.create_system == _UNIX and stat.S_ISLNK(mode):
        yield ZipProblem("symlink", name)
    if info.flag_bits & _ENCRYPTED_FLAG:
        yield ZipProblem("encrypted", name)
    if not name.isascii() and not info.flag_bits & _UTF8_FLAG:
        yield ZipProblem("not-utf8-name", name)
    if info.file_size > limits.ratio_floor:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio or info.file_size > limits.max_entry_size:
            yield ZipProblem(
                "ratio", name, MappingProxyType({"ratio": int(ratio), "size": info.file_size})
            )


class SafeZip:
    """A zip archive opened for reading, with its entries checked once."""

    def __init__(
        self, archive: zipfile.ZipFile, limits: ZipLimits, problems: tuple[ZipProblem, ...]
    ) -> None:
        self._archive = archive
        self.limits = limits
        self.problems = problems
        infos = archive.infolist()
        self._unsafe = frozenset(p.entry for p in problems if p.entry)
        self._infos: dict[str, zipfile.ZipInfo] = {i.filename: i for i in infos}
        #: File entries (not folders), in archive order.
        self.names: tuple[str, ...] = tuple(
            dict.fromkeys(i.filename for i in infos if not i.is_dir())
        )

    @classmethod
    def open(cls, source: Path | bytes, limits: ZipLimits = DEFAULT_LIMITS) -> SafeZip:
        """Open an archive from a path or bytes; raise `ZipNotZipError` if it is not one."""
        name = "" if isinstance(source, bytes) else str(source)
        try:
            stream = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
            raise ZipNotZipError(
                "this file is not a zip archive",
                file=name or None,
                hint="a SCORM package is a .zip file with imsmanifest.xml at its root",
            ) from error
        return cls(archive, limits, tuple(cls._check(archive, limits)))

    @staticmethod
    def _check(archive: zipfile.ZipFile, limits: ZipLimits) -> Iterator[ZipProblem]:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            yield ZipProblem(
                "too-many-entries",
                details=MappingProxyType({"count": len(infos), "limit": limits.max_entries}),
            )
        total = sum(i.file_size for i in infos)
        if total > limits.max_total_size:
            yield ZipProblem(
                "too-large",
                details=MappingProxyType({"size": total, "limit": limits.max_total_size}),
            )
        seen: set[str] = set()
        for info in infos:
            if info.filename in seen:
                yield ZipProblem("duplicate", info.filename)
            seen.add(info.filename)
            yield from _problems_of(info, limits)

    @property
    def archive_unsafe(self) -> bool:
        """True when the archive as a whole must not be unpacked (bomb, too many entries)."""
        return any(p.kind in ARCHIVE_PROBLEMS for p in self.problems)

    def raise_for_problems(self) -> None:
        """Raise `ZipSafetyError` for the first problem, for callers that need a clean zip."""
        if self.problems:
            problem = self.problems[0]
            raise ZipSafetyError(
                f"unsafe zip archive: {problem.kind}",
                file=problem.entry or None,
                hint="rebuild the zip from a plain folder of ordinary files",
            )

    def __contains__(self, name: object) -> bool:
        return name in self._infos and not self._infos[str(name)].is_dir()

    def size_of(self, name: str) -> int:
        """The uncompressed size the archive declares for ``name``."""
        return self._infos[name].file_size

    def read(self, name: str, max_size: int | None = None) -> bytes:
        """The bytes of entry ``name``, inflating at most ``max_size`` bytes.

        Raises `ZipSafetyError` for an unsafe or oversized entry, `KeyError` if absent.
        """
        cap = self.limits.max_entry_size if max_size is None else max_size
        if self.archive_unsafe or name in self._unsafe:
            raise ZipSafetyError("refusing to read an unsafe zip entry", file=name)
        info = self._infos[name]
        if info.file_size > cap:
            raise ZipSafetyError(
                f"the entry is larger than {cap} bytes", file=name, hint="make the file smaller"
            )
        if not readable(info):
            raise ZipSafetyError(
                f"the entry is compressed with method {info.compress_type}, which cannot be read",
                file=name,
                hint="re-create the zip with ordinary (deflate) compression",
            )
        try:
            with self._archive.open(info) as stream:
                data = stream.read(cap + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError) as error:
            raise ZipSafetyError(f"the entry cannot be read: {error}", file=name) from error
        if len(data) > cap:
            raise ZipSafetyError(f"the entry is larger than {cap} bytes", file=name)
        return data

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
