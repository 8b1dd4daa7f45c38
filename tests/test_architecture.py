"""The map (docs/architecture.md) against what is checked.

``lint-imports`` (in ``make lint``) checks the contracts of ``pyproject.toml``; these tests
check that the map names exactly those contracts, with their types, and exactly their
ignored imports as known exceptions. They also check what the contracts cannot see: the
``sandyq`` CLI lists the other parts' commands without importing those parts (and
``sandyq build`` runs without them), and the README links the map in the repository, not
the old one outside it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MAP = REPO / "docs" / "architecture.md"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
CONTRACTS: list[dict[str, Any]] = PYPROJECT["tool"]["importlinter"]["contracts"]


def map_table(heading: str) -> list[tuple[str, str]]:
    """The first two cells of each row of the table under ``### heading``, without the
    backticks: (contract id, type) or (contract id, ignored import)."""
    text = MAP.read_text(encoding="utf-8")
    start = text.index(f"\n### {heading}\n")
    end = text.find("\n#", start + 1)
    section = text[start:end] if end != -1 else text[start:]
    rows = []
    for line in section.splitlines():
        found = re.match(r"\| `([^`]+)` \| `?([^`|]+?)`? \|", line)
        if found:
            rows.append((found.group(1), found.group(2)))
    return rows


def test_the_map_names_every_checked_contract_and_only_those() -> None:
    on_the_map = map_table("Import contracts")
    checked = [(contract["id"], contract["type"]) for contract in CONTRACTS]
    assert sorted(on_the_map) == sorted(checked)
    assert len({contract["id"] for contract in CONTRACTS}) == len(CONTRACTS)


def test_every_ignored_import_is_a_known_exception_on_the_map() -> None:
    on_the_map = map_table("Known exceptions")
    ignored = [
        (contract["id"], ignored)
        for contract in CONTRACTS
        for ignored in contract.get("ignore_imports", ())
    ]
    assert sorted(on_the_map) == sorted(ignored)


def test_the_cli_lists_the_other_parts_commands_without_loading_them() -> None:
    commands = PYPROJECT["project"]["entry-points"]["sandyq.commands"]
    assert {"serve", "sync"} <= set(commands)
    assert all(target.startswith(("catalogue.", "lms_sync.")) for target in commands.values())
    probe = (
        "import sys\n"
        "import click\n"
        "from click.testing import CliRunner\n"
        "from scorm_builder.cli import main\n"
        "print('LISTED', *main.list_commands(click.Context(main)))\n"
        "result = CliRunner().invoke(main, ['build', '--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('LOADED', *sorted(m for m in sys.modules if m.split('.')[0] in "
        "('catalogue', 'lms_sync')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    lines = dict(line.partition(" ")[::2] for line in done.stdout.splitlines())
    assert set(commands) <= set(lines["LISTED"].split())
    assert lines["LOADED"] == ""


def test_the_readme_links_the_map_in_the_repository() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme
    assert "../shared/ARCHITECTURE.md" not in readme


def test_no_module_imports_one_that_imports_it_back() -> None:
    """No circles, lazy imports included: a circle means two modules are really one (the
    job registry and its handlers were, until the kinds became one explicit table)."""
    import grimp

    circles = set()
    for package in ("scorm_builder", "catalogue", "lms_sync"):
        graph = grimp.build_graph(package)
        for importer in graph.modules:
            for imported in graph.find_modules_directly_imported_by(importer):
                if importer.startswith(imported + ".") or imported.startswith(importer + "."):
                    continue  # a package and its own modules
                if graph.chain_exists(importer=imported, imported=importer):
                    circles.add(" ⇄ ".join(sorted((importer, imported))))
    assert not circles, sorted(circles)


def test_bench_and_the_sample_tools_import_nothing_from_the_tests() -> None:
    """The tests lean on the product and its tools, never the other way round."""
    found = []
    for path in sorted([*(REPO / "bench").rglob("*.py"), *(REPO / "samples").rglob("*.py")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*(from tests\b|import tests\b)", line):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, found


def test_the_tests_mirror_the_packages() -> None:
    """Each test file sits in the folder of the package it tests, helpers in tests/support/
    (no test_ names there, so pytest never collects them); only the map's own checks stay
    at the top."""
    tests = REPO / "tests"
    top = sorted(path.name for path in tests.glob("test_*.py"))
    assert top == ["test_architecture.py"]
    for folder in ("scorm_builder", "catalogue", "lms_sync"):
        assert (REPO / folder).is_dir() and list((tests / folder).glob("test_*.py"))
    assert not list((tests / "support").rglob("test_*.py"))
