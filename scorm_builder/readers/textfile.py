"""Reading teachers' text files: UTF-8 with or without BOM, and a clear error otherwise."""

from __future__ import annotations

from scorm_builder.errors import SourceFileError

_UTF8_HINT = (
    "save the file as UTF-8: in Notepad choose 'Save as' -> Encoding 'UTF-8'; "
    "in Word choose 'Plain text' with the 'Unicode (UTF-8)' encoding"
)


def decode_utf8(data: bytes, file: str) -> str:
    """Text of a UTF-8 file; a BOM is dropped, CRLF kept; anything else names the line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceFileError("the file is UTF-16, not UTF-8", file=file, line=1, hint=_UTF8_HINT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceFileError(
            f"the file is not UTF-8 (byte 0x{data[error.start]:02X} cannot be read; "
            "it looks like Windows-1251 or another old code page)",
            file=file,
            line=line,
            hint=_UTF8_HINT,
        ) from None
