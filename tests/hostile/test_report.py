"""docs/security.md prints the corpus's figures; they must be the ones it gives today."""

from __future__ import annotations

from tests.conftest import REPO
from tests.hostile.runner import Results, figures_of, figures_table

START, END = "<!-- hostile-figures -->", "<!-- /hostile-figures -->"


def test_the_figures_in_docs_security_md_are_current(results: Results) -> None:
    docs = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    printed = docs.split(START, 1)[1].split(END, 1)[0].strip()
    assert printed == figures_table(figures_of(results)), (
        "docs/security.md is stale: run `make security-report`"
    )


def test_nothing_crashed_and_nothing_was_written_outside(results: Results) -> None:
    for surface, figures in figures_of(results).items():
        assert figures.crashed == 0 and figures.wrote_outside == 0, surface
        assert figures.surprises == {}, (surface, figures.surprises)
