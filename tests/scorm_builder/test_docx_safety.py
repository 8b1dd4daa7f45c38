"""Bad Word files: each is refused with the file, the part and what to do, nothing written."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from samples.tools.lesson_docx import LessonDocx, png_bytes, replace_entry
from scorm_builder.errors import SourceFileError
from scorm_builder.readers import PartContext
from scorm_builder.readers.assets import AssetCollector
from scorm_builder.readers.docx import docx_title, read_docx, read_lesson_part

SAVE_AS = "File > Save As > Word Document (.docx)"


def read(data: bytes) -> None:
    read_docx(data, source="сабақ.docx", folder="content/01")


def test_truncated_docx_names_the_file() -> None:
    data = LessonDocx().heading("Бет").bytes()
    with pytest.raises(SourceFileError) as caught:
        read(data[: len(data) // 2])
    assert caught.value.file == "сабақ.docx"
    assert "сабақ.docx" in str(caught.value) and "damaged" in str(caught.value)


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A .docx whose document.xml is 200 MB of zeros, deflated to a few hundred KB."""
    good = zipfile.ZipFile(io.BytesIO(LessonDocx().heading("Бет").bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            if info.filename == "word/document.xml":
                with bomb.open("word/document.xml", "w", force_zip64=True) as stream:
                    zeros = b"0" * 1024 * 1024
                    for _ in range(200):
                        stream.write(zeros)
            else:
                bomb.writestr(info.filename, good.read(info))
    return out.getvalue()


def test_zip_bomb_is_refused_without_inflating(zip_bomb: bytes) -> None:
    assert len(zip_bomb) < 1024 * 1024
    with pytest.raises(SourceFileError) as caught:
        read(zip_bomb)
    assert caught.value.file == "сабақ.docx"
    assert "word/document.xml" in caught.value.message
    assert "zip bomb" in caught.value.message


def test_broken_xml_part_names_the_part_and_line() -> None:
    data = LessonDocx().heading("Бет").bytes()
    broken = replace_entry(
        data, "word/document.xml", b'<?xml version="1.0"?>\n<w:document>\n<w:body>\n</w:document>'
    )
    with pytest.raises(SourceFileError) as caught:
        read(broken)
    assert "word/document.xml" in caught.value.message
    assert caught.value.line is not None and caught.value.line >= 2
    assert str(caught.value).startswith(f"сабақ.docx:{caught.value.line}:")


def test_doctype_in_a_part_is_refused() -> None:
    data = LessonDocx().heading("Бет").bytes()
    evil = replace_entry(
        data,
        "word/styles.xml",
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<x>&a;</x>',
    )
    with pytest.raises(SourceFileError, match="word/styles.xml"):
        read(evil)


def test_missing_part_is_a_clear_error() -> None:
    data = LessonDocx().heading("Бет").picture(png_bytes(), alt="сурет").bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("word/media/"):
                target.writestr(info, source.read(info))
    with pytest.raises(SourceFileError, match="missing") as caught:
        read(out.getvalue())
    assert caught.value.file == "сабақ.docx"


def test_traversal_entry_is_refused() -> None:
    data = LessonDocx().heading("Бет").bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("../../evil.sh", b"echo")
    with pytest.raises(SourceFileError, match=r"\.\./\.\./evil\.sh"):
        read(out.getvalue())


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_picture_is_refused() -> None:
    data = LessonDocx().heading("Сурет").picture(_png_header(40000, 40000), alt="бомба").bytes()
    with pytest.raises(SourceFileError) as caught:
        read(data)
    assert "image1.png" in caught.value.message and "Сурет" in caught.value.message


def test_old_doc_file_says_how_to_save_as_docx() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024
    with pytest.raises(SourceFileError) as caught:
        read(ole)
    assert ".doc" in caught.value.message and SAVE_AS in (caught.value.hint or "")


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def test_odt_file_says_how_to_save_as_docx() -> None:
    with pytest.raises(SourceFileError) as caught:
        read(odt_bytes())
    assert ".odt" in caught.value.message and SAVE_AS in (caught.value.hint or "")


# --- the [[parts]] reader ---------------------------------------------------------------------


def context_for(root: Path) -> PartContext:
    work = root.parent / "work"
    work.mkdir(exist_ok=True)
    return PartContext(
        root=root,
        index=2,
        folder="content/02-lesson",
        collector=AssetCollector(root),
        language="kk",
        work_dir=work,
    )


def test_read_lesson_part_reads_the_source_and_reports_warnings(tmp_path: Path) -> None:
    root = tmp_path / "course"
    (root / "lessons").mkdir(parents=True)
    lesson = LessonDocx().title("Күш").heading("Бірінші").picture(png_bytes()).heading("Екінші")
    (root / "lessons" / "сабақ.docx").write_bytes(lesson.bytes())
    context = context_for(root)
    part = read_lesson_part({"source": "lessons/сабақ.docx"}, context)
    assert part.title == "Күш"
    assert [page.path for page in part.pages] == [
        "content/02-lesson/page-01.html",
        "content/02-lesson/page-02.html",
    ]
    assert [asset.path for asset in part.assets] == ["content/02-lesson/media/image-01.png"]
    assert part.source == "lessons/сабақ.docx"
    assert len(context.warnings) == 1
    assert context.warnings[0].startswith("lessons/сабақ.docx: picture 'image1.png'")


def test_docx_title_gives_the_title_paragraph_or_none(tmp_path: Path) -> None:
    titled = tmp_path / "titled.docx"
    titled.write_bytes(LessonDocx().title("Обыкновенные дроби").heading("Бет").bytes())
    plain = tmp_path / "plain.docx"
    plain.write_bytes(LessonDocx().heading("Бет").bytes())
    assert docx_title(titled) == "Обыкновенные дроби"
    assert docx_title(plain) is None


def test_doc_without_libreoffice_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    root = tmp_path / "course"
    root.mkdir()
    (root / "lesson.odt").write_bytes(odt_bytes())
    with pytest.raises(SourceFileError) as caught:
        read_lesson_part({"source": "lesson.odt"}, context_for(root))
    assert caught.value.file == "lesson.odt" and SAVE_AS in (caught.value.hint or "")


def test_doc_is_converted_when_libreoffice_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    converted = tmp_path / "converted.docx"
    converted.write_bytes(LessonDocx().title("Айналдырылған").heading("Бет").bytes())
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text(  # stands in for LibreOffice: copies the prepared .docx to --outdir
        "#!/bin/sh\n"
        'while [ "$#" -gt 1 ]; do [ "$1" = --outdir ] && out="$2"; shift; done\n'
        f'cp "{converted}" "$out/$(basename "$1" .doc).docx"\n'
    )
    soffice.chmod(soffice.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    root = tmp_path / "course"
    root.mkdir()
    (root / "lesson.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    context = context_for(root)
    part = read_lesson_part({"source": "lesson.doc"}, context)
    assert part.title == "Айналдырылған"
    assert any("LibreOffice" in warning for warning in context.warnings)
