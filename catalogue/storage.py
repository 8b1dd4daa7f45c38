"""Package storage: content-addressed by SHA-256 behind a small interface.

``LocalStorage`` keeps ``<root>/ab/cd/<sha256>.zip``; a file is written to a temporary
name and moved into place only when complete, so a failed upload stores nothing. Another
backend (S3, a network share) implements the same methods.

A process killed between storing a file and committing the row that names it leaves a file
no row references, and one killed mid-write leaves a temporary file: ``stored``, ``age``,
``leftovers`` and ``delete`` let ``sandyq db check --fix`` (catalogue.cli) find and remove
them (docs/operations.md, "Database and storage agree").
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app


class Storage(Protocol):
    def put(self, stream: BinaryIO, *, limit: int | None = None) -> tuple[str, int]:
        """Store the bytes of ``stream``; their SHA-256 and size."""

    def path(self, sha256: str) -> Path:
        """A local path to read the stored file from."""

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...

    def delete(self, sha256: str) -> bool:
        """Remove the stored file; False when there was none."""

    def stored(self) -> Iterator[str]:
        """The SHA-256 of every stored file."""

    def age(self, sha256: str) -> float:
        """Seconds since the file was stored: a file younger than an upload takes may belong
        to a row not committed yet."""

    def leftovers(self, older_than: float) -> list[Path]:
        """Temporary files of writes that never finished, older than ``older_than`` s."""


class StoredTooLarge(Exception):
    """The stream was longer than the limit; nothing was stored."""


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def _target(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.zip"

    def put(self, stream: BinaryIO, *, limit: int | None = None) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(1024 * 1024):
                    size += len(chunk)
                    if limit is not None and size > limit:
                        raise StoredTooLarge(f"more than {limit} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            sha256 = digest.hexdigest()
            target = self._target(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            return sha256, size
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)

    def path(self, sha256: str) -> Path:
        return self._target(sha256)

    def exists(self, sha256: str) -> bool:
        return self._target(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self._target(sha256).stat().st_size

    def delete(self, sha256: str) -> bool:
        try:
            self._target(sha256).unlink()
        except FileNotFoundError:
            return False
        return True

    def stored(self) -> Iterator[str]:
        for path in sorted(self.root.glob("??/??/*.zip")):
            name = path.stem
            if path.parent.name == name[2:4] and path.parent.parent.name == name[:2]:
                yield name

    def age(self, sha256: str) -> float:
        return time.time() - self._target(sha256).stat().st_mtime

    def leftovers(self, older_than: float) -> list[Path]:
        now = time.time()
        return [
            path
            for path in sorted(self.root.glob(".upload-*.part"))
            if now - path.stat().st_mtime > older_than
        ]


def init_app(app: Flask) -> None:
    app.extensions["sandyq.storage"] = LocalStorage(Path(app.config["DATA_DIR"]) / "packages")


def storage() -> Storage:
    stored: Storage = current_app.extensions["sandyq.storage"]
    return stored
