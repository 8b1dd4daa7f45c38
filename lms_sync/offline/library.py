"""The library's folder: written whole or not at all, read back for an update.

A library is written into a staging folder beside the target and moved into place only
once everything is there, so a full stick or a pulled cable never leaves half a library; an
update replaces the old folder the same way. Packages are unpacked through
``scorm_builder.zipsafe`` (they come from a server: traversal, bombs and lying sizes are
refused as for any stranger's zip).

Pupils' progress is not in the folder but in the browser (``docs/offline-library.md``), so
an update never touches it: it keeps the library's ``id`` and each package's own name for
its stored progress.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lms_sync.offline.shelf import PACKAGES, Shelved
from scorm_builder.folding import DIGRAPHS, FOLD_TABLE
from scorm_builder.package_reader import MANIFEST, describe_package
from scorm_builder.pagetext import is_page, pages_text
from scorm_builder.vocabulary import GRADE_NAMES, LANGUAGES, SUBJECTS, Names
from scorm_builder.xmlsafe import parse_xml
from scorm_builder.zipsafe import SafeZip

FORMAT = 1
ASSETS = Path(__file__).with_name("assets")
#: The library's page at the root, its script, styles and data beside it.
PAGE = "index.html"
SCRIPTS = ("library.js", "library.css")
DATA = "library/data.js"
#: The same data for ``sandyq offline update``; the page never reads it.
RECORD = "library.json"


class LibraryError(Exception):
    """The folder is not a library, or a package cannot go into one."""


@dataclass(frozen=True)
class Library:
    id: str
    created_at: str
    updated_at: str
    catalogue: str
    items: tuple[Shelved, ...] = field(default=())
    #: What was chosen (subjects, grades, languages, query), so that an update chooses alike.
    selection: dict[str, Any] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        """What ``library/data.js`` hands the page (``docs/offline-library.md``)."""
        subjects = sorted({item.subject for item in self.items if item.subject})
        grades = sorted({grade for item in self.items for grade in item.grades})
        return {
            "format": FORMAT,
            "id": self.id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "catalogue": self.catalogue,
            "selection": self.selection,
            "fold": FOLD_TABLE,
            "digraphs": dict(DIGRAPHS),
            "subjects": {key: _names(SUBJECTS[key]) for key in subjects if key in SUBJECTS},
            "grades": {str(grade): _names(GRADE_NAMES[grade]) for grade in grades},
            "resources": [item.as_json() for item in self.items],
        }


def _names(names: Names) -> dict[str, str]:
    return {lang: names.get(lang) for lang in LANGUAGES}


def read_library(folder: Path) -> Library:
    """The library in ``folder``, as its ``library.json`` records it."""
    record = folder / RECORD
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        return Library(
            id=str(data["id"]),
            created_at=str(data["created_at"]),
            updated_at=str(data["updated_at"]),
            catalogue=str(data["catalogue"]),
            items=tuple(Shelved.from_json(entry) for entry in data["resources"]),
            selection=dict(data.get("selection") or {}),
        )
    except FileNotFoundError:
        raise LibraryError(
            f"{folder} is not an offline library: it has no {RECORD} (make one with "
            "`sandyq offline export -o FOLDER`)"
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise LibraryError(f"{record} is damaged ({error!r}): export the library again") from None


@dataclass(frozen=True)
class Unpacked:
    launch: str  # the first SCO's launch page, relative to the package's folder
    size: int  # bytes written
    text: str  # what its pages say (``scorm_builder.pagetext``), for the search keys


def unpack(package: Path, target: Path, text_limit: int = 30_000) -> Unpacked:
    """Unpack the SCORM zip into ``target``, reading its manifest and its pages' text on
    the way. A zip whose directory is unsafe is refused whole; every entry is inflated
    once, through ``SafeZip.stream``, which checks its real size and CRC as it goes (so the
    archive is not scanned first: a lie found half-way fails the staged library)."""
    archive = SafeZip.open(package, scan=False)
    archive.raise_for_problems()
    if MANIFEST not in archive:
        raise LibraryError(f"{package.name}: no imsmanifest.xml at the root")
    tree = parse_xml(archive.read(MANIFEST), source=MANIFEST)
    manifest = describe_package(archive, tree, path=str(package), zip_bytes=0).manifest
    scos = manifest.scos if manifest is not None else ()
    if not scos:
        raise LibraryError(f"{package.name}: the package launches nothing (no SCO or asset)")
    written = 0
    pages: list[tuple[str, bytes]] = []
    for name in archive.names:
        destination = target.joinpath(*name.split("/"))
        destination.parent.mkdir(parents=True, exist_ok=True)
        kept: list[bytes] | None = [] if is_page(name) else None
        with destination.open("wb") as out:
            for chunk in archive.stream(name):
                out.write(chunk)
                written += len(chunk)
                if kept is not None:
                    kept.append(chunk)
        if kept is not None:
            pages.append((name, b"".join(kept)))
    return Unpacked(_launch_inside(package, target, scos[0].launch), written,
                    pages_text(pages, text_limit))  # fmt: skip


def _launch_inside(package: Path, target: Path, launch: str) -> str:
    """The launch page, if it is a file of the package: the library's page opens it in its
    frame, so a ``javascript:`` address or a path out of the package would run or show
    something else in the library's own place."""
    parts = urlsplit(launch)
    page = target.joinpath(*unquote(parts.path).split("/")).resolve()
    inside = page.is_relative_to(target.resolve()) and page.is_file()
    if parts.scheme or parts.netloc or launch.startswith("/") or not inside:
        raise LibraryError(
            f"{package.name}: its launch page {launch!r} is not a file of the package; "
            "the package's manifest must name one of its own pages"
        )
    return launch


def place(source: Path, target: Path) -> None:
    """An unpacked package into a new library: hard links where the file system allows
    them (an update on the same disk copies nothing), a copy where it does not (FAT)."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link_or_copy)


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def folder_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A fresh folder beside ``target`` that replaces it when the block ends well, and is
    removed when it does not."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def write_page(folder: Path, library: Library) -> None:
    """The page, its script and styles, its data and the record, into ``folder``."""
    shutil.copyfile(ASSETS / PAGE, folder / PAGE)
    (folder / "library").mkdir(exist_ok=True)
    for name in SCRIPTS:
        shutil.copyfile(ASSETS / name, folder / "library" / name)
    data = json.dumps(library.data(), ensure_ascii=False, separators=(",", ":"))
    # "</" would end the script element early in a page that inlined it
    script = "window.SANDYQ_LIBRARY = " + data.replace("</", "<\\/") + ";\n"
    (folder / DATA).write_text(script, encoding="utf-8")
    record = {**library.data(), "fold": None, "digraphs": None}
    (folder / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")


def write_library(
    folder: Path, library: Library, packages: Mapping[str, Path], *, partial: bool = False
) -> None:
    """Write the page, its data and every package (``packages``: each resource's unpacked
    folder, by UUID) into ``folder``, which is a complete library afterwards; or, with
    ``partial``, a difference: the whole index and only the packages given."""
    missing = [item.uuid for item in library.items if item.uuid not in packages]
    if missing and not partial:
        raise LibraryError(f"no unpacked package for {', '.join(missing)}")
    with staged(folder) as staging:
        for item in library.items:
            if item.uuid in packages:
                place(packages[item.uuid], staging / PACKAGES / item.uuid)
        write_page(staging, library)
