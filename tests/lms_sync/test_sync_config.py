"""Settings of ``sandyq sync moodle``: options over environment over the TOML file, clear
exit-2 messages for what is missing or wrong, the local sha1 state file, and
``sandyq moodle-plugins``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from lms_sync.config import ConfigError, PackageSha1s, default_state_dir, resolve
from scorm_builder.cli import main

FILE = """
[moodle]
url = "https://moodle.school.kz/"
token = "file-moodle-token"

[catalogue]
url = "https://sandyq.edu.kz"
token = "file-catalogue-token"

[sync]
concurrency = 5
subjects = ["physics"]
grades = [7, 8]
languages = ["kk"]

[mapping]
names = "ru"
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "sync.toml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_the_file_gives_every_setting(config_file: Path) -> None:
    config = resolve(config_path=config_file)
    assert config.moodle_url == "https://moodle.school.kz"
    assert config.catalogue_token == "file-catalogue-token" and config.concurrency == 5
    assert config.filters.subjects == {"physics"} and config.filters.grades == {7, 8}
    assert config.mapping.names == "ru"
    assert "file-moodle-token" not in repr(config) and "file-catalogue-token" not in repr(config)


def test_options_win_over_the_file(config_file: Path, tmp_path: Path) -> None:
    config = resolve(
        config_path=config_file,
        moodle_token="option-token",
        grades=("9",),
        concurrency=2,
        state_dir=tmp_path / "state",
    )
    assert config.moodle_token == "option-token" and config.filters.grades == {9}
    assert config.concurrency == 2 and config.state_dir == tmp_path / "state"
    assert config.filters.subjects == {"physics"}  # still from the file


def test_grades_run_from_the_pre_school_class_to_12(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    config = resolve(
        moodle_url="http://m", moodle_token="a", catalogue_url="http://c", catalogue_token="b",
        grades=("0", "12"),
    )  # fmt: skip
    assert config.filters.grades == {0, 12}  # the vocabulary's grades; this said 1 to 11


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nothing"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    config = resolve(
        moodle_url="http://m", moodle_token="a", catalogue_url="http://c", catalogue_token="b"
    )
    assert config.concurrency == 3 and config.state_dir == default_state_dir()
    assert config.state_dir == tmp_path / "state" / "sandyq"
    assert config.mapping.root_name == "Sandyq" and not config.filters.subjects


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"moodle_url": None}, "give --moodle-url, set SANDYQ_MOODLE_URL"),
        ({"catalogue_token": None}, "give --catalogue-token, set SANDYQ_CATALOGUE_TOKEN"),
        ({"moodle_url": "moodle.school.kz"}, "an http:// or https:// address"),
        ({"grades": ("twelve",)}, "grades: whole numbers from 0 to 12"),
        ({"grades": ("13",)}, "grades: whole numbers from 0 to 12"),
    ],
)
def test_what_is_missing_or_wrong_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: dict[str, object], message: str
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    settings: dict[str, object] = {
        "moodle_url": "http://m", "moodle_token": "a",
        "catalogue_url": "http://c", "catalogue_token": "b", **changes,
    }  # fmt: skip
    with pytest.raises(ConfigError, match=message):
        resolve(**settings)  # type: ignore[arg-type]


def run(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        ["sync", "moodle", *args],
        env={"XDG_CONFIG_HOME": str(tmp_path / "none"), "SANDYQ_MOODLE_URL": "",
             "SANDYQ_MOODLE_TOKEN": "", "SANDYQ_CATALOGUE_URL": "",
             "SANDYQ_CATALOGUE_TOKEN": "", **env},
    )  # fmt: skip
    return result.exit_code, result.output


def test_configuration_errors_exit_2(tmp_path: Path) -> None:
    code, output = run(tmp_path)
    assert code == 2 and "error: the moodle url is not set: give --moodle-url" in output
    code, output = run(tmp_path, "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml does not exist" in output
    broken = tmp_path / "broken.toml"
    broken.write_text("[moodle\n", encoding="utf-8")
    code, output = run(tmp_path, "--config", str(broken))
    assert code == 2 and "not valid TOML" in output
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[mapping]\nnames = "de"\n', encoding="utf-8")
    code, output = run(tmp_path, "--config", str(wrong))
    assert code == 2 and "mapping.names: one of kk, ru, en" in output


def test_configuration_errors_as_json(tmp_path: Path) -> None:
    code, output = run(tmp_path, "--json", SANDYQ_MOODLE_URL="http://m")
    assert code == 2
    assert json.loads(output) == {
        "error": {
            "type": "ConfigError",
            "message": "the moodle token is not set: give --moodle-token, set "
            "SANDYQ_MOODLE_TOKEN (safer: it stays out of the shell history), or put it in "
            "the config file",
        },
        "exit_code": 2,
    }


def test_an_unreachable_moodle_is_exit_1_and_changes_nothing(tmp_path: Path) -> None:
    code, output = run(
        tmp_path,
        "--state-dir", str(tmp_path / "state"),
        SANDYQ_MOODLE_URL="http://127.0.0.1:9", SANDYQ_MOODLE_TOKEN="secret-moodle",
        SANDYQ_CATALOGUE_URL="http://127.0.0.1:9", SANDYQ_CATALOGUE_TOKEN="secret-cat",
    )  # fmt: skip
    assert code == 1 and "cannot reach Moodle" in output and "try again later" in output
    assert "secret-moodle" not in output


def test_the_state_file_remembers_sha1s(tmp_path: Path) -> None:
    state = PackageSha1s(tmp_path / "state")
    assert state.get("u:s") is None
    state.remember("u:s", "a" * 40)
    again = PackageSha1s(tmp_path / "state")
    assert again.snapshot() == {"u:s": "a" * 40}
    body = json.loads(state.path.read_text(encoding="utf-8"))
    assert body == {"version": 1, "packages": {"u:s": "a" * 40}}
    state.path.write_text("{not json", encoding="utf-8")
    assert PackageSha1s(tmp_path / "state").snapshot() == {}  # costs downloads, nothing else


def test_moodle_plugins_writes_installable_zips(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["moodle-plugins", "-o", str(tmp_path / "zips")])
    assert result.exit_code == 0, result.output
    written = [Path(line) for line in result.output.split()]
    assert [p.name for p in written] == ["local_sandyq.zip", "repository_sandyq.zip"]
    with zipfile.ZipFile(written[0]) as archive:
        assert "sandyq/version.php" in archive.namelist()
