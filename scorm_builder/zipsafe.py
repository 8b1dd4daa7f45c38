"""Reading zip archives from strangers: the physical package, and nothing else.

`SafeZip.open` reads the central directory once and checks every entry against the
things that hurt an unpacking LMS or a teacher's computer: path traversal, absolute paths,
backslashes, symlinks, encrypted entries, names that are not flagged as UTF-8, names that
cannot be unpacked faithfully everywhere (two names that differ only in case, a name that
is both a file and a folder, Windows device names and characters, components longer than
255 bytes, control characters), too many entries, too many bytes once unpacked, and
compression ratios that only zip bombs have.

The central directory is written by whoever made the zip, so its sizes and checksums are
claims, not facts: ``unzip`` and PHP's ZipArchive (what Moodle unpacks with) inflate an
entry until its deflate stream ends, whatever size it declares. So every entry, also the
ones no manifest mentions, is then inflated once through `SafeZip.stream`, which counts
the bytes that really come out, stops at the declared size or the limit (whichever is
smaller) and checks the CRC-32. `SafeZip.read` goes through the same stream.

Problems are collected as data (`ZipProblem`), so the validator can report all of them;
a caller that just wants the files calls `SafeZip.raise_for_problems` first. The limits
(`ZipLimits`) come from the caller, the environment (``SANDYQ_ZIP_*``) or the defaults.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from scorm_builder.errors import ScormError

__all__ = [
    "DEFAULT_LIMITS",
    "ENVIRONMENT",
    "ProblemKind",
    "SafeZip",
    "ZipEntryError",
    "ZipLimits",
    "ZipLimitsError",
    "ZipNotZipError",
    "ZipProblem",
    "ZipSafetyError",
    "printable",
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
    "entry-too-large",
    "size-mismatch",
    "bad-crc",
    "unreadable",
    "case-clash",
    "file-folder",
    "reserved-name",
    "name-too-long",
    "control-char",
]

#: Problems that make the whole archive unsafe to unpack; nothing in it is read.
ARCHIVE_PROBLEMS: frozenset[ProblemKind] = frozenset({"too-many-entries", "too-large"})
#: Problems worth a warning only: the entry unpacks on the servers LMSs run on and stays
#: readable; it is a teacher unpacking on Windows who would lose it.
WARNING_PROBLEMS: frozenset[ProblemKind] = frozenset({"reserved-name"})

#: Entries the scan leaves alone: declared bombs and locked entries, refused unread.
_NOT_INFLATED: frozenset[ProblemKind] = frozenset({"ratio", "entry-too-large", "encrypted"})

_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_UNIX = 3
_CHUNK = 64 * 1024
#: What a probe's declared size is raised to, so that zipfile never stops inflating on the
#: header's word: the stream below stops instead, on bytes it has counted.
_UNBOUNDED = 1 << 62
#: The longest file or folder name ext4, NTFS, APFS and FAT32 all take, in UTF-8 bytes.
MAX_NAME_BYTES = 255
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
_WINDOWS_FORBIDDEN = frozenset('<>:"|?*')

#: The environment variables `ZipLimits.from_env` reads, with the field each one sets.
ENVIRONMENT: Mapping[str, str] = MappingProxyType(
    {
        "SANDYQ_ZIP_MAX_ENTRIES": "max_entries",
        "SANDYQ_ZIP_MAX_TOTAL_BYTES": "max_total_size",
        "SANDYQ_ZIP_MAX_ENTRY_BYTES": "max_entry_size",
    }
)


class ZipSafetyError(ScormError):
    """An archive or entry that Sandyq refuses to unpack."""


class ZipNotZipError(ZipSafetyError):
    """The bytes are not a zip archive at all."""


class ZipLimitsError(ScormError):
    """A zip limit in the configuration is not a positive whole number of bytes."""


@dataclass
class ZipEntryError(ZipSafetyError):
    """An entry whose real bytes break a limit or contradict its header; ``kind`` says how."""

    kind: ProblemKind = "unreadable"
    details: Mapping[str, str | int] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class ZipLimits:
    """Caps for one archive. Generous for lessons with video, tight for bombs.

    The sizes are bytes once inflated, counted on the real bytes, not the header's claims.
    """

    max_entries: int = 10_000
    max_total_size: int = 2 * 1024**3
    max_entry_size: int = 1024**3
    #: A ratio above this is only suspicious for entries bigger than `ratio_floor`.
    max_ratio: float = 100.0
    ratio_floor: int = 1024**2

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, base: ZipLimits | None = None
    ) -> ZipLimits:
        """``base`` (the defaults) with what ``SANDYQ_ZIP_*`` variables set (`ENVIRONMENT`)."""
        env = os.environ if environ is None else environ
        values = {name: env[var] for var, name in ENVIRONMENT.items() if env.get(var)}
        return (base or DEFAULT_LIMITS).with_values(values, source="environment")

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> ZipLimits:
        """The limits of an application's configuration: its ``ZIP_MAX_ENTRIES``,
        ``ZIP_MAX_TOTAL_BYTES`` and ``ZIP_MAX_ENTRY_BYTES`` (the catalogue reads them from the
        same ``SANDYQ_ZIP_*`` variables), over the environment's."""
        values = {
            name: config[key]
            for variable, name in ENVIRONMENT.items()
            if config.get(key := variable.removeprefix("SANDYQ_")) not in (None, "")
        }
        return cls.from_env().with_values(values, source="configuration")

    def with_values(self, values: Mapping[str, object], *, source: str) -> ZipLimits:
        """These limits with some fields replaced; each value must be a positive integer."""
        checked: dict[str, int] = {}
        for name, value in values.items():
            try:
                number = int(str(value).replace("_", "").strip())
            except ValueError:
                number = 0
            if number <= 0:
                variable = next(v for v, n in ENVIRONMENT.items() if n == name)
                raise ZipLimitsError(
                    f"{variable} in the {source} must be a positive number of bytes, not {value!r}",
                    hint=f"unset it to use the default ({getattr(DEFAULT_LIMITS, name)})",
                )
            checked[name] = number
        return replace(self, **checked) if checked else self


DEFAULT_LIMITS = ZipLimits()


@dataclass(frozen=True)
class ZipProblem:
    """One thing wrong with an archive; ``entry`` is empty for archive-wide problems."""

    kind: ProblemKind
    entry: str = ""
    details: Mapping[str, str | int] = field(default_factory=lambda: MappingProxyType({}))


def _details(**values: str | int) -> Mapping[str, str | int]:
    return MappingProxyType(values)


#: Compression methods Python's zipfile can inflate; others (Deflate64, PPMd ...) it cannot.
READABLE_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


def readable(info: zipfile.ZipInfo) -> bool:
    """True when the entry's compression method is one zipfile can inflate."""
    return info.compress_type in READABLE_METHODS


def printable(text: str) -> str:
    """``text`` with control characters (newline, ESC ...) written as escapes, so that a
    hostile entry name cannot forge a line or recolour the terminal it is printed on."""
    return "".join(
        char if unicodedata.category(char) != "Cc" else char.encode("unicode_escape").decode()
        for char in text
    )


def _control(name: str) -> str | None:
    """The first control character of ``name`` (newline, ESC, DEL, C1) as its code point
    (``U+001B``), or None."""
    for char in name:
        if unicodedata.category(char) == "Cc":
            return f"U+{ord(char):04X}"
    return None


def _reserved_part(parts: list[str]) -> str | None:
    """The first folder or file name Windows cannot create: a device name (``con.txt``),
    a forbidden character or a trailing dot or space."""
    for part in parts:
        if part in ("", ".", ".."):  # "..": a traversal, reported as one
            continue
        device = part.split(".", 1)[0].rstrip(" ").upper()
        if device in _WINDOWS_DEVICES or _WINDOWS_FORBIDDEN & set(part) or part[-1] in ". ":
            return part
    return None


def _name_problems(name: str) -> Iterator[ZipProblem]:
    if not name:  # nothing to unpack it as
        yield ZipProblem("unreadable", name, _details(reason="an entry without a name"))
        return
    if "\\" in name:
        yield ZipProblem("backslash", name)
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        yield ZipProblem("absolute", name)
    elif ".." in parts:
        yield ZipProblem("traversal", name)
    char = _control(name)
    if char is not None:
        yield ZipProblem("control-char", name, _details(char=char))
    long = next((part for part in parts if len(part.encode("utf-8")) > MAX_NAME_BYTES), None)
    if long is not None:
        yield ZipProblem(
            "name-too-long",
            name,
            _details(bytes=len(long.encode("utf-8")), limit=MAX_NAME_BYTES),
        )
    reserved = _reserved_part(parts)
    if reserved is not None and char is None:
        yield ZipProblem("reserved-name", name, _details(part=reserved))


def _problems_of(info: zipfile.ZipInfo, limits: ZipLimits) -> Iterator[ZipProblem]:
    name = info.filename
    yield from _name_problems(name)
    mode = info.external_attr >> 16
    if info.create_system == _UNIX and stat.S_ISLNK(mode):
        yield ZipProblem("symlink", name)
    if info.flag_bits & _ENCRYPTED_FLAG:
        yield ZipProblem("encrypted", name)
    if not name.isascii() and not info.flag_bits & _UTF8_FLAG:
        yield ZipProblem("not-utf8-name", name)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.max_entry_size:
        yield ZipProblem(
            "entry-too-large", name, _details(size=info.file_size, limit=limits.max_entry_size)
        )
    elif info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
        yield ZipProblem("ratio", name, _details(ratio=int(ratio), size=info.file_size))


def _is_folder(info: zipfile.ZipInfo) -> bool:
    """``ZipInfo.is_dir`` without its IndexError on an entry with an empty name."""
    return info.filename.endswith("/")


def _folded(name: str) -> str:
    """How a case-insensitive file system (NTFS, FAT32, APFS) sees a name."""
    return unicodedata.normalize("NFC", name).casefold().rstrip("/")


def _clashes(infos: list[zipfile.ZipInfo]) -> Iterator[ZipProblem]:
    """Names that overwrite each other when unpacked: equal but for case (or Unicode
    normalisation), or a file that is also a folder of other entries."""
    files: dict[str, str] = {}
    folders: dict[str, str] = {}
    for info in infos:
        name = info.filename
        if not name:  # refused on its own (``_name_problems``)
            continue
        parts = _folded(name).split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), name)
        if _is_folder(info):
            folders.setdefault(_folded(name), name)
            continue
        key = _folded(name)
        first = files.setdefault(key, name)
        if first != name:
            yield ZipProblem("case-clash", name, _details(other=first))
    for key, name in files.items():
        if key in folders:
            yield ZipProblem("file-folder", name, _details(folder=folders[key]))


class SafeZip:
    """A zip archive opened for reading, with its entries checked once."""

    def __init__(
        self, archive: zipfile.ZipFile, limits: ZipLimits, problems: tuple[ZipProblem, ...]
    ) -> None:
        self._archive = archive
        self.limits = limits
        self.problems = problems
        infos = archive.infolist()
        self._unsafe = frozenset(
            p.entry for p in problems if p.entry and p.kind not in WARNING_PROBLEMS
        )
        self._infos: dict[str, zipfile.ZipInfo] = {i.filename: i for i in infos}
        #: File entries (not folders), in archive order.
        self.names: tuple[str, ...] = tuple(
            dict.fromkeys(i.filename for i in infos if i.filename and not _is_folder(i))
        )

    @classmethod
    def open(
        cls, source: Path | bytes, limits: ZipLimits = DEFAULT_LIMITS, *, scan: bool = True
    ) -> SafeZip:
        """Open an archive from a path or bytes; raise `ZipNotZipError` if it is not one.

        ``scan`` inflates every entry once to check its real size and CRC (see the module's
        docstring); only a reader of an archive that was scanned when it arrived (the
        catalogue's preview of a stored package) may skip it, as every read is checked.
        """
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
        # zipfile's own refusal of a format it does not read ("zip file version 6.4" in the
        # central directory): a real answer for the user, not a placeholder of ours
        except NotImplementedError as error:
            raise ZipNotZipError(
                f"this zip archive needs a feature no reader here has: {error}",
                file=name or None,
                hint="make the .zip again with a common tool (a file manager's 'compress', "
                "zip or 7-Zip in ZIP format)",
            ) from error
        problems = list(cls._check(archive, limits))
        safe = cls(archive, limits, tuple(problems))
        if scan and not safe.archive_unsafe:
            problems += safe._scan()
            safe = cls(archive, limits, tuple(problems))
        return safe

    @staticmethod
    def _check(archive: zipfile.ZipFile, limits: ZipLimits) -> Iterator[ZipProblem]:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            yield ZipProblem(
                "too-many-entries", details=_details(count=len(infos), limit=limits.max_entries)
            )
            return
        total = sum(i.file_size for i in infos)
        if total > limits.max_total_size:
            yield ZipProblem("too-large", details=_details(size=total, limit=limits.max_total_size))
        seen: set[str] = set()
        for info in infos:
            if info.filename in seen:
                yield ZipProblem("duplicate", info.filename)
            seen.add(info.filename)
            yield from _problems_of(info, limits)
        yield from _clashes(infos)

    def _scan(self) -> Iterator[ZipProblem]:
        """Inflate every entry (duplicates and folders too) through `stream`, counting the
        real bytes against the per-entry and the total limit."""
        flagged = {p.entry for p in self.problems if p.kind in _NOT_INFLATED}
        total = 0
        for info in self._archive.infolist():
            if info.filename in flagged:
                continue  # a declared bomb or a locked entry: refused without inflating it
            try:
                for chunk in self._inflate(info, self.limits.max_entry_size):
                    total += len(chunk)
                    if total > self.limits.max_total_size:
                        yield ZipProblem(
                            "too-large",
                            details=_details(
                                size=f"> {self.limits.max_total_size}",
                                limit=self.limits.max_total_size,
                            ),
                        )
                        return
            except ZipEntryError as error:
                yield ZipProblem(error.kind, info.filename, error.details)

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

    def unsafe(self, name: str) -> bool:
        """True when entry ``name`` must not be read (a problem other than a warning)."""
        return self.archive_unsafe or name in self._unsafe

    def __contains__(self, name: object) -> bool:
        return name in self._infos and not _is_folder(self._infos[str(name)])

    def size_of(self, name: str) -> int:
        """The uncompressed size the archive declares for ``name`` (checked by the scan)."""
        return self._infos[name].file_size

    def _inflate(self, info: zipfile.ZipInfo, cap: int) -> Iterator[bytes]:
        """The real bytes of one entry, in chunks, never more than its declared size or
        ``cap``; the CRC-32 and the declared size are checked at the end of the stream.

        Raises `ZipEntryError` (its ``kind`` says which limit or claim failed).
        """
        name = info.filename
        if not readable(info):
            raise ZipEntryError(
                f"the entry is compressed with method {info.compress_type}, which cannot be read",
                file=name,
                hint="re-create the zip with ordinary (deflate) compression",
                kind="unreadable",
                details=_details(reason=f"compression method {info.compress_type}"),
            )
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise ZipEntryError("the entry is encrypted", file=name, kind="encrypted")
        # zipfile stops at the declared size (and then finds the CRC wrong, or right for a
        # liar who computed it over what it declares): the probe lets it run to the real end.
        # Its CRC check would fire inside zipfile before the count below sees a single byte
        # too many, so the probe carries no CRC and the stream checks it itself.
        probe = copy.copy(info)
        probe.file_size = _UNBOUNDED
        with contextlib.suppress(AttributeError):
            del probe.CRC
        size = 0
        crc = 0
        try:
            with self._archive.open(probe) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > info.file_size:
                        raise ZipEntryError(
                            f"the entry unpacks to more than the {info.file_size} bytes "
                            "its header declares",
                            file=name,
                            hint="a zip whose headers lie about sizes is a zip bomb",
                            kind="size-mismatch",
                            details=_details(declared=info.file_size, size=f"> {info.file_size}"),
                        )
                    if size > cap:
                        raise ZipEntryError(
                            f"the entry is larger than {cap} bytes",
                            file=name,
                            hint="make the file smaller",
                            kind="entry-too-large",
                            details=_details(size=f"> {cap}", limit=cap),
                        )
                    crc = zlib.crc32(chunk, crc)
                    yield chunk
        except ZipEntryError:
            raise
        # zlib.error, BadZipFile (zipfile's own CRC check, overlapping entries, a local
        # header that contradicts the central one), lzma's and bz2's errors, EOFError ...
        except Exception as error:
            kind: ProblemKind = "bad-crc" if "CRC" in str(error) else "unreadable"
            raise ZipEntryError(
                f"the entry cannot be read: {error}",
                file=name,
                kind=kind,
                details=_details(reason=str(error) or type(error).__name__),
            ) from error
        if crc != info.CRC:
            raise ZipEntryError(
                "the entry's CRC-32 does not match its bytes",
                file=name,
                hint="the zip is damaged or was tampered with; create it again",
                kind="bad-crc",
                details=_details(reason="CRC-32 mismatch"),
            )
        if size != info.file_size:
            raise ZipEntryError(
                f"the entry unpacks to {size} bytes, not the {info.file_size} its header declares",
                file=name,
                hint="the zip is damaged or was tampered with; create it again",
                kind="size-mismatch",
                details=_details(declared=info.file_size, size=size),
            )

    def stream(self, name: str, max_size: int | None = None) -> Iterator[bytes]:
        """The bytes of entry ``name`` in chunks, counted as they are inflated: never more
        than ``max_size`` (default: the per-entry limit) nor than its declared size, and
        the CRC-32 checked at the end.

        Raises `ZipSafetyError` for an unsafe or oversized entry, `KeyError` if absent.
        """
        cap = self.limits.max_entry_size if max_size is None else max_size
        info = self._infos[name]
        if not readable(info):
            yield from self._inflate(info, cap)  # raises the method's own clear error
            return
        if self.archive_unsafe or name in self._unsafe:
            raise ZipSafetyError("refusing to read an unsafe zip entry", file=name)
        if info.file_size > cap:
            raise ZipSafetyError(
                f"the entry is larger than {cap} bytes", file=name, hint="make the file smaller"
            )
        yield from self._inflate(info, cap)

    def read(self, name: str, max_size: int | None = None) -> bytes:
        """The bytes of entry ``name`` through `stream`, inflating at most ``max_size``.

        Raises `ZipSafetyError` for an unsafe or oversized entry, `KeyError` if absent.
        """
        return b"".join(self.stream(name, max_size))

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
