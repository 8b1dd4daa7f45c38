"""Sandyq's Moodle plugins (``lms_sync/moodle_plugins``): PHP syntax, the package check under
PHPUnit, the installable zips, language strings in en/kk/ru and the web service the sync uses.

Needs ``php`` (php8.2-cli with php8.2-xml and php8.2-zip) and Debian's ``phpunit``;
``make test`` installs them. The Moodle-bound tests (``tests/external/*``) need a Moodle site
and are not run here; ``package_check_test.php`` runs without Moodle.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from lms_sync.plugins import PLUGINS, ZIP_TIMESTAMP, MoodlePlugin, write_plugin_zips
from scorm_builder import vocabulary
from scorm_builder.build import BuildResult

REPO = Path(__file__).resolve().parents[2]
MOODLE = REPO / "lms_sync" / "moodle_plugins"
PHP_FILES = sorted(MOODLE.rglob("*.php"))
LANGUAGES = ("en", "kk", "ru")

#: Every web-service function the Sandyq sync calls, core ones included.
SYNC_FUNCTIONS = (
    "core_webservice_get_site_info",
    "core_course_get_categories",
    "core_course_create_categories",
    "core_course_get_courses_by_field",
    "core_course_create_courses",
    "core_course_update_courses",
    "core_course_edit_module",
    "core_course_delete_modules",
    "core_courseformat_update_course",
    "core_course_get_contents",
    "mod_scorm_get_scorms_by_courses",
    "core_files_upload",
    "local_sandyq_create_scorm",
    "local_sandyq_update_scorm",
    "local_sandyq_get_synced",
)

#: Constants the db/*.php files use, for loading them with plain PHP.
_MOODLE_CONSTANTS = """
define('MOODLE_INTERNAL', true);
foreach (['RISK_XSS' => 4, 'RISK_DATALOSS' => 32, 'CONTEXT_COURSE' => 50, 'CONTEXT_MODULE' => 70,
          'CAP_ALLOW' => 1, 'MATURITY_STABLE' => 200, 'ANY_VERSION' => 'any'] as $n => $v) {
    define($n, $v);
}
$plugin = new stdClass();
"""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"`{name}` is not installed: run `make test`, which installs php8.2-cli, "
            "php8.2-xml, php8.2-zip and phpunit (or apt-get install them)"
        )
    return path


def _php_json(script: str) -> object:
    """Run PHP code that echoes JSON; return the decoded value."""
    done = subprocess.run(
        [_tool("php"), "-d", "display_errors=stderr", "-r", _MOODLE_CONSTANTS + script],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _lang_strings(plugin: MoodlePlugin, language: str) -> dict[str, str]:
    path = MOODLE / plugin.component / "lang" / language / f"{plugin.component}.php"
    text = path.read_text(encoding="utf-8")
    found = dict(re.findall(r"^\$string\['([^']+)'\] = '((?:[^'\\]|\\.)*)';$", text, re.M))
    assert len(found) == text.count("$string["), f"{path}: a line is not in the usual form"
    return found


def _code_files(plugin: MoodlePlugin) -> list[Path]:
    root = MOODLE / plugin.component
    return [p for p in root.rglob("*.php") if "lang" not in p.relative_to(root).parts]


# ---- PHP ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PHP_FILES, ids=[str(p.relative_to(MOODLE)) for p in PHP_FILES])
def test_php_syntax(path: Path) -> None:
    done = subprocess.run(
        [_tool("php"), "-l", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_php_file_has_the_gpl_header_and_a_package_tag() -> None:
    for path in PHP_FILES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<?php\n// This file is part of Moodle - https://moodle.org/"), path
        assert "GNU General Public License" in text, path
        component = path.relative_to(MOODLE).parts[0]
        assert f"@package     {component}" in text, path
        assert "@copyright" in text, path
        assert "\t" not in text, f"{path}: tabs (Moodle indents with 4 spaces)"


def test_package_check_phpunit(built_package: Callable[[str], BuildResult], tmp_path: Path) -> None:
    """The package check's PHPUnit tests, fed with real packages built from the sample."""
    packages = [
        str(built_package(label).output) for label in ("scorm12", "scorm2004-3rd", "scorm2004-4th")
    ]
    plugin = MOODLE / "local_sandyq"
    done = subprocess.run(
        [
            _tool("phpunit"),
            "--do-not-cache-result",
            "--colors=never",
            "--bootstrap",
            str(plugin / "tests" / "fixtures" / "standalone_bootstrap.php"),
            str(plugin / "tests" / "package_check_test.php"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "SANDYQ_TEST_PACKAGES": os.pathsep.join(packages)},
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    ran = re.search(r"^OK \((\d+) tests?, (\d+) assertions\)$", done.stdout, re.M)
    assert ran is not None, f"PHPUnit skipped or failed something:\n{output}"
    assert int(ran.group(1)) >= 18


#: Corpus cases each Moodle-side check must refuse by reading the entries' real bytes.
_STREAM_CASES = {
    "lying-size-bomb": "size_mismatch",
    "lying-size-bomb-honest-crc": "size_mismatch",
    "lying-size-manifest": "size_mismatch",
    "bad-crc-unreferenced": "bad_crc",
    "bad-crc-page": "bad_crc",
    "corrupt-deflate": "size_mismatch",
    "declared-too-large": "entry_too_large",
}


def test_the_moodle_checks_read_every_entry_of_the_hostile_corpus(tmp_path: Path) -> None:
    """package_check (local_sandyq) and download_check (repository_sandyq) on the corpus's
    lying sizes and bad CRCs: each refused, fast, whatever the headers say; valid ones pass."""
    from tests.hostile.corpus import PACKAGES

    cases = {c.id: c for c in PACKAGES}
    paths = {}
    for case_id in [*_STREAM_CASES, "valid-scorm12", "valid-scorm2004", "kazakh-names"]:
        paths[case_id] = tmp_path / f"{case_id}.zip"
        paths[case_id].write_bytes(cases[case_id].make())
    local = MOODLE / "local_sandyq" / "classes" / "local" / "package_check.php"
    repository = MOODLE / "repository_sandyq" / "classes" / "local" / "download_check.php"
    listed = tmp_path / "packages.json"
    listed.write_text(json.dumps({k: str(v) for k, v in paths.items()}), encoding="utf-8")
    found = _php_json(
        f"require {json.dumps(str(local))}; require {json.dumps(str(repository))};"
        f"$paths = json_decode(file_get_contents({json.dumps(str(listed))}), true);"
        + r"""
        $out = [];
        foreach ($paths as $id => $path) {
            $check = \local_sandyq\local\package_check::check_file($path);
            $problem = \repository_sandyq\local\download_check::problem($path);
            $out[$id] = [$check->ok, $check->reason, $problem];
        }
        echo json_encode($out);
        """
    )
    assert isinstance(found, dict)
    for case_id, (ok, reason, problem) in found.items():
        if case_id in _STREAM_CASES:
            assert (ok, reason) == (False, _STREAM_CASES[case_id]), case_id
            assert problem, case_id
        else:
            assert (ok, reason, problem) == (True, None, None), case_id


def test_reason_codes_are_the_documented_ones() -> None:
    source = (MOODLE / "local_sandyq" / "classes" / "local" / "package_check.php").read_text()
    codes = re.findall(r"const REASON_\w+ = '(\w+)';", source)
    assert codes == [
        "not_zip",
        "unsafe_path",
        "entry_too_large",
        "too_large",
        "size_mismatch",
        "bad_crc",
        "no_manifest",
        "nested_manifest",
        "manifest_too_large",
        "doctype",
        "malformed_xml",
        "not_manifest",
        "missing_identifier",
        "duplicate_identifier",
        "schemaversion_missing",
        "schemaversion_unknown",
        "missing_resource",
        "nothing_to_launch",
    ]
    readme = (MOODLE / "local_sandyq" / "README.md").read_text()
    for code in [*codes, "draft_area", "moodle_refused"]:
        assert f"`{code}`" in readme


# ---- zips --------------------------------------------------------------------------------


def test_zips_have_the_layout_moodle_installs(tmp_path: Path) -> None:
    written = write_plugin_zips(tmp_path / "out")
    assert [p.name for p in written] == ["local_sandyq.zip", "repository_sandyq.zip"]
    for plugin, path in zip(PLUGINS, written, strict=True):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            assert names == sorted(names)
            assert {name.split("/", 1)[0] for name in names} == {"sandyq"}
            assert names[0] == "sandyq/"
            for info in archive.infolist():
                assert info.date_time == ZIP_TIMESTAMP
            version = archive.read("sandyq/version.php").decode()
            assert f"$plugin->component = '{plugin.component}';" in version
            for language in LANGUAGES:
                assert f"sandyq/lang/{language}/{plugin.component}.php" in names
            assert "sandyq/classes/privacy/provider.php" in names
            assert "sandyq/db/access.php" in names
            assert not [n for n in names if "__pycache__" in n or n.split("/")[-1].startswith(".")]
            # Every source file is in the zip, byte for byte.
            sources = MOODLE / plugin.component
            for source in sources.rglob("*"):
                if source.is_file() and not source.name.startswith("."):
                    packed = archive.read(f"sandyq/{source.relative_to(sources).as_posix()}")
                    assert packed == source.read_bytes(), source


def test_zips_are_reproducible(tmp_path: Path) -> None:
    first = write_plugin_zips(tmp_path / "a")
    second = write_plugin_zips(tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        digest_one = hashlib.sha256(one.read_bytes()).hexdigest()
        assert digest_one == hashlib.sha256(two.read_bytes()).hexdigest()


def test_version_php_declares_component_and_requirements() -> None:
    for plugin in PLUGINS:
        path = MOODLE / plugin.component / "version.php"
        info = _php_json(f"include {json.dumps(str(path))}; echo json_encode($plugin);")
        assert isinstance(info, dict)
        assert info["component"] == plugin.component
        assert info["requires"] == 2022112800  # Moodle 4.1 LTS
        assert info["supported"][0] == 401 and info["supported"][1] >= 500
        assert re.fullmatch(r"\d{10}", str(info["version"]))


# ---- language strings --------------------------------------------------------------------


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda p: p.component)
def test_every_string_exists_in_every_language(plugin: MoodlePlugin) -> None:
    strings = {language: _lang_strings(plugin, language) for language in LANGUAGES}
    english = strings["en"]
    for language in ("kk", "ru"):
        assert strings[language].keys() == english.keys(), language
        for key, text in strings[language].items():
            placeholders = set(re.findall(r"\{\$a[^}]*\}", text))
            assert placeholders == set(re.findall(r"\{\$a[^}]*\}", english[key])), (language, key)
            if re.search(r"[A-Za-z]{4}", english[key]) and key not in {"scormversion"}:
                assert re.search(r"[\u0400-\u04ff]", text), f"{language}/{key} is not translated"

    used: set[str] = {"pluginname", "privacy:metadata"}
    call = re.compile(
        r"(?:get_string|moodle_exception)\(\s*'([^']+)',\s*'" + re.escape(plugin.component) + "'"
    )
    for path in _code_files(plugin):
        used.update(call.findall(path.read_text(encoding="utf-8")))
    # Capabilities are named by their lang string.
    access = (MOODLE / plugin.component / "db" / "access.php").read_text()
    for capability in re.findall(r"'([a-z]+/[a-z_]+:[a-z]+)' =>", access):
        used.add(capability.split("/", 1)[1])
    # Strings whose key is built at run time.
    if plugin.component == "local_sandyq":
        for name in ("package_check.php", "scorm_writer.php"):
            source = (MOODLE / plugin.component / "classes" / "local" / name).read_text()
            used.update(f"reason_{c}" for c in re.findall(r"const REASON_\w+ = '(\w+)';", source))
    else:
        lib = (MOODLE / plugin.component / "lib.php").read_text()
        subjects = re.search(r"const SUBJECTS = \[(.*?)\];", lib, re.S)
        assert subjects is not None
        used.update(f"subject_{code}" for code in re.findall(r"'(\w+)'", subjects.group(1)))
    missing = sorted(used - english.keys())
    assert not missing, f"strings used but not defined: {missing}"


def _repository_constant(name: str) -> object:
    lib = MOODLE / "repository_sandyq" / "lib.php"
    # lib.php needs Moodle to load; its constants are plain PHP literals, read on their own.
    found = re.search(rf"const {name} = (.*?);$", lib.read_text(encoding="utf-8"), re.S | re.M)
    assert found is not None, f"lib.php has no const {name}"
    return _php_json(f"echo json_encode({found.group(1)});")


def test_repository_subjects_are_the_vocabulary_subjects() -> None:
    strings = {language: _lang_strings(PLUGINS[1], language) for language in LANGUAGES}
    assert _repository_constant("SUBJECTS") == list(vocabulary.SUBJECTS)
    for language in LANGUAGES:
        named = {k for k in strings[language] if k.startswith("subject_")}
        assert named == {f"subject_{code}" for code in vocabulary.SUBJECTS}, language
        for code, names in vocabulary.SUBJECTS.items():
            assert strings[language][f"subject_{code}"] == names.get(language), (language, code)


def test_repository_grades_are_the_vocabulary_grades() -> None:
    grades = (_repository_constant("FIRST_GRADE"), _repository_constant("LAST_GRADE"))
    assert grades == (vocabulary.GRADES[0], vocabulary.GRADES[-1])
    for language in LANGUAGES:
        strings = _lang_strings(PLUGINS[1], language)
        assert strings["gradepreschool"] == vocabulary.grade_name(0, language)
        for grade in vocabulary.GRADES[1:]:
            shown = strings["gradenumber"].replace("{$a}", str(grade))
            assert shown == vocabulary.grade_name(grade, language), (language, grade)


# ---- the web service ---------------------------------------------------------------------


def _services() -> tuple[dict[str, dict[str, object]], dict[str, dict[str, object]]]:
    path = MOODLE / "local_sandyq" / "db" / "services.php"
    loaded = _php_json(
        f"include {json.dumps(str(path))}; echo json_encode([$functions, $services]);"
    )
    assert isinstance(loaded, list)
    functions, services = loaded
    return functions, services


def _python_sync_calls() -> set[str]:
    """Web-service function names quoted in the sync's Python code."""
    name = re.compile(r"""["']((?:core|mod|local|tool)_[a-z0-9]+_[a-z0-9_]+)["']""")
    found: set[str] = set()
    for path in (REPO / "lms_sync").rglob("*.py"):
        if path.name != "plugins.py":
            found.update(name.findall(path.read_text(encoding="utf-8")))
    return found


def test_service_bundles_every_function_the_sync_calls() -> None:
    functions, services = _services()
    assert list(services) == ["Sandyq catalogue sync"]
    service = services["Sandyq catalogue sync"]
    assert service["restrictedusers"] == 1
    assert service["uploadfiles"] == 1
    assert service["downloadfiles"] == 1
    bundled = service["functions"]
    assert isinstance(bundled, list)
    assert len(bundled) == len(set(bundled))
    missing = sorted((set(SYNC_FUNCTIONS) | _python_sync_calls()) - set(bundled))
    assert not missing, f"the service lacks {missing}"
    assert {f for f in bundled if f.startswith("local_sandyq_")} == set(functions)


def test_each_function_has_its_class() -> None:
    functions, _ = _services()
    expected_types = {
        "local_sandyq_create_scorm": "write",
        "local_sandyq_update_scorm": "write",
        "local_sandyq_get_synced": "read",
        "local_sandyq_get_results": "read",
    }
    assert set(functions) == set(expected_types)
    for name, description in functions.items():
        short = name.removeprefix("local_sandyq_")
        assert description["classname"] == f"local_sandyq\\external\\{short}"
        assert description["type"] == expected_types[name]
        assert "local/sandyq:sync" in str(description["capabilities"])
        source = (MOODLE / "local_sandyq" / "classes" / "external" / f"{short}.php").read_text()
        assert f"class {short} extends external_api" in source
        for method in ("execute_parameters", "execute", "execute_returns"):
            assert f"public static function {method}(" in source
        # Inside execute: parameters, then context, then capabilities, then the work.
        body = source.split("public static function execute(", 1)[1]
        order = [body.find(s) for s in ("validate_parameters", "validate_context", "require_")]
        assert -1 not in order and order == sorted(order), name


def test_create_scorm_parameters_match_the_wire_contract() -> None:
    source = (MOODLE / "local_sandyq" / "classes" / "external" / "create_scorm.php").read_text()
    params = source.split("function execute_parameters", 1)[1].split("function execute(", 1)[0]
    declared = re.findall(r"'(\w+)' => new external_value\((PARAM_\w+)", params)
    assert declared == [
        ("courseid", "PARAM_INT"),
        ("section", "PARAM_INT"),
        ("name", "PARAM_TEXT"),
        ("draftitemid", "PARAM_INT"),
        ("idnumber", "PARAM_RAW"),
        ("intro", "PARAM_RAW"),
        ("visible", "PARAM_INT"),
        ("grademethod", "PARAM_INT"),
        ("maxgrade", "PARAM_INT"),
        ("maxattempt", "PARAM_INT"),
        ("whatgrade", "PARAM_INT"),
        ("displayattemptstatus", "PARAM_INT"),
        ("popup", "PARAM_INT"),
    ]
    writer = (MOODLE / "local_sandyq" / "classes" / "local" / "scorm_writer.php").read_text()
    block = re.search(r"const GRADE_DEFAULTS = \[(.*?)\];", writer, re.S)
    assert block is not None
    defaults = dict(re.findall(r"'(\w+)' => (\d+),", block.group(1)))
    assert defaults == {
        "grademethod": "1",
        "maxgrade": "100",
        "maxattempt": "0",
        "whatgrade": "0",
        "displayattemptstatus": "1",
        "popup": "0",
    }


def test_the_docs_give_exactly_the_sync_role() -> None:
    """docs/moodle-sync.md §2 lists what lms_sync.moodle_role lists, which the real-Moodle
    tests make and take apart: the docs cannot drift from what was proven."""
    from lms_sync.moodle_role import CAPABILITIES

    docs = (REPO / "docs" / "moodle-sync.md").read_text(encoding="utf-8")
    table = docs.split("<!-- sync-role:", 1)[1].split("<!-- /sync-role -->", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.+?) \|$", table, flags=re.MULTILINE)
    assert rows == [(c.name, c.why) for c in CAPABILITIES]
