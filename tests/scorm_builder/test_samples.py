"""Every sample in samples/ builds into packages that pass the official XSDs and our validator.

This is what `make run` does, as a test: the samples are the real-looking material a
teacher brings (a Word lesson, GIFT and Aiken tests, a video lecture with captions).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from scorm_builder.build import build_package
from scorm_builder.readers.single_file import MetadataFlags
from scorm_builder.validate import validate_package
from tests.conftest import REPO
from tests.support.official_xsd import official_schema, strip_lom

SAMPLES = REPO / "samples"

#: (sample, metadata flags for single files)
CASES = [
    ("physics-7-course", None),
    ("physics-7-newton", None),
    ("math-5-fractions-ru", None),
    ("singles/fractions-ru.docx", MetadataFlags(language="ru", subject="mathematics", grades=(5,))),
    ("singles/fractions-ru-aiken.txt", MetadataFlags(language="ru", title="Дроби: тест")),
]
VERSIONS = [("1.2", None, "1.2"), ("2004", 3, "2004-3"), ("2004", 4, "2004-4")]


@pytest.mark.parametrize(("scorm", "edition", "official"), VERSIONS, ids=["1.2", "3rd", "4th"])
@pytest.mark.parametrize(("sample", "flags"), CASES, ids=[case[0] for case in CASES])
def test_sample_builds_a_clean_package(
    tmp_path: Path,
    sample: str,
    flags: MetadataFlags | None,
    scorm: str,
    edition: int | None,
    official: str,
) -> None:
    result = build_package(
        SAMPLES / sample, tmp_path / "p.zip", flags=flags, scorm=scorm, edition=edition
    )
    assert result.warnings == (), result.warnings
    report = validate_package(result.output, offline=True)
    assert report.findings == (), report.findings
    with zipfile.ZipFile(result.output) as archive:
        document = etree.ElementTree(etree.fromstring(archive.read("imsmanifest.xml")))
    schema = official_schema(official)
    checked = document if scorm == "1.2" else strip_lom(document)
    assert schema.validate(checked), "\n".join(str(error) for error in schema.error_log)


def test_combined_course_has_a_sco_per_part_and_a_mastery_score(tmp_path: Path) -> None:
    result = build_package(SAMPLES / "physics-7-course", tmp_path / "p.zip", scorm="1.2")
    with zipfile.ZipFile(result.output) as archive:
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        names = archive.namelist()
    items = manifest.findall(".//{*}organization/{*}item")
    assert [item.findtext("{*}title") for item in items] == [
        "Сабақ: Ньютонның екінші заңы",
        "Бейнедәріс: күш және үдеу",
        "Тест: Ньютон заңдары",
    ]
    masteries = [
        item.findtext("{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore") for item in items
    ]
    assert masteries == [None, None, "70"]
    assert any(name.endswith("video.mp4") for name in names)
    assert any(name.endswith(".kk.vtt") for name in names)
