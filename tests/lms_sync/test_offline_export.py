"""``sandyq offline export`` and ``update`` against a real catalogue app over HTTP: what a
library holds, the choice of resources, the zip and the DVD image (read back with Debian's
``isoinfo``), updates that keep the library's identity, differences for a small stick,
and the refusals (a busy folder, no catalogue, a library too large for a DVD)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycdlib
import pytest
from click.testing import CliRunner, Result
from flask import Flask

from catalogue.models import State
from lms_sync.offline import images
from scorm_builder.folding import fold
from tests.support.catalogue import add_resource
from tests.support.sync import Catalogue, a_catalogue, package_variant, serving, stock

KAZAKH_FILE = "Қосымша/Сабақ жоспары — ғұмыр.txt"


@pytest.fixture
def catalogue(app: Flask, tmp_path: Path) -> Iterator[Catalogue]:
    served = a_catalogue(app, tmp_path)
    stock(served)
    extra = package_variant(tmp_path, "plan")
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr(KAZAKH_FILE, "Сабақтың жоспары\n")
    served.uuids["plan"] = add_resource(
        app, served.teacher, package=extra, title_kk="Сабақ жоспары", subject="history_kz",
        grades=[5], description_kk="Қазақ хандығы: сабақтың жоспары",
    )  # fmt: skip
    with serving(app) as url:
        served.url = url
        yield served


def offline(catalogue: Catalogue, *args: str, code: int = 0) -> Result:
    from scorm_builder.cli import main

    env = {
        "SANDYQ_CATALOGUE_URL": catalogue.url,
        "SANDYQ_CATALOGUE_TOKEN": catalogue.token,
        "XDG_CONFIG_HOME": str(catalogue.tmp_path / "no-config"),
    }
    result = CliRunner().invoke(main, ["offline", *args], env=env)
    assert result.exit_code == code, (result.output, result.exception)
    return result


def data_of(folder: Path) -> dict[str, Any]:
    script = (folder / "library" / "data.js").read_text(encoding="utf-8")
    prefix = "window.SANDYQ_LIBRARY = "
    assert script.startswith(prefix) and script.rstrip().endswith(";")
    data: dict[str, Any] = json.loads(script[len(prefix) :].rstrip().removesuffix(";"))
    return data


def titles(folder: Path) -> set[str]:
    return {item["title"]["kk"] for item in data_of(folder)["resources"]}


def test_an_export_holds_every_published_resource_unpacked_with_its_card(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    out = tmp_path / "кітапхана"
    result = offline(catalogue, "export", "-o", str(out))
    assert "5 resources" in result.output and "to download" in result.output
    data = data_of(out)
    assert titles(out) == {
        "Ньютон заңдары",
        "Жарық",
        "Атомдар",
        "Қауіпсіздік ережелері",
        "Сабақ жоспары",
    }  # fmt: skip   (the unpublished "Ескі сабақ" is not on the shelf)
    assert (out / "index.html").is_file() and (out / "library" / "library.js").is_file()
    for item in data["resources"]:
        assert (out / item["launch"]).is_file(), item["launch"]
        assert item["license_name"]["kk"].startswith("Creative Commons")
    plan = next(item for item in data["resources"] if item["title"]["kk"] == "Сабақ жоспары")
    assert (out / "packages" / plan["uuid"] / KAZAKH_FILE).read_text(encoding="utf-8")
    assert fold("хандығы") in plan["search"].split()  # the description's words
    assert fold("тарихы") in plan["search"].split()  # the subject's name
    assert data["fold"]["қ"] == "k"
    assert data["subjects"]["history_kz"]["kk"] == "Қазақстан тарихы"
    assert json.loads((out / "library.json").read_text(encoding="utf-8"))["id"] == data["id"]


def test_the_choice_of_subject_grade_and_a_saved_search(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    offline(catalogue, "export", "-o", str(tmp_path / "a"), "--subject", "physics", "--grade", "7")
    assert titles(tmp_path / "a") == {"Ньютон заңдары"}
    assert data_of(tmp_path / "a")["selection"]["grades"] == [7]
    offline(catalogue, "export", "-o", str(tmp_path / "b"), "--query", "хандығы")
    assert titles(tmp_path / "b") == {"Сабақ жоспары"}
    nothing = offline(catalogue, "export", "-o", str(tmp_path / "c"), "--grade", "12", code=2)
    assert "nothing is published that matches" in nothing.output
    assert not (tmp_path / "c").exists()


def test_the_zip_and_the_dvd_image_hold_the_kazakh_names(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    out = tmp_path / "library"
    offline(catalogue, "export", "-o", str(out), "--zip", "--iso", "--subject", "history_kz")
    uuid = data_of(out)["resources"][0]["uuid"]
    with zipfile.ZipFile(tmp_path / "library.zip") as archive:
        assert f"library/packages/{uuid}/{KAZAKH_FILE}" in archive.namelist()
    # Rock Ridge, as Debian's isoinfo reads it (its Joliet output knows no UTF-8)
    rock_ridge = subprocess.run(
        ["isoinfo", "-R", "-f", "-i", str(tmp_path / "library.iso")],
        capture_output=True, text=True, check=True, encoding="utf-8",
    ).stdout.splitlines()  # fmt: skip
    assert "/index.html" in rock_ridge and "/library/data.js" in rock_ridge
    assert f"/packages/{uuid}/{KAZAKH_FILE}" in rock_ridge
    image = pycdlib.PyCdlib()  # Joliet (what Windows reads), through pycdlib's own reader
    image.open(str(tmp_path / "library.iso"))
    try:
        joliet = image.get_record(joliet_path=f"/packages/{uuid}/{KAZAKH_FILE}")
        assert joliet.is_file()
        kept = io.BytesIO()
        image.get_file_from_iso_fp(kept, joliet_path=f"/packages/{uuid}/{KAZAKH_FILE}")
        assert kept.getvalue().decode("utf-8") == "Сабақтың жоспары\n"
    finally:
        image.close()


def test_a_library_too_large_for_a_dvd_is_refused_before_it_is_written(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "DVD_BYTES", 1000)
    refused = offline(catalogue, "export", "-o", str(tmp_path / "dvd"), "--iso", code=2)
    assert "a DVD holds" in refused.output and "leave out about" in refused.output
    assert not (tmp_path / "dvd").exists() and not (tmp_path / "dvd.iso").exists()


def test_an_update_adds_changes_and_removes_and_keeps_the_library(
    app: Flask, catalogue: Catalogue, tmp_path: Path
) -> None:
    out = tmp_path / "library"
    offline(catalogue, "export", "-o", str(out), "--subject", "physics")
    before = data_of(out)
    assert {item["title"]["kk"] for item in before["resources"]} == {"Ньютон заңдары", "Жарық"}
    catalogue.new_version(catalogue.uuids["newton"], "newton-v2")
    catalogue.set_state(catalogue.uuids["light"], State.UNPUBLISHED)
    catalogue.publish("optics", title_kk="Оптика", subject="physics", grades=[8])

    said = offline(catalogue, "update", str(out)).output
    assert "1 new, 1 changed, 1 removed" in said
    after = data_of(out)
    assert after["id"] == before["id"] and after["created_at"] == before["created_at"]
    versions = {item["title"]["kk"]: item["version"] for item in after["resources"]}
    assert versions == {"Ньютон заңдары": 2, "Оптика": 1}
    assert not (out / "packages" / catalogue.uuids["light"]).exists()
    again = offline(catalogue, "update", str(out)).output
    assert "0 new, 0 changed, 0 removed" in again


def test_a_difference_on_a_small_stick_brings_a_library_up_to_date(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    school = tmp_path / "school"
    offline(catalogue, "export", "-o", str(school), "--subject", "physics")
    catalogue.new_version(catalogue.uuids["newton"], "newton-v2")
    stick = tmp_path / "stick"
    offline(catalogue, "export", "-o", str(stick), "--since", str(school), "--subject", "physics")
    shipped = {path.name for path in (stick / "packages").iterdir()}
    assert shipped == {catalogue.uuids["newton"]}  # only what changed travels

    said = offline(catalogue, "update", str(school), "--from", str(stick)).output
    assert "0 new, 1 changed, 0 removed" in said
    versions = {item["uuid"]: item["version"] for item in data_of(school)["resources"]}
    assert versions[catalogue.uuids["newton"]] == 2
    assert (school / "packages" / catalogue.uuids["light"]).is_dir()

    other = tmp_path / "other"
    offline(catalogue, "export", "-o", str(other), "--subject", "chemistry")
    wrong = offline(catalogue, "update", str(other), "--from", str(stick), code=2)
    assert "made for another library" in wrong.output


def test_bad_settings_and_folders_are_refused_clearly(catalogue: Catalogue, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "дипломдар.docx").write_text("x", encoding="utf-8")
    refused = offline(catalogue, "export", "-o", str(busy), code=2)
    assert "holds other files" in refused.output
    assert (busy / "дипломдар.docx").exists()
    not_one = offline(catalogue, "update", str(busy), code=2)
    assert "is not an offline library" in not_one.output
    from scorm_builder.cli import main

    runner = CliRunner()
    env = {"SANDYQ_CATALOGUE_URL": "", "XDG_CONFIG_HOME": str(tmp_path / "none")}
    nowhere = runner.invoke(main, ["offline", "export", "-o", str(tmp_path / "x")], env=env)
    assert nowhere.exit_code == 2 and "--catalogue-url" in nowhere.output
    shutil.rmtree(tmp_path / "x", ignore_errors=True)
