"""Word equations (OMML) become MathML that browsers render natively."""

from __future__ import annotations

import pytest
from lxml import etree

from scorm_builder.readers.docx.omml import MATHML, omml_to_mathml

M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def convert(inner: str, *, display: bool = False) -> etree._Element:
    omath = etree.fromstring(f'<m:oMath xmlns:m="{M_NS}">{inner}</m:oMath>')
    return omml_to_mathml(omath, display=display)


def r(text: str) -> str:
    return f"<m:r><m:t>{text}</m:t></m:r>"


def shape(element: etree._Element) -> str:
    """``mfrac(mi,mn)``: the element tree without namespaces, for compact assertions."""
    name = etree.QName(element).localname
    if len(element) == 0:
        return f"{name}:{element.text}" if element.text else name
    return f"{name}(" + ",".join(shape(child) for child in element) + ")"


def test_math_root_namespace_display_and_alttext() -> None:
    math = convert(r("x+1"), display=True)
    assert math.tag == f"{{{MATHML}}}math"
    assert math.get("display") == "block"
    assert math.get("alttext") == "x+1"
    assert etree.tostring(math, encoding="unicode").startswith(f'<math xmlns="{MATHML}"')


def test_runs_split_into_identifiers_numbers_and_operators() -> None:
    assert shape(convert(r("F=2,5m+0.1"))) == ("math(mrow(mi:F,mo:=,mn:2,5,mi:m,mo:+,mn:0.1))")


def test_plain_text_run_is_mtext() -> None:
    math = convert("<m:r><m:rPr><m:nor/></m:rPr><m:t>жылдамдық</m:t></m:r>")
    assert shape(math) == "math(mtext:жылдамдық)"


@pytest.mark.parametrize(
    ("kind", "attribute"),
    [
        ("", None),
        ("bar", None),
        ("skw", "bevelled"),
        ("lin", "bevelled"),
        ("noBar", "linethickness"),
    ],
)
def test_fractions(kind: str, attribute: str | None) -> None:
    properties = f'<m:fPr><m:type m:val="{kind}"/></m:fPr>' if kind else ""
    math = convert(f"<m:f>{properties}<m:num>{r('1')}</m:num><m:den>{r('2')}</m:den></m:f>")
    assert shape(math) == "math(mfrac(mn:1,mn:2))"
    if attribute:
        assert math[0].get(attribute) is not None
    assert math.get("alttext") == "1/2"


def test_scripts() -> None:
    sup = convert(f"<m:sSup><m:e>{r('x')}</m:e><m:sup>{r('2')}</m:sup></m:sSup>")
    sub = convert(f"<m:sSub><m:e>{r('v')}</m:e><m:sub>{r('0')}</m:sub></m:sSub>")
    both = convert(
        f"<m:sSubSup><m:e>{r('x')}</m:e><m:sub>{r('i')}</m:sub><m:sup>{r('2')}</m:sup></m:sSubSup>"
    )
    assert shape(sup) == "math(msup(mi:x,mn:2))"
    assert shape(sub) == "math(msub(mi:v,mn:0))"
    assert shape(both) == "math(msubsup(mi:x,mi:i,mn:2))"
    assert both.get("alttext") == "x_i^2"


def test_radicals() -> None:
    square = convert(
        f'<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/><m:e>{r("2gh")}</m:e></m:rad>'
    )
    cube = convert(f"<m:rad><m:deg>{r('3')}</m:deg><m:e>{r('8')}</m:e></m:rad>")
    assert shape(square) == "math(msqrt(mrow(mn:2,mi:g,mi:h)))"
    assert square.get("alttext") == "√(2gh)"
    assert shape(cube) == "math(mroot(mn:8,mn:3))"


def test_delimiters_with_fences_and_separators() -> None:
    plain = convert(f"<m:d><m:e>{r('a+b')}</m:e></m:d>")
    assert shape(plain) == "math(mrow(mo:(,mrow(mi:a,mo:+,mi:b),mo:)))"
    assert plain[0][0].get("fence") == "true"
    braces = convert(
        '<m:d><m:dPr><m:begChr m:val="{"/><m:endChr m:val="}"/><m:sepChr m:val=";"/></m:dPr>'
        f"<m:e>{r('1')}</m:e><m:e>{r('2')}</m:e></m:d>"
    )
    assert shape(braces) == "math(mrow(mo:{,mn:1,mo:;,mn:2,mo:}))"


def test_nary_operators() -> None:
    integral = convert(
        f"<m:nary><m:sub>{r('0')}</m:sub><m:sup>{r('1')}</m:sup><m:e>{r('x')}</m:e></m:nary>"
    )
    assert shape(integral) == "math(mrow(msubsup(mo:∫,mn:0,mn:1),mi:x))"
    product = convert(
        '<m:nary><m:naryPr><m:chr m:val="∏"/><m:supHide m:val="1"/></m:naryPr>'
        f"<m:sub>{r('k')}</m:sub><m:sup/><m:e>{r('k')}</m:e></m:nary>"
    )
    assert shape(product) == "math(mrow(munder(mo:∏,mi:k),mi:k))"


def test_accent_bar_group_character_and_limits() -> None:
    vector = convert(
        f'<m:acc><m:accPr><m:chr m:val="\u20d7"/></m:accPr><m:e>{r("F")}</m:e></m:acc>'
    )
    assert shape(vector) == "math(mover(mi:F,mo:→))"
    over = convert(f'<m:bar><m:barPr><m:pos m:val="top"/></m:barPr><m:e>{r("x")}</m:e></m:bar>')
    assert shape(over) == "math(mover(mi:x,mo:¯))"
    brace = convert(f"<m:groupChr><m:e>{r('a+b')}</m:e></m:groupChr>")
    assert shape(brace) == "math(munder(mrow(mi:a,mo:+,mi:b),mo:\u23df))"
    limit = convert(
        "<m:func><m:fName><m:limLow><m:e>"
        '<m:r><m:rPr><m:sty m:val="p"/></m:rPr><m:t>lim</m:t></m:r></m:e>'
        f"<m:lim>{r('x→0')}</m:lim></m:limLow></m:fName><m:e>{r('x')}</m:e></m:func>"
    )
    assert shape(limit) == "math(mrow(munder(mi:lim,mrow(mi:x,mo:→,mn:0)),mo:\u2061,mi:x))"
    upper = convert(f"<m:limUpp><m:e>{r('A')}</m:e><m:lim>{r('n')}</m:lim></m:limUpp>")
    assert shape(upper) == "math(mover(mi:A,mi:n))"


def test_function_names_are_upright() -> None:
    sine = convert(f"<m:func><m:fName>{r('sin')}</m:fName><m:e>{r('α')}</m:e></m:func>")
    assert shape(sine) == "math(mrow(mi:sin,mo:\u2061,mi:α))"
    assert sine.get("alttext") == "sin α"


def test_matrix_and_equation_array_are_tables() -> None:
    matrix = convert(
        f"<m:m><m:mr><m:e>{r('1')}</m:e><m:e>{r('0')}</m:e></m:mr>"
        f"<m:mr><m:e>{r('0')}</m:e><m:e>{r('1')}</m:e></m:mr></m:m>"
    )
    assert shape(matrix) == "math(mtable(mtr(mtd(mn:1),mtd(mn:0)),mtr(mtd(mn:0),mtd(mn:1))))"
    system = convert(f"<m:eqArr><m:e>{r('x+y=3')}</m:e><m:e>{r('x−y=1')}</m:e></m:eqArr>")
    assert [etree.QName(row).localname for row in system[0]] == ["mtr", "mtr"]


def test_boxes_and_unknown_elements_degrade_to_their_content() -> None:
    boxed = convert(f"<m:borderBox><m:e>{r('E=mc')}</m:e></m:borderBox>")
    assert boxed[0].get("style", "").startswith("border")
    unknown = convert(f"<m:futureThing><m:e>{r('42')}</m:e></m:futureThing>")
    assert shape(unknown) == "math(mtext:42)"
