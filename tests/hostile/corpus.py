"""The hostile corpus: every kind of input a stranger can send, made in code at test time.

No binary blobs are kept: each case is a function that writes its bytes, most of them from
the valid packages of `tests.support.validator_fixtures` broken one way. Zips are written
by `raw_zip`, which lets an entry lie (its declared size, its CRC-32, its method, its
flags) the way a hand-crafted attack does. Bombs inflate to hundreds of megabytes but are
written in milliseconds: deflate's output for a full-flushed megabyte of zeros repeats, so
`zeros_deflated` is one such block repeated, and no big file ever touches the disk.

Each case says what must happen (`Expect`): refused with which rule ids, accepted with a
warning of which rule, or accepted. ``PACKAGES`` go to ``sandyq validate``, ``sandyq
inspect`` and the catalogue's upload (API and web); ``TEACHER_FILES`` (Word lessons and
course folders) go to ``sandyq build``.
"""

from __future__ import annotations

import functools
import io
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from samples.tools.lesson_docx import LessonDocx
from tests.support import validator_fixtures as fx

Verdict = Literal["refused", "warned", "accepted"]

MB = 1024**2
#: How far the bombs inflate: the 300 MB of issue #15.
BOMB_BYTES = 300 * MB
#: Where a zip-slip entry would land if anything unpacked it: beside the target folder.
SLIP = "../../outside/pwned.html"


@dataclass(frozen=True)
class Expect:
    """What the validator (and so the upload) must say: the verdict and rule ids that must
    be among its findings (errors for ``refused``, warnings for ``warned``)."""

    verdict: Verdict
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    """One hostile (or control) input: its id, its class, how to make it, what must happen."""

    id: str
    kind: str
    make: Callable[[], bytes]
    expect: Expect
    #: the file name it arrives under (Word lessons keep .docx)
    filename: str = "package.zip"


@dataclass(frozen=True)
class FolderCase:
    """A course folder for ``sandyq build``: files relative to the folder (``..`` allowed in
    what course.toml names, never in what is written here)."""

    id: str
    kind: str
    files: Mapping[str, bytes]
    expect: Expect


# ---- writing zips that lie -------------------------------------------------------------

_DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1  # 2000-01-01
_UTF8 = 0x800


@dataclass(frozen=True)
class Entry:
    """One entry as `raw_zip` writes it; every ``None`` means "tell the truth"."""

    name: str | bytes
    data: bytes = b""
    #: the deflated (or stored) bytes, when they are made elsewhere (the bombs)
    raw: bytes | None = None
    real_size: int | None = None
    real_crc: int | None = None
    method: int = zipfile.ZIP_DEFLATED
    declared_size: int | None = None
    declared_crc: int | None = None
    #: the method written in the headers, when it is not the one used
    declared_method: int | None = None
    flags: int = _UTF8
    mode: int = 0o100644
    #: the name in the central directory, when it differs from the local header's
    central_name: str | None = None
    #: point this central entry at an earlier entry's local header (overlap)
    same_offset_as: int | None = None


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _encoded(name: str | bytes) -> bytes:
    return name if isinstance(name, bytes) else name.encode("utf-8")


def raw_zip(entries: Sequence[Entry]) -> bytes:
    """A zip written header by header, so that any entry can lie about itself."""
    out = io.BytesIO()
    central = io.BytesIO()
    offsets: list[int] = []
    for entry in entries:
        if entry.raw is not None:
            payload = entry.raw
        elif entry.method == zipfile.ZIP_STORED:
            payload = entry.data
        else:
            payload = _deflate(entry.data)
        size = entry.real_size if entry.real_size is not None else len(entry.data)
        crc = entry.real_crc if entry.real_crc is not None else zlib.crc32(entry.data)
        size = entry.declared_size if entry.declared_size is not None else size
        crc = entry.declared_crc if entry.declared_crc is not None else crc
        method = entry.declared_method if entry.declared_method is not None else entry.method
        name = _encoded(entry.name)
        if entry.same_offset_as is not None:
            offset = offsets[entry.same_offset_as]
        else:
            offset = out.tell()
            out.write(
                struct.pack(
                    "<4sHHHHHIIIHH",
                    b"PK\x03\x04",
                    20,
                    entry.flags,
                    method,
                    0,
                    _DOS_DATE,
                    crc,
                    len(payload),
                    size,
                    len(name),
                    0,
                )
            )
            out.write(name + payload)
        offsets.append(offset)
        listed = _encoded(entry.central_name) if entry.central_name is not None else name
        central.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                (3 << 8) | 20,
                20,
                entry.flags,
                method,
                0,
                _DOS_DATE,
                crc,
                len(payload),
                size,
                len(listed),
                0,
                0,
                0,
                0,
                entry.mode << 16,
                offset,
            )
        )
        central.write(listed)
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    count = len(entries)
    out.write(
        struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
    )
    return out.getvalue()


@functools.cache
def zeros_deflated(megabytes: int) -> bytes:
    """A raw deflate stream of ``megabytes`` MiB of zeros, in about 1 KiB per MiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + compressor.flush(zlib.Z_FINISH)


@functools.cache
def zeros_crc(megabytes: int) -> int:
    crc = 0
    chunk = bytes(MB)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return crc


def _entries(package: bytes) -> list[Entry]:
    return [Entry(name, data) for name, data in fx.read_zip(package).items()]


def _package(*extra: Entry, base: Callable[[], bytes] = fx.package_12) -> bytes:
    """The valid SCORM 1.2 package with ``extra`` entries after its own."""
    return raw_zip([*_entries(base()), *extra])


def _replaced(name: str, entry: Entry, base: Callable[[], bytes] = fx.package_12) -> bytes:
    """The valid package with entry ``name`` written as ``entry``."""
    return raw_zip([entry if e.name == name else e for e in _entries(base())])


def _lying_bomb(name: str, *, declared: int = 1000, honest_crc: bool = False) -> Entry:
    """300 MB of zeros whose headers declare ``declared`` bytes; its CRC is that of the
    first ``declared`` bytes (what a reader that trusts the size computes) unless
    ``honest_crc``."""
    crc = zeros_crc(BOMB_BYTES // MB) if honest_crc else zlib.crc32(bytes(declared))
    return Entry(
        name,
        raw=zeros_deflated(BOMB_BYTES // MB),
        real_size=BOMB_BYTES,
        declared_size=declared,
        declared_crc=crc,
    )


def _classic_bomb(name: str) -> Entry:
    """300 MB of zeros that says so: honest headers, a compression ratio of 1000."""
    return Entry(
        name,
        raw=zeros_deflated(BOMB_BYTES // MB),
        real_size=BOMB_BYTES,
        real_crc=zeros_crc(BOMB_BYTES // MB),
    )


def _manifest_with(old: str, new: str) -> Callable[[], bytes]:
    return lambda: fx.replace_in_manifest(fx.package_12(), old, new)


XXE = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE manifest [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE manifest [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)
EXTERNAL_DTD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE manifest SYSTEM "http://127.0.0.1:9/evil.dtd">'
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def _page(title: str) -> bytes:
    return fx.PAGE.replace("Ньютон заңдары</h1>", f"{title}</h1>").encode("utf-8")


def _kazakh_names() -> bytes:
    """A valid package whose pages have Kazakh names, referenced from the manifest."""
    name = "Сабақ-ә.html"
    package = fx.with_entries(fx.package_12(), rename={"page2.html": name})
    return fx.replace_in_manifest(package, '"page2.html"', f'"{name}"', count=2)


def _nfd_clash() -> bytes:
    nfc = unicodedata.normalize("NFC", "сабақ-й.html")
    return _package(Entry(nfc, _page("1")), Entry(unicodedata.normalize("NFD", nfc), _page("2")))


def _too_many() -> bytes:
    return raw_zip([*_entries(fx.package_12()), *(Entry(f"pad/{i}.txt") for i in range(10_001))])


def _deep_xml() -> bytes:
    deep = "<x>" * 100_000 + "</x>" * 100_000
    return fx.replace_in_manifest(fx.package_12(), "</metadata>", f"{deep}</metadata>")


def _truncated() -> bytes:
    package = fx.package_12()
    return package[: len(package) // 2]


def _corrupt_stream() -> bytes:
    data = b"<p>" + "Сәлем ".encode() * 500 + b"</p>"
    raw = bytearray(_deflate(data))
    raw[len(raw) // 2 : len(raw) // 2 + 8] = b"\xff" * 8
    return _package(Entry("extra.html", data, raw=bytes(raw)))


def _overlap() -> bytes:
    entries = _entries(fx.package_12())
    index = next(i for i, e in enumerate(entries) if e.name == "index.html")
    twin = Entry("copy.html", entries[index].data, same_offset_as=index)
    return raw_zip([*entries, twin])


def _header_mismatch() -> bytes:
    return _package(Entry("shown.html", _page("a"), central_name="other.html"))


def _symlink() -> bytes:
    return _package(Entry("link.html", b"/etc/passwd", mode=0o120777))


def _encrypted() -> bytes:
    return _package(Entry("secret.html", _page("x"), flags=_UTF8 | 0x1))


def _not_utf8() -> bytes:
    return _package(Entry("сурет.png".encode("cp866"), fx.PNG, flags=0))


def _duplicate(name: str) -> Callable[[], bytes]:
    return lambda: _package(Entry(name, b"<p>again</p>"))


def _bad_crc(name: str) -> Callable[[], bytes]:
    def make() -> bytes:
        data = fx.read_zip(fx.package_12())[name]
        return _replaced(name, Entry(name, data, declared_crc=zlib.crc32(data) ^ 0xFFFF))

    return make


def _short_manifest() -> bytes:
    data = fx.read_zip(fx.package_12())[fx.MANIFEST]
    cut = len(data) // 2
    entry = Entry(fx.MANIFEST, data, declared_size=cut, declared_crc=zlib.crc32(data[:cut]))
    return _replaced(fx.MANIFEST, entry)


def _v2004() -> bytes:
    return fx.package_2004_4th()


PACKAGES: tuple[Case, ...] = (
    # controls: what must keep working
    Case("valid-scorm12", "control", fx.package_12, Expect("accepted")),
    Case("valid-scorm2004", "control", _v2004, Expect("accepted")),
    Case("kazakh-names", "control", _kazakh_names, Expect("accepted")),
    # bombs and lying headers
    Case(
        "lying-size-bomb",
        "lying size",
        lambda: _package(_lying_bomb("assets/data.bin")),
        Expect("refused", ("ZIP-SIZE-MISMATCH",)),
    ),
    Case(
        "lying-size-bomb-honest-crc",
        "lying size",
        lambda: _package(_lying_bomb("assets/data.bin", honest_crc=True)),
        Expect("refused", ("ZIP-SIZE-MISMATCH",)),
    ),
    Case(
        "lying-size-manifest",
        "lying size",
        _short_manifest,
        Expect("refused", ("ZIP-SIZE-MISMATCH",)),
    ),
    Case(
        "classic-bomb",
        "zip bomb",
        lambda: _package(_classic_bomb("assets/zeros.bin")),
        Expect("refused", ("ZIP-RATIO",)),
    ),
    Case(
        "declared-too-large",
        "zip bomb",
        lambda: fx.set_declared_size(fx.package_12(), "page2.html", 0xFFFFFFF0),
        Expect("refused", ("ZIP-TOO-LARGE",)),
    ),
    Case("too-many-entries", "zip bomb", _too_many, Expect("refused", ("ZIP-TOO-MANY",))),
    Case("overlapping-entries", "zip bomb", _overlap, Expect("refused", ("ZIP-UNREADABLE",))),
    Case(
        "bad-crc-unreferenced",
        "bad CRC",
        lambda: _package(Entry("notes.txt", b"hello", declared_crc=1)),
        Expect("refused", ("ZIP-CRC",)),
    ),
    Case("bad-crc-page", "bad CRC", _bad_crc("page2.html"), Expect("refused", ("ZIP-CRC",))),
    Case(
        "corrupt-deflate", "damaged entry", _corrupt_stream, Expect("refused", ("ZIP-UNREADABLE",))
    ),
    Case(
        "unknown-method",
        "damaged entry",
        lambda: _package(Entry("old.bin", b"x" * 100, declared_method=9)),
        Expect("refused", ("ZIP-UNREADABLE",)),
    ),
    Case(
        "header-name-mismatch",
        "damaged entry",
        _header_mismatch,
        Expect("refused", ("ZIP-UNREADABLE",)),
    ),
    # zip slip and friends
    Case(
        "zip-slip",
        "zip slip",
        lambda: _package(Entry(SLIP, b"<p>pwned</p>")),
        Expect("refused", ("ZIP-TRAVERSAL",)),
    ),
    Case(
        "absolute-path",
        "zip slip",
        lambda: _package(Entry("/tmp/sandyq-pwned.html", b"x")),
        Expect("refused", ("ZIP-ABSOLUTE",)),
    ),
    Case(
        "drive-letter",
        "zip slip",
        lambda: _package(Entry("C:/sandyq-pwned.html", b"x")),
        Expect("refused", ("ZIP-ABSOLUTE",)),
    ),
    Case(
        "backslash-slip",
        "zip slip",
        lambda: _package(Entry("..\\..\\sandyq-pwned.html", b"x")),
        Expect("refused", ("ZIP-BACKSLASH",)),
    ),
    Case("symlink", "symlink", _symlink, Expect("refused", ("ZIP-SYMLINK",))),
    Case("encrypted", "encrypted", _encrypted, Expect("refused", ("ZIP-ENCRYPTED",))),
    # names
    Case("name-not-utf8", "names", _not_utf8, Expect("refused", ("ZIP-NAME-ENCODING",))),
    Case(
        "empty-name",  # found by tests/fuzz: it once crashed the reader
        "names",
        lambda: _package(Entry("", b"x")),
        Expect("refused", ("ZIP-UNREADABLE",)),
    ),
    Case(
        "duplicate-page",
        "duplicated name",
        _duplicate("page2.html"),
        Expect("refused", ("ZIP-DUPLICATE",)),
    ),
    Case(
        "duplicate-manifest",
        "duplicated name",
        _duplicate(fx.MANIFEST),
        Expect("refused", ("ZIP-DUPLICATE",)),
    ),
    Case(
        "case-clash",
        "case clash",
        lambda: _package(Entry("INDEX.html", _page("INDEX"))),
        Expect("refused", ("ZIP-CASE-CLASH",)),
    ),
    Case("unicode-clash", "case clash", _nfd_clash, Expect("refused", ("ZIP-CASE-CLASH",))),
    Case(
        "file-and-folder",
        "file and folder",
        lambda: _package(Entry("images", b"not a folder")),
        Expect("refused", ("ZIP-FILE-FOLDER",)),
    ),
    Case(
        "reserved-con",
        "reserved name",
        lambda: _package(Entry("con.txt", b"x")),
        Expect("warned", ("ZIP-RESERVED-NAME",)),
    ),
    Case(
        "reserved-aux-folder",
        "reserved name",
        lambda: _package(Entry("aux/notes.txt", b"x")),
        Expect("warned", ("ZIP-RESERVED-NAME",)),
    ),
    Case(
        "reserved-characters",
        "reserved name",
        lambda: _package(Entry("notes/a:b.txt", b"x"), Entry("what?.txt", b"x")),
        Expect("warned", ("ZIP-RESERVED-NAME",)),
    ),
    Case(
        "reserved-drive-colon",
        "reserved name",
        lambda: _package(Entry("a:b.txt", b"x")),
        Expect("refused", ("ZIP-ABSOLUTE",)),
    ),
    Case(
        "trailing-dot",
        "reserved name",
        lambda: _package(Entry("notes./a.txt", b"x")),
        Expect("warned", ("ZIP-RESERVED-NAME",)),
    ),
    Case(
        "long-name",
        "long name",
        lambda: _package(Entry("a" * 251 + ".html", b"x")),
        Expect("refused", ("ZIP-NAME-TOO-LONG",)),
    ),
    Case(
        "long-cyrillic-name",
        "long name",
        lambda: _package(Entry("сабақ" * 26 + ".html", b"x")),
        Expect("refused", ("ZIP-NAME-TOO-LONG",)),
    ),
    Case(
        "newline-in-name",
        "control characters",
        lambda: _package(Entry("bad\nname.html", b"x")),
        Expect("refused", ("ZIP-CONTROL-CHAR",)),
    ),
    Case(
        "escape-in-name",
        "control characters",
        lambda: _package(Entry("\x1b[31mred\x1b[0m.html", b"x")),
        Expect("refused", ("ZIP-CONTROL-CHAR",)),
    ),
    # XML
    Case("xxe", "XXE", _manifest_with(_DECLARATION, XXE), Expect("refused", ("XML-DTD",))),
    Case(
        "billion-laughs",
        "billion laughs",
        _manifest_with(_DECLARATION, LAUGHS),
        Expect("refused", ("XML-DTD",)),
    ),
    Case(
        "external-dtd",
        "external DTD",
        _manifest_with(_DECLARATION, EXTERNAL_DTD),
        Expect("refused", ("XML-DTD",)),
    ),
    Case("deep-xml", "XML nesting", _deep_xml, Expect("refused", ("XML-MALFORMED",))),
    Case(
        "utf16-manifest",
        "encoding",
        lambda: fx.with_manifest_bytes(
            fx.package_12(),
            fx.manifest_12().replace("UTF-8", "UTF-16").encode("utf-16"),
        ),
        Expect("refused", ("XML-ENCODING",)),
    ),
    # not a zip at all
    Case(
        "not-a-zip",
        "not a zip",
        lambda: b"<html>not a zip</html>\n",
        Expect("refused", ("ZIP-NOT-ZIP",)),
    ),
    Case("empty-file", "not a zip", lambda: b"", Expect("refused", ("ZIP-NOT-ZIP",))),
    Case("truncated-zip", "not a zip", _truncated, Expect("refused", ("ZIP-NOT-ZIP",))),
)


# ---- teacher files for `sandyq build` ----------------------------------------------------


@functools.cache
def _lesson() -> bytes:
    return LessonDocx().heading("Кіріспе").paragraph("Ньютонның бірінші заңы.").bytes()


def _docx_replacing(part: str, entry: Callable[[bytes], Entry]) -> Callable[[], bytes]:
    def make() -> bytes:
        return raw_zip(
            [
                entry(data) if name == part else Entry(name, data)
                for name, data in fx.read_zip(_lesson()).items()
            ]
        )

    return make


def _docx_adding(*extra: Entry) -> Callable[[], bytes]:
    return lambda: raw_zip([*_entries(_lesson()), *extra])


def _docx_xml(prolog: str) -> Callable[[], bytes]:
    def entry(data: bytes) -> Entry:
        text = data.decode("utf-8")
        head, _, rest = text.partition("?>")
        return Entry("word/document.xml", (prolog + rest if rest else prolog + text).encode())

    return _docx_replacing("word/document.xml", entry)


DOCUMENT = "word/document.xml"

TEACHER_FILES: tuple[Case, ...] = (
    Case("docx-valid", "control", _lesson, Expect("accepted"), filename="сабақ.docx"),
    Case(
        "docx-classic-bomb",
        "zip bomb",
        _docx_replacing(DOCUMENT, lambda _: _classic_bomb(DOCUMENT)),
        Expect("refused"),
        filename="сабақ.docx",
    ),
    Case(
        "docx-lying-size",
        "lying size",
        _docx_adding(_lying_bomb("word/media/image9.png")),
        Expect("refused"),
        filename="сабақ.docx",
    ),
    Case(
        "docx-bad-crc",
        "bad CRC",
        _docx_replacing(DOCUMENT, lambda data: Entry(DOCUMENT, data, declared_crc=7)),
        Expect("refused"),
        filename="сабақ.docx",
    ),
    Case("docx-xxe", "XXE", _docx_xml(XXE), Expect("refused"), filename="сабақ.docx"),
    Case(
        "docx-billion-laughs",
        "billion laughs",
        _docx_xml(LAUGHS),
        Expect("refused"),
        filename="сабақ.docx",
    ),
    Case(
        "docx-external-dtd",
        "external DTD",
        _docx_xml(EXTERNAL_DTD),
        Expect("refused"),
        filename="сабақ.docx",
    ),
    Case(
        "docx-zip-slip",
        "zip slip",
        _docx_adding(Entry(SLIP, b"pwned")),
        Expect("refused"),
        filename="сабақ.docx",
    ),
    Case(
        "docx-symlink",
        "symlink",
        _docx_adding(Entry("word/media/link.png", b"/etc/passwd", mode=0o120777)),
        Expect("refused"),
        filename="сабақ.docx",
    ),
    Case(
        "docx-not-a-zip",
        "not a zip",
        lambda: b"PK\x03\x04 broken",
        Expect("refused"),
        filename="сабақ.docx",
    ),
)

_COURSE_TOML = """[course]
title = "Ньютон заңдары"
language = "kk"

[[parts]]
type = "lesson"
title = "Кіріспе"
source = "{page}"
"""

FOLDERS: tuple[FolderCase, ...] = (
    FolderCase(
        "course-page-outside",
        "zip slip",
        {"course.toml": _COURSE_TOML.format(page="../outside/secret.html").encode()},
        Expect("refused"),
    ),
    FolderCase(
        "course-absolute-page",
        "zip slip",
        {"course.toml": _COURSE_TOML.format(page="/etc/passwd").encode()},
        Expect("refused"),
    ),
)


@dataclass
class Figures:
    """What one surface did with the corpus: the counts docs/security.md prints."""

    inputs: int = 0
    refused: int = 0
    warned: int = 0
    accepted: int = 0
    crashed: int = 0
    wrote_outside: int = 0
    #: case id -> what went differently from its `Expect` (empty when all held)
    surprises: dict[str, str] = field(default_factory=dict)

    def add(self, verdict: str, *, crashed: bool = False, outside: bool = False) -> None:
        self.inputs += 1
        if crashed:
            self.crashed += 1
        elif verdict == "refused":
            self.refused += 1
        elif verdict == "warned":
            self.warned += 1
        else:
            self.accepted += 1
        self.wrote_outside += int(outside)


def write_case(case: Case, folder: Path) -> Path:
    """The case's bytes in ``folder`` under its file name (one folder per case)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / case.filename
    path.write_bytes(case.make())
    return path


def write_folder(case: FolderCase, folder: Path) -> Path:
    for name, data in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder
