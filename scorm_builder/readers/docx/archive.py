"""Opening a Word file from a stranger: format sniffing, zip safety, then python-docx.

python-docx never sees the teacher's archive itself. Every entry is first checked by
`scorm_builder.zipsafe` (bombs, traversal, too many entries), read under a cap, and every
XML part goes through the hardened parser of `scorm_builder.xmlsafe`; only then are those
very bytes handed to python-docx in a fresh in-memory archive. Whatever goes wrong becomes
a `SourceFileError` naming the file, the part and, for XML, the line.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Literal

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from scorm_builder.errors import SourceFileError
from scorm_builder.xmlsafe import XmlSafetyError, parse_xml
from scorm_builder.zipsafe import (
    SafeZip,
    ZipLimits,
    ZipNotZipError,
    ZipProblem,
    ZipSafetyError,
    readable,
)

Format = Literal["docx", "doc", "odt", "unknown"]

#: A lesson is text and photos: far below these, a bomb far above.
DOCX_LIMITS = ZipLimits(
    max_entries=5_000,
    max_total_size=512 * 1024**2,
    max_entry_size=128 * 1024**2,
    max_ratio=100.0,
    ratio_floor=1024**2,
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_STRICT_NAMESPACE = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
SAVE_AS_DOCX = (
    "open it in Word or LibreOffice Writer and use File > Save As > Word Document (.docx)"
)

_PROBLEM_TEXT: dict[str, str] = {
    "too-many-entries": "it holds more files than any Word document",
    "too-large": "it would unpack to more bytes than any Word document (a zip bomb?)",
    "ratio": "it is compressed far more than any Word document (a zip bomb)",
    "traversal": "an entry name climbs out of the archive with '..'",
    "absolute": "an entry name is an absolute path",
    "backslash": "an entry name uses backslashes",
    "symlink": "an entry is a symbolic link",
    "encrypted": "an entry is encrypted",
    "not-utf8-name": "an entry name is not marked as UTF-8",
    "duplicate": "an entry appears twice",
    "entry-too-large": "one of its parts would unpack to more bytes than any Word document "
    "holds (a zip bomb?)",
    "size-mismatch": "a part's real size differs from the size its header declares",
    "bad-crc": "a part's checksum is wrong: the file is damaged",
    "unreadable": "a part cannot be unpacked: the file is damaged",
    "case-clash": "two entry names differ only in upper and lower case",
    "file-folder": "an entry name is both a file and a folder",
    "reserved-name": "an entry name is one Windows reserves (CON, NUL ...)",
    "name-too-long": "an entry name is too long",
    "control-char": "an entry name holds control characters",
}


def sniff_format(data: bytes) -> Format:
    """What kind of word-processor file ``data`` is, from its bytes alone."""
    if data.startswith(_OLE_MAGIC):
        return "doc"
    if not data.startswith(b"PK"):
        return "unknown"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("mimetype") if "mimetype" in names else None
            if info is not None and info.file_size < 200 and readable(info):
                if archive.read(info).strip() == _ODT_MIMETYPE:
                    return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "unknown"
    return "docx"


def refuse_other_format(data: bytes, source: str) -> None:
    """Raise a teacher-friendly error for a .doc, .odt or non-Word file."""
    found = sniff_format(data)
    if found == "doc":
        raise SourceFileError(
            "this is an old Word 97-2003 document (.doc); Sandyq reads .docx",
            file=source,
            hint=SAVE_AS_DOCX,
        )
    if found == "odt":
        raise SourceFileError(
            "this is an OpenDocument text (.odt); Sandyq reads .docx",
            file=source,
            hint=SAVE_AS_DOCX,
        )


def open_document(data: bytes, source: str) -> Document:
    """The python-docx document of ``data``, after every safety check."""
    refuse_other_format(data, source)
    entries = _checked_entries(data, source)
    for name, blob in entries.items():
        if name.endswith((".xml", ".rels")):
            _check_xml(name, blob, source)
    document_xml = entries.get("word/document.xml", b"")
    if _STRICT_NAMESPACE in document_xml[:4096]:
        raise SourceFileError(
            "this is a 'Strict Open XML Document', which Sandyq cannot read",
            file=source,
            hint="in Word use File > Save As > Word Document (.docx), not Strict Open XML",
        )
    try:
        return docx.Document(io.BytesIO(_repack(entries)))
    except KeyError as error:
        raise SourceFileError(
            f"the document is damaged: a part it needs is missing ({error.args[0]})",
            file=source,
            hint=SAVE_AS_DOCX.replace("open it", "open it, let Word repair it,"),
        ) from None
    except (PackageNotFoundError, ValueError, etree.LxmlError) as error:
        raise SourceFileError(
            f"this is not a Word document python-docx can open: {error}",
            file=source,
            hint=SAVE_AS_DOCX,
        ) from None


def _checked_entries(data: bytes, source: str) -> dict[str, bytes]:
    try:
        safe = SafeZip.open(data, DOCX_LIMITS)
    except ZipNotZipError:
        raise SourceFileError(
            "the file is damaged or is not a Word document (it is not a valid .docx archive)",
            file=source,
            hint="if Word still opens it, save it again with File > Save As > Word Document "
            "(.docx); otherwise ask for a fresh copy",
        ) from None
    with safe:
        if safe.problems:
            raise _problem_error(safe.problems[0], source)
        entries: dict[str, bytes] = {}
        for name in safe.names:
            try:
                entries[name] = safe.read(name)
            except (ZipSafetyError, zlib.error, EOFError, ValueError) as error:
                raise SourceFileError(
                    f"the document is damaged: its part '{name}' cannot be unpacked",
                    file=source,
                    hint="if Word still opens it, save it again as .docx; "
                    "otherwise ask for a fresh copy",
                ) from error
    return entries


def _problem_error(problem: ZipProblem, source: str) -> SourceFileError:
    what = _PROBLEM_TEXT.get(problem.kind, problem.kind)
    where = f" (entry '{problem.entry}')" if problem.entry else ""
    return SourceFileError(
        f"refusing to open this .docx: {what}{where}",
        file=source,
        hint="a real lesson does not look like this; open the original in Word and save it "
        "again as .docx, or ask where the file came from",
    )


def _check_xml(name: str, blob: bytes, source: str) -> None:
    try:
        parse_xml(blob, source=name)
    except XmlSafetyError as error:
        raise SourceFileError(
            f"the document is damaged: part '{name}': {error.message}",
            file=source,
            line=error.line,
            hint="open it in Word (which offers to repair it) and save it again as .docx",
        ) from None


def _repack(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, blob in entries.items():
            archive.writestr(name, blob)
    return buffer.getvalue()
