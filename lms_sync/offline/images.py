"""A library as one file: a ``.zip`` to copy, or a DVD image (``.iso``).

The image is ISO 9660 with Joliet (what Windows reads) and Rock Ridge (Linux), through
``pycdlib``: a school's old computer opens the disc's ``index.html`` with the names the
library has, Kazakh ones included. Plain ISO 9660 allows only short capital names, so its
own names are made up (``D000001``, ``F000001.``); every reader here uses Joliet or Rock
Ridge. Both files are written beside their target and moved into place when complete.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pycdlib

#: A single-layer DVD±R (4.7 GB, in bytes); the image's own structures take a little more.
DVD_BYTES = 4_707_319_808
#: What ISO 9660's directories, Joliet's and Rock Ridge's names add, as a share of the files.
IMAGE_OVERHEAD = 0.02
#: The longest name Joliet holds (UTF-16 code units of one path component).
JOLIET_NAME = 64
VOLUME = "SANDYQ"


class ImageError(Exception):
    """The library cannot be made into this image (too large, a name too long)."""


def iso_size_estimate(folder_bytes: int, files: int) -> int:
    """Roughly what an image of this many bytes in this many files takes: each file
    rounded up to the 2 KiB sectors, plus the directories' share."""
    return int((folder_bytes + files * 2048) * (1 + IMAGE_OVERHEAD))


def check_fits_dvd(estimate: int) -> None:
    if estimate > DVD_BYTES:
        over = estimate - DVD_BYTES
        raise ImageError(
            f"the library needs about {_gigabytes(estimate)} and a DVD holds "
            f"{_gigabytes(DVD_BYTES)}: leave out about {_gigabytes(over)} of resources "
            "(choose fewer subjects or grades), or write a folder or a .zip for a USB stick"
        )


def _gigabytes(size: int) -> str:
    return f"{size / 1e9:.2f} GB"


@contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    partial = target.with_name(f".{target.name}.partial")
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def write_zip(folder: Path, target: Path) -> None:
    """The library's files under one top folder named like the library's folder."""
    with _replacing(target) as partial, zipfile.ZipFile(partial, "w") as archive:
        for path in _files(folder):
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            kind = (
                zipfile.ZIP_STORED
                if path.suffix in {".mp4", ".webm", ".png", ".jpg"}
                else (zipfile.ZIP_DEFLATED)
            )  # video and pictures are compressed already
            archive.write(path, name, compress_type=kind)


def write_iso(folder: Path, target: Path) -> None:
    """A DVD image whose root is the library (``index.html`` at the top)."""
    image = pycdlib.PyCdlib()
    image.new(interchange_level=3, joliet=3, rock_ridge="1.09", vol_ident=VOLUME)
    numbers = {"D": 0, "F": 0}
    iso_paths: dict[Path, str] = {folder: ""}

    def made_up(kind: str) -> str:
        numbers[kind] += 1
        return f"{kind}{numbers[kind]:06d}"

    try:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if len(path.name.encode("utf-16-le")) // 2 > JOLIET_NAME:
                raise ImageError(
                    f"{relative.as_posix()}: the name is longer than the {JOLIET_NAME} "
                    "characters a DVD's Joliet names hold; write a folder or a .zip instead"
                )
            parent = iso_paths[path.parent]
            joliet = "/" + relative.as_posix()
            if path.is_dir():
                iso_paths[path] = f"{parent}/{made_up('D')}"
                image.add_directory(iso_paths[path], rr_name=path.name, joliet_path=joliet)
            else:
                name = f"{parent}/{made_up('F')}.;1"
                image.add_file(str(path), name, rr_name=path.name, joliet_path=joliet)
        with _replacing(target) as partial:
            image.write(str(partial))
    finally:
        image.close()
