"""Writing the package zip: the same bytes for the same input, and never half a file.

Entries are sorted with the manifest first, every timestamp and permission is fixed, and
the zip is written to a temporary file beside the target and moved into place only when
complete, so a failed build leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

MANIFEST = "imsmanifest.xml"
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_STORED_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".mp4",
    ".webm",
    ".mp3",
    ".m4a",
    ".zip",
    ".woff2",
)


def entry_order(name: str) -> tuple[int, str]:
    """The manifest first, then every other entry by name."""
    return (0 if name == MANIFEST else 1, name)


def write_zip(files: Mapping[str, bytes | Path], target: Path) -> int:
    """Write ``files`` as a reproducible zip at ``target`` atomically; the size in bytes.

    A value is the entry's bytes, or a file on disk (a video) that is streamed in.
    """
    for name in files:
        if not name.isascii() or name.startswith("/") or "\\" in name or ".." in name.split("/"):
            raise ValueError(f"refusing an unsafe zip entry name: {name!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent
    )
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w") as archive:
            for name in sorted(files, key=entry_order):
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                stored = name.lower().endswith(_STORED_SUFFIXES)
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                data = files[name]
                if isinstance(data, Path):
                    info.file_size = data.stat().st_size
                    with (
                        data.open("rb") as source,
                        archive.open(info, "w", force_zip64=True) as out,
                    ):
                        shutil.copyfileobj(source, out, 1024 * 1024)
                else:
                    archive.writestr(info, data, compresslevel=None if stored else 9)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return target.stat().st_size
