"""One section of docs/benchmarks.md per measured area, each runnable on its own:
``python -m bench.video --write`` reruns only the video section and puts it in place."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPORT = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"

Bench = Callable[..., list[str]]


def write_section(lines: list[str], report: Path = REPORT) -> None:
    """Put ``lines`` (starting with their ``## Heading``) into the report, replacing the
    earlier section of that heading and keeping every other section."""
    heading = lines[0]
    text = report.read_text(encoding="utf-8") if report.exists() else "# Benchmarks\n"
    head, marker, rest = text.partition(f"\n{heading}\n")
    tail = ""
    if marker:
        following = rest.find("\n## ")
        tail = rest[following:] if following >= 0 else ""
    report.write_text(head.rstrip("\n") + "\n\n" + "\n".join(lines) + tail, encoding="utf-8")


def run_alone(bench: Bench, name: str) -> int:
    """A section's own command line: print it, and with ``--write`` put it in the report."""
    with tempfile.TemporaryDirectory(prefix=f"sandyq-bench-{name}-") as folder:
        lines = bench(Path(folder), progress=lambda line: print(line, file=sys.stderr))
    print("\n".join(lines))
    if "--write" in sys.argv[1:]:
        write_section(lines)
    return 0
