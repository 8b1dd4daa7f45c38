"""What an offline library says about each resource: the card, the launch page and the
search keys its page matches a query against. Pure: no I/O, so it is tested with dicts.

The catalogue's answers are read defensively (``ShelfError`` names what is missing), since
a library made from a malformed answer would fail on a school's computer, far from help.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lms_sync.models import PublishedItem
from scorm_builder.folding import fold
from scorm_builder.vocabulary import LANGUAGES, LICENCES, Names, grade_names, subject_names

#: Where a resource's package is unpacked, relative to the library's ``index.html``.
PACKAGES = "packages"
WORD_SEPARATORS = str.maketrans({char: " " for char in ".,;:!?()[]{}«»\"'/\\—–-_"})


class ShelfError(ValueError):
    """The catalogue's description of a resource lacks what a library needs."""


@dataclass(frozen=True)
class Shelved:
    """One resource as the library's page shows it (``docs/offline-library.md``)."""

    uuid: str
    version: int
    sha256: str
    titles: Names
    descriptions: Names
    language: str
    subject: str
    grades: tuple[int, ...]
    resource_type: str
    license: str
    published_at: str
    launch: str
    size: int
    search: str

    def as_json(self) -> dict[str, Any]:
        licence = LICENCES.get(self.license)
        names = licence.names if licence is not None else Names(*(self.license,) * 3)
        return {
            "uuid": self.uuid,
            "version": self.version,
            "sha256": self.sha256,
            "title": _names_json(self.titles),
            "description": _names_json(self.descriptions),
            "language": self.language,
            "subject": self.subject,
            "grades": list(self.grades),
            "resource_type": self.resource_type,
            "license": self.license,
            "license_name": _names_json(names),
            "published_at": self.published_at,
            "launch": self.launch,
            "size": self.size,
            "search": self.search,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Shelved:
        """An entry of an existing library's ``library.json`` (for ``offline update``)."""
        return cls(
            uuid=str(data["uuid"]),
            version=int(data["version"]),
            sha256=str(data["sha256"]),
            titles=Names(**{lang: str(data["title"].get(lang, "")) for lang in LANGUAGES}),
            descriptions=Names(
                **{lang: str(data["description"].get(lang, "")) for lang in LANGUAGES}
            ),
            language=str(data["language"]),
            subject=str(data["subject"]),
            grades=tuple(int(grade) for grade in data["grades"]),
            resource_type=str(data["resource_type"]),
            license=str(data["license"]),
            published_at=str(data["published_at"]),
            launch=str(data["launch"]),
            size=int(data["size"]),
            search=str(data["search"]),
        )


def _names_json(names: Names) -> dict[str, str]:
    return {lang: names.get(lang) for lang in LANGUAGES}


def search_keys(texts: Iterable[str]) -> str:
    """The keys (``scorm_builder.folding``) of every word of the texts, each once."""
    keys: dict[str, None] = {}
    for text in texts:
        for word in text.translate(WORD_SEPARATORS).split():
            key = fold(word)
            if key:
                keys[key] = None
    return " ".join(keys)


def launch_page(uuid: str, manifest_launch: str) -> str:
    return f"{PACKAGES}/{uuid}/{manifest_launch}"


def shelve(
    item: PublishedItem,
    resource: Mapping[str, Any],
    launch: str,
    unpacked_size: int,
    body: str = "",
) -> Shelved:
    """The library's entry for ``item``, from the catalogue's ``GET /api/v1/resources/
    <uuid>`` answer (its ``latest_version`` is the published one for a sync token) and
    ``body``, the text of its pages (``scorm_builder.pagetext``), searched as the catalogue
    searches it."""
    try:
        version = resource["latest_version"]
        metadata = version["metadata"]
        number = int(version["number"])
    except (KeyError, TypeError, ValueError):
        raise ShelfError(f"the catalogue's answer for {item.uuid} has no version") from None
    if number != item.version:
        raise ShelfError(
            f"the catalogue describes version {number} of {item.uuid}, the feed version "
            f"{item.version}: it changed during the export; run it again"
        )
    titles = Names(**{lang: str(metadata.get(f"title_{lang}") or "") for lang in LANGUAGES})
    if not any(titles.get(lang) for lang in LANGUAGES):
        titles = Names(item.title, item.title, item.title)
    descriptions = Names(
        **{lang: str(metadata.get(f"description_{lang}") or "") for lang in LANGUAGES}
    )
    keywords = [str(word) for word in metadata.get("keywords") or () if word]
    subject = subject_names(item.subject) if item.subject else None
    names = [
        *(subject.get(lang) for lang in LANGUAGES if subject is not None),
        *(grade_names(grade).get(lang) for grade in item.grades for lang in LANGUAGES),
    ]
    texts = [*(titles.get(lang) for lang in LANGUAGES), *keywords, *names]
    texts += [descriptions.get(lang) for lang in LANGUAGES]
    texts.append(body)
    return Shelved(
        uuid=item.uuid,
        version=item.version,
        sha256=item.sha256,
        titles=titles,
        descriptions=descriptions,
        language=item.language,
        subject=item.subject,
        grades=item.grades,
        resource_type=str(metadata.get("resource_type") or ""),
        license=str(metadata.get("license") or ""),
        published_at=item.published_at or "",
        launch=launch,
        size=unpacked_size,
        search=search_keys(texts),
    )
