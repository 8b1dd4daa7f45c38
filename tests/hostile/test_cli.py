"""No ``sandyq`` command prints a traceback, whatever it is given (issue #15, b)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scorm_builder.cli import main
from tests.hostile.corpus import PACKAGES, TEACHER_FILES, write_case

HOSTILE = [c for c in PACKAGES if c.expect.verdict != "accepted"]


def _run(args: list[str], **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("command", ["validate", "inspect"])
def test_every_command_on_every_hostile_package(command: str, tmp_path: Path) -> None:
    paths = [write_case(case, tmp_path / case.id) for case in HOSTILE]
    code, output = _run([command, *map(str, paths)])
    assert code == (1 if command == "validate" else 0)
    assert "\x1b" not in output  # an ESC in an entry name is shown escaped, never sent


def test_inspect_and_validate_agree_on_a_duplicated_name(tmp_path: Path) -> None:
    case = next(c for c in PACKAGES if c.id == "duplicate-page")
    path = write_case(case, tmp_path)
    assert _run(["validate", str(path)])[0] == 1
    code, output = _run(["inspect", str(path)])
    assert code == 0 and "problem: duplicate: page2.html" in output


def test_build_on_hostile_teacher_files(tmp_path: Path) -> None:
    for case in TEACHER_FILES[1:]:
        path = write_case(case, tmp_path / case.id)
        code, output = _run(["build", str(path), "-o", str(tmp_path / f"{case.id}.zip")])
        assert code == 1 and "error:" in output, output


def test_a_bad_limit_is_a_configuration_error(tmp_path: Path) -> None:
    path = write_case(PACKAGES[0], tmp_path)
    for command in ("validate", "inspect"):
        code, output = _run([command, str(path)], SANDYQ_ZIP_MAX_ENTRIES="many")
        assert code == 2 and "SANDYQ_ZIP_MAX_ENTRIES" in output, output
        code, output = _run([command, "--zip-max-entry-bytes", "0", str(path)])
        assert code == 2, output


def test_the_limits_options_refuse_what_is_bigger(tmp_path: Path) -> None:
    path = write_case(PACKAGES[0], tmp_path)
    code, output = _run(["validate", "--lang", "en", "--zip-max-entry-bytes", "100", str(path)])
    assert code == 1 and "ZIP-ENTRY-TOO-LARGE" in output
    code, _ = _run(["validate", str(path)], SANDYQ_ZIP_MAX_TOTAL_BYTES="1000")
    assert code == 1


def test_an_unexpected_error_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import scorm_builder.validate.command as command

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(command, "validate_package", broken)
    path = Path(__file__)
    code, output = _run(["validate", str(path)])
    assert code == 3 and "internal error" in output and "boom" in output
