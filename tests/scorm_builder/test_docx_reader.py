"""The Word reader, as worked examples: a .docx built in code, the pages it becomes."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from samples.tools.lesson_docx import (
    OMML_FRACTION,
    OMML_ROOT,
    OMML_SUM,
    LessonDocx,
    photo_bytes,
    png_bytes,
)
from scorm_builder.model import Language
from scorm_builder.readers.docx import DocxLesson, read_docx

REPO = Path(__file__).resolve().parents[2]
FOLDER = "content/01-lesson"


def read(
    lesson: LessonDocx, *, split: str = "h1", title: str | None = None, language: Language = "kk"
) -> DocxLesson:
    return read_docx(
        lesson.bytes(),
        source="сабақ.docx",
        folder=FOLDER,
        split=split,
        title=title,
        language=language,
    )


def body_tree(html: str) -> lxml.html.HtmlElement:
    """The body parsed as HTML; it must be a well-formed fragment without an h1."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    assert tree.find(".//h1") is None
    return tree


# --- pages and headings ---------------------------------------------------------------------


def test_a_page_per_heading_1_titled_with_the_heading() -> None:
    lesson = read(
        LessonDocx()
        .heading("Кіріспе")
        .paragraph("Бірінші бет.")
        .heading("Негізгі бөлім")
        .paragraph("Екінші бет.")
        .heading("Тармақ", 2)
        .paragraph("Әлі екінші бет.")
    )
    assert [page.title for page in lesson.pages] == ["Кіріспе", "Негізгі бөлім"]
    assert [page.path for page in lesson.pages] == [
        f"{FOLDER}/page-01.html",
        f"{FOLDER}/page-02.html",
    ]
    second = body_tree(lesson.pages[1].body)
    assert [h.text for h in second.findall(".//h2")] == ["Тармақ"]
    assert lesson.warnings == ()


def test_split_h2_makes_a_page_per_heading_2_and_shifts_deeper_headings() -> None:
    lesson = read(
        LessonDocx()
        .heading("Тарау")
        .heading("Бірінші тақырып", 2)
        .paragraph("мәтін")
        .heading("Ішкі тармақ", 3)
        .paragraph("мәтін")
        .heading("Екінші тақырып", 2)
        .paragraph("мәтін"),
        split="h2",
    )
    assert [page.title for page in lesson.pages] == ["Бірінші тақырып", "Екінші тақырып"]
    assert "<h2>Ішкі тармақ</h2>" in lesson.pages[0].body


def test_heading_levels_never_skip_and_never_reach_h1() -> None:
    lesson = read(LessonDocx().heading("Бет").heading("Терең", 4).heading("Тереңірек", 5))
    tree = body_tree(lesson.pages[0].body)
    assert [element.tag for element in tree] == ["h2", "h3"]


def test_text_before_the_first_heading_is_a_page_titled_with_the_lesson() -> None:
    lesson = read(
        LessonDocx()
        .title("Ньютонның екінші заңы")
        .paragraph("Сабақтың мақсаты.")
        .heading("Күш")
        .paragraph("мәтін")
    )
    assert lesson.title == "Ньютонның екінші заңы"
    assert [page.title for page in lesson.pages] == ["Ньютонның екінші заңы", "Күш"]
    assert "Ньютонның" not in lesson.pages[0].body  # the Title is not repeated


def test_title_falls_back_to_the_core_property_then_the_file_name() -> None:
    assert read(LessonDocx(core_title="Дроби").heading("Бет")).title == "Дроби"
    assert read(LessonDocx().heading("Бет")).title == "сабақ"
    assert read(LessonDocx().title("Word"), title="Курс").title == "Курс"


def test_unknown_split_is_a_configuration_error() -> None:
    from scorm_builder.errors import CourseConfigError

    with pytest.raises(CourseConfigError, match="split"):
        read(LessonDocx().heading("Бет"), split="h3")


# --- text -------------------------------------------------------------------------------------


def test_bold_italic_underline_subscript_superscript() -> None:
    lesson = read(
        LessonDocx().paragraph(
            "Күш ", ("F", "b i"), " мен ", ("m", "u"), ": v", ("0", "sub"), ", м/с", ("2", "sup")
        )
    )
    body = lesson.pages[0].body
    assert "<strong><em>F</em></strong>" in body
    assert "<u>m</u>" in body
    assert "v<sub>0</sub>" in body
    assert "м/с<sup>2</sup>" in body


def test_text_typed_in_word_is_escaped_never_markup() -> None:
    lesson = read(
        LessonDocx()
        .heading("<script>alert('сабақ')</script>")
        .paragraph("<script>alert(1)</script> & <b>жуан</b>")
    )
    page = lesson.pages[0]
    assert page.title == "<script>alert('сабақ')</script>"  # a title is text; the template escapes
    tree = body_tree(page.body)
    assert tree.find(".//script") is None and tree.find(".//b") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in page.body


# --- lists ------------------------------------------------------------------------------------


def test_nested_bulleted_and_numbered_lists() -> None:
    lesson = read(
        LessonDocx()
        .list_items([(0, "Күш"), (1, "бағыты"), (1, "шамасы"), (0, "Масса")])
        .list_items([(0, "Бірінші"), (1, "а тармақ"), (0, "Екінші")], ordered=True)
    )
    tree = body_tree(lesson.pages[0].body)
    bullets, numbers = tree.findall("ul")[0], tree.findall("ol")[0]
    assert [li.text for li in bullets.findall("li")] == ["Күш", "Масса"]
    assert [li.text for li in bullets.findall("li/ul/li")] == ["бағыты", "шамасы"]
    assert [li.text for li in numbers.findall("li")] == ["Бірінші", "Екінші"]
    inner = numbers.find("li/ol")
    assert inner is not None and inner.get("type") == "a"
    assert [li.text for li in inner.findall("li")] == ["а тармақ"]


# --- tables -----------------------------------------------------------------------------------


def test_table_header_row_caption_and_merged_cells() -> None:
    lesson = read(
        LessonDocx().table(
            [
                ["Шама", "Белгі", "Бірлік"],
                ["Күш", "F", "Н"],
                ["", "m", "кг"],
                ["Ескерту", "", ""],
            ],
            caption="1-кесте. Шамалар",
            merge_down=(0, 1, 2),
            merge_across=(3, 0, 2),
        )
    )
    tree = body_tree(lesson.pages[0].body)
    table = tree.find("table")
    assert table is not None
    assert table.findtext("caption") == "1-кесте. Шамалар"
    headers = table.findall("thead/tr/th")
    assert [(th.text, th.get("scope")) for th in headers] == [
        ("Шама", "col"),
        ("Белгі", "col"),
        ("Бірлік", "col"),
    ]
    rows = table.findall("tbody/tr")
    assert rows[0].findall("td")[0].get("rowspan") == "2"
    assert [td.text for td in rows[1].findall("td")] == ["m", "кг"]
    assert rows[2].findall("td")[0].get("colspan") == "3"
    assert "1-кесте" not in tree.xpath("string(p)")  # the caption is not repeated


def test_rows_marked_as_header_rows_form_the_thead() -> None:
    lesson = read(LessonDocx().table([["А", "Б"], ["1", "2"]], header_marked=True))
    tree = body_tree(lesson.pages[0].body)
    assert len(tree.findall("table/thead/tr")) == 1 and len(tree.findall("table/tbody/tr")) == 1


# --- pictures ---------------------------------------------------------------------------------


def test_picture_with_kazakh_alt_text() -> None:
    lesson = read(
        LessonDocx().heading("Сызба").picture(png_bytes(), alt="Арбашаға әсер ететін күш")
    )
    image = body_tree(lesson.pages[0].body).find(".//img")
    assert image is not None
    assert image.get("alt") == "Арбашаға әсер ететін күш"
    assert image.get("src") == "media/image-01.png"
    assert [asset.path for asset in lesson.assets] == [f"{FOLDER}/media/image-01.png"]
    assert lesson.assets[0].data == png_bytes()  # small pictures are left as they are
    assert lesson.warnings == ()


def test_missing_alt_text_is_a_warning_naming_picture_and_page() -> None:
    lesson = read(LessonDocx().heading("Тәжірибе").picture(png_bytes()))
    assert len(lesson.warnings) == 1
    warning = lesson.warnings[0]
    assert warning.startswith("сабақ.docx: ")
    assert "image1.png" in warning and "Тәжірибе" in warning and "alt text" in warning
    image = body_tree(lesson.pages[0].body).find(".//img")
    assert image is not None and image.get("alt") == ""


def test_decorative_picture_has_empty_alt_and_no_warning() -> None:
    lesson = read(LessonDocx().heading("Бет").picture(png_bytes(), decorative=True))
    assert lesson.warnings == ()
    assert 'alt=""' in lesson.pages[0].body


def test_phone_photo_is_downscaled_to_1600_pixels_and_recompressed() -> None:
    original = photo_bytes(3000, 2000)
    lesson = read(LessonDocx().heading("Фото").picture(original, alt="Сынып"))
    asset = lesson.assets[0]
    assert asset.path.endswith(".jpg")
    with Image.open(io.BytesIO(asset.data)) as image:
        assert image.size == (1600, 1067)
    assert len(asset.data) < len(original)


def test_photo_is_turned_upright_by_its_exif_orientation() -> None:
    lesson = read(LessonDocx().picture(photo_bytes(400, 200, orientation=6), alt="Фото"))
    with Image.open(io.BytesIO(lesson.assets[0].data)) as image:
        assert image.size == (200, 400)


def test_the_same_picture_twice_is_packaged_once() -> None:
    picture = png_bytes()
    lesson = read(LessonDocx().picture(picture, alt="бір").picture(picture, alt="екі"))
    assert len(lesson.assets) == 1


# --- links, notes, equations -----------------------------------------------------------------


def test_external_hyperlink() -> None:
    lesson = read(
        LessonDocx().link_paragraph("Модель: ", "PhET", "https://phet.colorado.edu/kk/", ".")
    )
    link = body_tree(lesson.pages[0].body).find(".//a")
    assert link is not None
    assert (link.get("href"), link.text) == ("https://phet.colorado.edu/kk/", "PhET")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///C:/Users/Мұғалім/сабақ.docx"])
def test_unsafe_or_local_link_becomes_text_with_a_warning(url: str) -> None:
    lesson = read(LessonDocx().heading("Сілтеме").link_paragraph("Қараңыз: ", "мұнда", url))
    assert "<a" not in lesson.pages[0].body and "мұнда" in lesson.pages[0].body
    assert len(lesson.warnings) == 1 and url in lesson.warnings[0]


def test_internal_bookmark_link_keeps_its_text() -> None:
    lesson = read(
        LessonDocx().raw_paragraph(
            '<w:hyperlink w:anchor="_Toc1"><w:r><w:t>Кіріспеге</w:t></w:r></w:hyperlink>'
        )
    )
    assert lesson.pages[0].body == "<p>Кіріспеге</p>"


def test_hyperlink_field_is_a_link() -> None:
    lesson = read(
        LessonDocx().raw_paragraph(
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText> HYPERLINK "https://bilimland.kz" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            "<w:r><w:t>BilimLand</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
    )
    assert lesson.pages[0].body == '<p><a href="https://bilimland.kz">BilimLand</a></p>'


def test_footnote_reference_and_notes_section_with_back_link() -> None:
    lesson = read(
        LessonDocx()
        .heading("Заң")
        .footnote_paragraph("Ньютонның заңы", "Исаак Ньютон, 1687 ж.", ".")
    )
    tree = body_tree(lesson.pages[0].body)
    mark = tree.find(".//sup/a")
    assert mark is not None
    assert (mark.get("href"), mark.get("id"), mark.text) == ("#fn-1", "fnref-1", "1")
    section = tree.find("section")
    assert section is not None
    assert section.get("class") == "footnotes" and section.get("aria-label") == "Ескертпелер"
    note = section.find("ol/li")
    assert note is not None and note.get("id") == "fn-1"
    assert "Исаак Ньютон, 1687 ж." in note.text_content()
    back = note.find(".//a")
    assert back is not None and back.get("href") == "#fnref-1"


def test_footnotes_are_numbered_through_the_lesson_and_listed_on_their_page() -> None:
    lesson = read(
        LessonDocx()
        .heading("Бірінші")
        .footnote_paragraph("А", "бірінші ескерту")
        .heading("Екінші")
        .footnote_paragraph("Б", "екінші ескерту"),
        language="ru",
    )
    second = body_tree(lesson.pages[1].body)
    assert second.find("section/ol").get("start") == "2"
    assert second.find("section").get("aria-label") == "Сноски"
    assert "бірінші ескерту" not in lesson.pages[1].body


def test_fraction_equation_becomes_native_mathml() -> None:
    lesson = read(LessonDocx().paragraph("Үдеу:").equation(OMML_FRACTION))
    tree = body_tree(lesson.pages[0].body)
    math = tree.find(".//math")
    assert math is not None
    assert math.get("display") == "block" and math.get("alttext") == "a=F/m"
    fraction = math.find(".//mfrac")
    assert fraction is not None
    assert [child.text for child in fraction] == ["F", "m"]
    assert "mathjax" not in lesson.pages[0].body.lower()


def test_sum_and_root_equations() -> None:
    lesson = read(
        LessonDocx().equation(OMML_SUM, display=False, before="Қосынды: ").equation(OMML_ROOT)
    )
    tree = body_tree(lesson.pages[0].body)
    inline, block = tree.findall(".//math")
    assert inline.get("display") == "inline"
    over = inline.find(".//munderover")
    assert over is not None and over[0].text == "∑"
    assert block.find(".//msqrt") is not None


def test_old_equation_editor_object_is_reported() -> None:
    lesson = read(
        LessonDocx()
        .heading("Формула")
        .raw_paragraph(
            '<w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" '
            'Type="Embed" ProgID="Equation.3" ShapeID="_x0000_i1025"/></w:object></w:r>'
        )
    )
    assert len(lesson.warnings) == 1
    assert "Формула" in lesson.warnings[0] and "Insert > Equation" in lesson.warnings[0]


# --- the samples ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "language", "titles"),
    [
        (
            "physics-7-course/newton-lesson.docx",
            "kk",
            ["Күш және үдеу", "Екінші заңның формуласы", "Бекіту"],
        ),
        (
            "singles/fractions-ru.docx",
            "ru",
            ["Что такое дробь", "Сложение дробей с одинаковыми знаменателями"],
        ),
    ],
)
def test_samples_read_without_warnings(sample: str, language: Language, titles: list[str]) -> None:
    path = REPO / "samples" / sample
    assert path.stat().st_size < 300 * 1024
    lesson = read_docx(
        path.read_bytes(),
        source=sample,
        folder=FOLDER,
        language=language,
    )
    assert lesson.warnings == ()
    assert [page.title for page in lesson.pages] == titles
    bodies = "".join(page.body for page in lesson.pages)
    for page in lesson.pages:
        body_tree(page.body)
    for element in ("<mfrac>", "<table>", '<th scope="col">', "<li>"):
        assert element in bodies


def test_newton_sample_has_every_feature() -> None:
    path = REPO / "samples" / "physics-7-course" / "newton-lesson.docx"
    lesson = read_docx(path.read_bytes(), source="newton-lesson.docx", folder=FOLDER)
    assert lesson.title == "Ньютонның екінші заңы"
    bodies = "".join(page.body for page in lesson.pages)
    for marker in ("<strong>", "<em>", "<u>", "<sub>", "<sup>", "<ul>", "<ol>", "rowspan=",
                   "<msqrt>", 'class="footnotes"', 'href="https://phet.colorado.edu'):  # fmt: skip
        assert marker in bodies, marker
    sizes = []
    for asset in lesson.assets:
        with Image.open(io.BytesIO(asset.data)) as image:
            sizes.append(max(image.size))
    assert max(sizes) == 1600


# ---- hostile input (issue #15): text boxes, linked pictures ---------------------------------


def test_a_text_box_is_an_aside_after_its_paragraph_with_its_table() -> None:
    data = (
        LessonDocx()
        .heading("Кіріспе")
        .text_box(
            "Ньютон заңдары.", ["Есте сақта: F = ma"], table=[["Шама", "Бірлік"], ["Күш", "Н"]]
        )
        .paragraph("Келесі абзац.")
        .bytes()
    )
    lesson = read_docx(data, source="сабақ.docx", folder="content/01")
    body = lesson.pages[0].body
    assert body.index("Ньютон заңдары.") < body.index('<div class="text-box" role="note">')
    assert body.index("Есте сақта: F = ma") < body.index("Күш") < body.index("Келесі абзац.")
    assert body.count("Есте сақта") == 1  # the VML fallback copy is not read twice
    assert "<td>Н</td>" in body and lesson.warnings == ()


@pytest.mark.parametrize("attribute", ["r:link", "r:embed"])
def test_a_picture_linked_from_outside_is_reported_by_its_path(attribute: str) -> None:
    target = "file:///C:/Users/Мұғалім/Desktop/сурет.png"
    data = LessonDocx().heading("Суреттер").linked_picture(target, attribute=attribute).bytes()
    lesson = read_docx(data, source="сабақ.docx", folder="content/01")
    assert "<img" not in lesson.pages[0].body
    (warning,) = lesson.warnings
    assert warning.startswith("сабақ.docx: page 'Суреттер': the picture ")
    assert target in warning and "Insert > Pictures > This Device" in warning
