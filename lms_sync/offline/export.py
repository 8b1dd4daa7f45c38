"""Make or update an offline library from a catalogue: choose, download, unpack, write.

The catalogue is read as the Moodle sync reads it (the published feed and its packages,
each checked against the feed's SHA-256), plus each resource's public description for its
card. A package already in the library at the same version is not downloaded again. What
an export will write is measured first: the feed's package sizes say how large the
library will be before a byte is written (``Plan``), and an image that would not fit a DVD
is refused then.

``--since`` writes only the difference from an earlier library (new and changed
resources, and the whole index), for a small stick; ``apply_difference`` brings the
earlier library up to date from it with no network.
"""

from __future__ import annotations

import tempfile
import uuid as uuid_module
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lms_sync.catalogue_client import CatalogueClient
from lms_sync.errors import CatalogueError
from lms_sync.models import Filters, PublishedItem
from lms_sync.offline.images import check_fits_dvd, iso_size_estimate
from lms_sync.offline.library import (
    Library,
    LibraryError,
    folder_files,
    folder_size,
    place,
    read_library,
    staged,
    unpack,
    write_library,
    write_page,
)
from lms_sync.offline.shelf import PACKAGES, ShelfError, Shelved, launch_page, shelve
from scorm_builder.errors import ScormError

Say = Callable[[str], None]
#: Packages downloaded and unpacked at a time.
CONCURRENCY = 4
#: How much of a lesson's own text its search keys come from (UTF-8 bytes): the first pages
#: say what it is about, and the page loads every resource's keys at once.
BODY_BYTES = 30_000


@dataclass(frozen=True)
class Selection:
    """Which published resources go on the shelf: the sync's filters and a saved search."""

    filters: Filters = Filters()
    query: str = ""

    def describe(self) -> str:
        said = self.filters.describe()
        return f'{said}, matching "{self.query}"' if self.query else said

    def as_json(self) -> dict[str, Any]:
        filters = self.filters
        return {
            "subjects": sorted(filters.subjects),
            "grades": sorted(filters.grades),
            "languages": sorted(filters.languages),
            "query": self.query,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Selection:
        filters = Filters(
            subjects=frozenset(str(word) for word in data.get("subjects") or ()),
            grades=frozenset(int(grade) for grade in data.get("grades") or ()),
            languages=frozenset(str(word) for word in data.get("languages") or ()),
        )
        return cls(filters, str(data.get("query") or ""))


@dataclass(frozen=True)
class Plan:
    """What an export will do, known before anything is downloaded."""

    items: tuple[PublishedItem, ...]
    kept: tuple[Shelved, ...] = ()  # already in the earlier library at the same version
    removed: tuple[Shelved, ...] = ()  # in the earlier library, no longer published
    download_bytes: int = 0

    @property
    def fetched(self) -> tuple[PublishedItem, ...]:
        kept = {(item.uuid, item.version) for item in self.kept}
        return tuple(item for item in self.items if (item.uuid, item.version) not in kept)


@dataclass
class Outcome:
    library: Library
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    size: int = 0


def now_text() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def plan(client: CatalogueClient, selection: Selection, earlier: Library | None = None) -> Plan:
    published = [item for item in client.feed() if item.published]
    chosen = [item for item in published if selection.filters.accepts(item)]
    if selection.query:
        found = client.search_uuids(selection.query)
        chosen = [item for item in chosen if item.uuid in found]
    chosen.sort(key=lambda item: (item.subject, item.grades, item.title, item.uuid))
    shelved = {item.uuid: item for item in earlier.items} if earlier else {}
    kept = tuple(
        shelved[item.uuid]
        for item in chosen
        if item.uuid in shelved and shelved[item.uuid].version == item.version
    )
    wanted = {item.uuid for item in chosen}
    removed = tuple(item for item in shelved.values() if item.uuid not in wanted)
    fresh = Plan(tuple(chosen), kept, removed)
    return replace(fresh, download_bytes=sum(item.size for item in fresh.fetched))


def _shelve_one(
    client: CatalogueClient, item: PublishedItem, target: Path, downloads: Path
) -> Shelved:
    """Download ``item``'s package, unpack it into ``target`` and describe it."""
    description = client.resource(item.uuid)
    download = client.download(item, downloads)
    try:
        unpacked = unpack(download.path, target, BODY_BYTES)
    except (LibraryError, ScormError) as error:  # zipsafe's refusals name the entry
        raise LibraryError(f'the package of "{item.title}" ({item.uuid}): {error}') from error
    finally:
        download.path.unlink(missing_ok=True)
    launch = launch_page(item.uuid, unpacked.launch)
    try:
        return shelve(item, description, launch, unpacked.size, unpacked.text)
    except ShelfError as error:
        raise CatalogueError(str(error)) from None


def build(
    client: CatalogueClient,
    target: Path,
    the_plan: Plan,
    selection: Selection,
    *,
    earlier: Library | None = None,
    earlier_folder: Path | None = None,
    only_difference: bool = False,
    iso: bool = False,
    say: Say = lambda text: None,
) -> Outcome:
    """Download what the plan fetches and write the library (or, with ``only_difference``,
    a difference holding only those packages) into ``target``, whole or not at all:
    packages are unpacked straight into the staged folder, kept ones linked from the
    earlier library."""
    stamp = now_text()
    library = Library(
        id=earlier.id if earlier else str(uuid_module.uuid4()),
        created_at=earlier.created_at if earlier else stamp,
        updated_at=stamp,
        catalogue=client.base_url,
        selection=selection.as_json(),
    )
    kept = {item.uuid: item for item in the_plan.kept}
    if kept and not only_difference:
        missing = [
            uuid for uuid in kept
            if earlier_folder is None or not (earlier_folder / PACKAGES / uuid).is_dir()
        ]  # fmt: skip
        if missing:
            raise LibraryError(
                f"{earlier_folder} lacks the unpacked packages of {', '.join(missing)}: "
                "export the whole library again"
            )
    before = {item.uuid for item in earlier.items} if earlier else set()
    outcome = Outcome(library, removed=[item.uuid for item in the_plan.removed])
    with (
        tempfile.TemporaryDirectory(prefix="sandyq-offline-") as downloads,
        staged(target) as staging,
    ):
        for shelved in the_plan.kept:
            if not only_difference and earlier_folder is not None:
                uuid = shelved.uuid
                place(earlier_folder / PACKAGES / uuid, staging / PACKAGES / uuid)
        fetched = the_plan.fetched
        made: dict[str, Shelved] = {}
        # a few at a time: one waits for the network while another unpacks
        with ThreadPoolExecutor(CONCURRENCY, thread_name_prefix="sandyq-offline") as pool:
            jobs = {
                pool.submit(
                    _shelve_one, client, item, staging / PACKAGES / item.uuid, Path(downloads)
                ): item
                for item in fetched
            }
            try:
                for number, job in enumerate(as_completed(jobs), start=1):
                    made[jobs[job].uuid] = job.result()
                    say(f"[{number}/{len(fetched)}] {jobs[job].title}")
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
        entries = [kept.get(item.uuid) or made[item.uuid] for item in the_plan.items]
        for item in fetched:
            (outcome.changed if item.uuid in before else outcome.added).append(item.uuid)
        if iso:
            size = sum(entry.size for entry in entries)
            check_fits_dvd(iso_size_estimate(size, folder_files(staging)))
        outcome.library = replace(library, items=tuple(entries))
        write_page(staging, outcome.library)
    outcome.size = folder_size(target)
    return outcome


def apply_difference(library_folder: Path, difference: Path) -> Outcome:
    """Bring the library up to date from a difference written by ``export --since``,
    with no network: new and changed packages come from the difference, the rest stay."""
    earlier = read_library(library_folder)
    update = read_library(difference)
    if update.id != earlier.id:
        raise LibraryError(
            f"{difference} was made for another library ({update.id}, this one is "
            f"{earlier.id}): export the difference from this library"
        )
    before = {item.uuid: item for item in earlier.items}
    folders: dict[str, Path] = {}
    outcome = Outcome(update)
    for item in update.items:
        shipped = difference / PACKAGES / item.uuid
        old = before.get(item.uuid)
        if shipped.is_dir():
            folders[item.uuid] = shipped
            (outcome.changed if old else outcome.added).append(item.uuid)
        elif old is not None and old.version == item.version:
            folders[item.uuid] = library_folder / PACKAGES / item.uuid
        else:
            raise LibraryError(
                f"the difference lacks the package of {item.uuid} and the library does "
                "not have that version: export the difference again"
            )
    outcome.removed = [uuid for uuid in before if uuid not in folders]
    write_library(library_folder, update, folders)  # staged: the old one stays until done
    outcome.size = folder_size(library_folder)
    return outcome


def sizes_text(items: Sequence[Shelved]) -> str:
    return f"{sum(item.size for item in items) / 1e6:.1f} MB"
