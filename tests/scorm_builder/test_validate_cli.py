"""``sandyq validate`` on the command line: exit codes, JSON, languages, many packages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorm_builder.validate.command import validate_command
from tests.support import validator_fixtures as fx


@pytest.fixture
def packages(tmp_path: Path) -> dict[str, Path]:
    """A valid package, a broken one (missing file) and a file that is not a zip."""
    files = {
        "valid.zip": fx.package_2004_4th(),
        "broken.zip": fx.replace_in_manifest(fx.package_12(), "style.css", "styles.css"),
        "notzip.zip": b"just text",
    }
    paths = {}
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def _run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(validate_command, [str(a) for a in args], env={"LANG": "C"})
    return result.exit_code, result.output


def test_a_valid_package_exits_0(packages: dict[str, Path]) -> None:
    code, output = _run(packages["valid.zip"], "--lang", "en")
    assert code == 0
    assert "SCORM 2004 4th Edition, valid" in output


def test_an_invalid_package_exits_1_with_entry_line_and_hint(packages: dict[str, Path]) -> None:
    code, output = _run(packages["broken.zip"], "--lang", "en")
    manifest = fx.manifest_text(packages["broken.zip"].read_bytes())
    line = fx.line_of(manifest, "styles.css")
    assert code == 1
    assert f"imsmanifest.xml:{line}: error FILE-MISSING " in output
    assert "hint: Add the file to the zip" in output


def test_a_file_that_is_not_a_zip_exits_1(packages: dict[str, Path]) -> None:
    code, output = _run(packages["notzip.zip"], "--lang", "en")
    assert code == 1
    assert "ZIP-NOT-ZIP" in output


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _run(tmp_path / "nowhere.zip")
    assert code == 2
    assert "nowhere.zip" in output


def test_no_package_at_all_is_a_usage_error() -> None:
    assert _run()[0] == 2


def test_many_packages_in_one_run(packages: dict[str, Path]) -> None:
    code, output = _run(*packages.values(), "--lang", "en")
    assert code == 1
    for path in packages.values():
        assert f"{path}: SCORM" in output
    assert output.rstrip().endswith(
        "Packages checked: 3; valid: 1, invalid: 2; errors: 2, warnings: 0."
    )


def test_json_output(packages: dict[str, Path]) -> None:
    code, output = _run(packages["valid.zip"], packages["broken.zip"], "--json", "--lang", "en")
    data = json.loads(output)
    assert code == 1
    assert [p["package"] for p in data] == [str(packages["valid.zip"]), str(packages["broken.zip"])]
    assert [p["valid"] for p in data] == [True, False]
    assert [p["scorm_version"] for p in data] == ["2004 4th Edition", "1.2"]
    (finding,) = data[1]["findings"]
    assert set(finding) == {"rule", "severity", "file", "entry", "line", "message", "hint"}
    assert finding["rule"] == "FILE-MISSING"
    assert finding["severity"] == "error"
    assert finding["file"] == str(packages["broken.zip"])
    assert finding["entry"] == "imsmanifest.xml"
    assert isinstance(finding["line"], int)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", ("қате", "файлы", "пакетте", "Тексерілген пакет")),
        ("ru", ("ошибка", "в пакете его нет", "Проверено пакетов")),
        ("en", ("error", "does not contain it", "Packages checked")),
    ],
)
def test_lang_chooses_the_language(
    packages: dict[str, Path], lang: str, words: tuple[str, ...]
) -> None:
    _, output = _run(packages["broken.zip"], "--lang", lang)
    for word in words:
        assert word in output


def test_the_default_language_is_kazakh(packages: dict[str, Path]) -> None:
    _, output = _run(packages["broken.zip"])
    assert "қате FILE-MISSING" in output


def test_offline_makes_remote_loads_fail(tmp_path: Path) -> None:
    page = fx.PAGE.replace(
        "</head>", '<script src="https://cdn.example.com/x.js"></script>\n</head>'
    )
    path = tmp_path / "remote.zip"
    path.write_bytes(fx.with_entries(fx.package_12(), add={"index.html": page.encode()}))
    assert _run(path)[0] == 0
    code, output = _run(path, "--offline", "--lang", "en")
    assert code == 1
    assert "index.html:7: error OFFLINE-REMOTE" in output
