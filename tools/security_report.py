"""Regenerate the hostile corpus's figures in docs/security.md (``make security-report``).

Runs the corpus of ``tests/hostile`` through every surface (``sandyq validate``,
``inspect``, ``build`` and the catalogue's upload, API and web) and writes the table of
inputs, refusals, warnings, acceptances, crashes and writes outside between the
``hostile-figures`` markers. ``tests/hostile/test_report.py`` fails when the table there
differs from what the corpus gives, so the page cannot go stale.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
START, END = "<!-- hostile-figures -->", "<!-- /hostile-figures -->"


def main() -> int:
    sys.path.insert(0, str(REPO))
    logging.disable(logging.INFO)  # Alembic narrates its migrations
    from tests.hostile.runner import figures_of, figures_table, run_corpus

    with tempfile.TemporaryDirectory(prefix="sandyq-hostile-") as scratch:
        figures = figures_of(run_corpus(Path(scratch)))
    table = figures_table(figures)
    docs = REPO / "docs" / "security.md"
    text = docs.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    if not rest or END not in rest:
        print(f"{docs}: the markers {START} ... {END} are missing", file=sys.stderr)
        return 2
    docs.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
    print(table)
    surprises = {surface: f.surprises for surface, f in figures.items() if f.surprises}
    if surprises:
        print(f"cases that did not go as the corpus expects: {surprises}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
