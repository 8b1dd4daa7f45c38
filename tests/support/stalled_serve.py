"""``sandyq`` whose uploads stop for good at one moment, for the crash tests to kill there.

``python -m tests.support.stalled_serve MOMENT serve --data-dir ...`` runs the real command
with one catalogue function wrapped so that an API upload never gets past ``MOMENT``:

- ``validating``: the package is staged (``DATA_DIR/uploads/upload-*.zip``) and about to be
  validated; nothing is stored yet;
- ``stored``: storage has moved the package into place (``packages/ab/cd/<sha256>.zip``)
  and the row naming it is not committed yet.

The request thread then waits forever, so the moment holds still until the test, having
seen the file appear, sends SIGKILL: what is left on disk is exactly what a crash there
leaves, without racing a process that would otherwise be gone by the next instant. The
rest of the server (health checks, other requests) runs as usual. Not collected.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

MOMENTS = ("validating", "stored")


def _forever() -> NoReturn:
    threading.Event().wait()
    raise AssertionError("unreachable")


def install(moment: str) -> None:
    """Wrap the function that marks ``moment`` in this process."""
    if moment == "validating":
        from catalogue.services.resources import uploads

        def checked(path: Path, lang: Any) -> NoReturn:
            _forever()

        uploads._checked = checked  # type: ignore[assignment]
    elif moment == "stored":
        from catalogue.storage import LocalStorage

        put = LocalStorage.put

        def put_then_stall(
            self: LocalStorage, stream: BinaryIO, *, limit: int | None = None
        ) -> tuple[str, int]:
            put(self, stream, limit=limit)
            _forever()

        LocalStorage.put = put_then_stall  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown moment {moment!r}; one of {', '.join(MOMENTS)}")


def main() -> None:
    moment, *arguments = sys.argv[1:]
    install(moment)
    from scorm_builder.cli import main as sandyq

    sandyq(args=arguments, prog_name="sandyq")


if __name__ == "__main__":
    main()
