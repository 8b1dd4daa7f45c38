"""Word equations (OMML) to MathML, which browsers render natively (no MathJax).

Supported: ``m:oMath`` (one ``<math>``), runs (``m:r``/``m:t``) split into ``mn``
(numbers, with a decimal point or comma), ``mi`` (letters; upright and grouped in
function names and plain-text runs) and ``mo`` (everything else); fractions
(``m:f``: bar, no bar, skewed and linear as ``mfrac bevelled``); scripts (``m:sSup``,
``m:sSub``, ``m:sSubSup``, ``m:sPre``); radicals (``m:rad``: ``msqrt``/``mroot``);
delimiters (``m:d``: fences and separators); n-ary operators (``m:nary``: ∑ ∏ ∫ ...,
limits under/over or as scripts); accents (``m:acc``), bars (``m:bar``), group
characters (``m:groupChr``), lower/upper limits (``m:limLow``/``m:limUpp``), functions
(``m:func``/``m:fName``), matrices (``m:m``), equation arrays (``m:eqArr``), boxes
(``m:box``, ``m:borderBox``) and phantoms. Anything else degrades to its text.

Each ``<math>`` carries ``alttext``: the equation as linear text (``a = F/m``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from scorm_builder.readers.docx.names import M as OMML
from scorm_builder.readers.docx.names import local_name, namespace

MATHML = "http://www.w3.org/1998/Math/MathML"
_NARY_UNDER_OVER = frozenset("∑∏∐⋀⋁⋂⋃⨀⨁⨂⨄⨆")
#: Combining accents Word stores, as the spacing characters ``mover`` wants.
_ACCENTS: dict[str, str] = {
    "\u0300": "`", "\u0301": "´", "\u0302": "^", "\u0303": "~", "\u0304": "¯",
    "\u0305": "¯", "\u0306": "˘", "\u0307": "˙", "\u0308": "¨", "\u030c": "ˇ",
    "\u20d6": "←", "\u20d7": "→", "\u20e1": "↔", "\u20d0": "↼", "\u20d1": "⇀",
}  # fmt: skip
_FUNCTION_APPLICATION = "\u2061"
#: MathML as the default namespace (lxml-stubs do not allow a None prefix).
_NSMAP: Any = {None: MATHML}

Node = etree._Element


def _m(tag: str, *children: Node, text: str | None = None, **attributes: str) -> Node:
    element = etree.Element(f"{{{MATHML}}}{tag}", nsmap=_NSMAP)
    for key, value in attributes.items():
        element.set(key.rstrip("_"), value)
    if text is not None:
        element.text = text
    element.extend(children)
    return element


def _row(children: Iterable[Node]) -> Node:
    items = list(children)
    if len(items) == 1:
        return items[0]
    return _m("mrow", *items)


def _o(element: Node, tag: str) -> Node | None:
    """The OMML child ``m:tag``."""
    return element.find(f"{{{OMML}}}{tag}")


def _val(element: Node, properties: str, tag: str, default: str | None = None) -> str | None:
    """The ``m:val`` of ``m:<properties>/m:<tag>``, or ``default``."""
    props = _o(element, properties)
    found = _o(props, tag) if props is not None else None
    if found is None:
        return default
    return found.get(f"{{{OMML}}}val", default)


def _hidden(element: Node, properties: str, tag: str) -> bool:
    return (_val(element, properties, tag, "0") or "0").lower() in ("1", "on", "true")


def omml_to_mathml(omath: Node, *, display: bool) -> Node:
    """A ``<math>`` element for one ``m:oMath``."""
    math = etree.Element(f"{{{MATHML}}}math", nsmap=_NSMAP)
    math.set("display", "block" if display else "inline")
    math.set("alttext", " ".join(linear(omath).split()))
    math.append(_row(_convert_children(omath)))
    return math


def omml_to_string(omath: Node, *, display: bool) -> str:
    """The ``<math>`` element as markup for an HTML page."""
    return etree.tostring(omml_to_mathml(omath, display=display), encoding="unicode")


# --- conversion -------------------------------------------------------------------------


def _convert_children(element: Node, upright: bool = False) -> list[Node]:
    out: list[Node] = []
    for child in element:
        out.extend(_convert(child, upright))
    return out


def _arg(element: Node, tag: str, upright: bool = False) -> Node:
    """The MathML of the argument ``m:tag`` (an empty ``mrow`` if missing)."""
    found = _o(element, tag)
    if found is None:
        return _m("mrow")
    children = _convert_children(found, upright)
    return _row(children) if children else _m("mrow")


def _convert(element: Node, upright: bool = False) -> list[Node]:
    if namespace(element.tag) != OMML:
        return []
    name = local_name(element.tag)
    if name.endswith("Pr"):
        return []
    converter = _CONVERTERS.get(name)
    if converter is not None:
        return [converter(element)]
    if name == "r":
        return _run(element, upright)
    if name in ("e", "num", "den", "sub", "sup", "deg", "lim", "fName", "oMath"):
        return [_row(_convert_children(element, upright))]
    text = "".join(str(t) for t in element.itertext()).strip()
    return [_m("mtext", text=text)] if text else []


def _run(run: Node, upright: bool) -> list[Node]:
    text = "".join(t.text or "" for t in run.iter(f"{{{OMML}}}t"))
    style = _val(run, "rPr", "sty")
    properties = _o(run, "rPr")
    if properties is not None and _o(properties, "nor") is not None:
        return [_m("mtext", text=text)] if text else []
    return tokens(text, upright=upright or style in ("p", "b"))


def tokens(text: str, *, upright: bool = False) -> list[Node]:
    """``mn``/``mi``/``mo`` tokens of a run's text, by character class."""
    out: list[Node] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
            continue
        end = index + 1
        if char.isdigit():
            while end < len(text) and (
                text[end].isdigit()
                or (text[end] in ".," and end + 1 < len(text) and text[end + 1].isdigit())
            ):
                end += 1
            out.append(_m("mn", text=text[index:end]))
        elif char.isalpha():
            if upright:
                while end < len(text) and text[end].isalpha():
                    end += 1
                word = text[index:end]
                if len(word) == 1:
                    out.append(_m("mi", text=word, mathvariant="normal"))
                else:
                    out.append(_m("mi", text=word))
            else:
                out.append(_m("mi", text=char))
        else:
            out.append(_m("mo", text=char))
        index = end
    return out


def _fraction(element: Node) -> Node:
    kind = _val(element, "fPr", "type", "bar")
    attributes: dict[str, str] = {}
    if kind in ("skw", "lin"):
        attributes["bevelled"] = "true"
    elif kind == "noBar":
        attributes["linethickness"] = "0"
    return _m("mfrac", _arg(element, "num"), _arg(element, "den"), **attributes)


def _sup(element: Node) -> Node:
    return _m("msup", _arg(element, "e"), _arg(element, "sup"))


def _sub(element: Node) -> Node:
    return _m("msub", _arg(element, "e"), _arg(element, "sub"))


def _subsup(element: Node) -> Node:
    return _m("msubsup", _arg(element, "e"), _arg(element, "sub"), _arg(element, "sup"))


def _pre(element: Node) -> Node:
    return _m(
        "mmultiscripts",
        _arg(element, "e"),
        _m("mprescripts"),
        _arg(element, "sub"),
        _arg(element, "sup"),
    )


def _radical(element: Node) -> Node:
    degree = _o(element, "deg")
    if _hidden(element, "radPr", "degHide") or degree is None or not linear(degree).strip():
        return _m("msqrt", _arg(element, "e"))
    return _m("mroot", _arg(element, "e"), _arg(element, "deg"))


def _fence(char: str, **attributes: str) -> Node:
    return _m("mo", text=char, **attributes)


def _delimiter(element: Node) -> Node:
    begin = _val(element, "dPr", "begChr", "(") or ""
    end = _val(element, "dPr", "endChr", ")") or ""
    separator = _val(element, "dPr", "sepChr", "|") or ""
    children: list[Node] = []
    if begin:
        children.append(_fence(begin, fence="true", form="prefix"))
    for index, argument in enumerate(element.iterchildren(f"{{{OMML}}}e")):
        if index and separator:
            children.append(_fence(separator, separator="true"))
        children.append(_row(_convert_children(argument)) if len(argument) else _m("mrow"))
    if end:
        children.append(_fence(end, fence="true", form="postfix"))
    return _m("mrow", *children)


def _nary(element: Node) -> Node:
    char = _val(element, "naryPr", "chr", "∫") or "∫"
    location = _val(element, "naryPr", "limLoc")
    if location is None:
        location = "undOvr" if char in _NARY_UNDER_OVER else "subSup"
    operator = _m("mo", text=char, largeop="true", movablelimits="false")
    no_sub = _hidden(element, "naryPr", "subHide")
    no_sup = _hidden(element, "naryPr", "supHide")
    lower, upper = _arg(element, "sub"), _arg(element, "sup")
    under = location == "undOvr"
    if no_sub and no_sup:
        base = operator
    elif no_sub:
        base = _m("mover" if under else "msup", operator, upper)
    elif no_sup:
        base = _m("munder" if under else "msub", operator, lower)
    else:
        base = _m("munderover" if under else "msubsup", operator, lower, upper)
    return _m("mrow", base, _arg(element, "e"))


def _accent(element: Node) -> Node:
    char = _val(element, "accPr", "chr", "\u0302") or "\u0302"
    return _m("mover", _arg(element, "e"), _m("mo", text=_ACCENTS.get(char, char)), accent="true")


def _bar(element: Node) -> Node:
    if _val(element, "barPr", "pos", "bot") == "top":
        return _m("mover", _arg(element, "e"), _m("mo", text="¯"), accent="true")
    return _m("munder", _arg(element, "e"), _m("mo", text="_"), accentunder="true")


def _group_char(element: Node) -> Node:
    char = _val(element, "groupChrPr", "chr", "\u23df") or "\u23df"
    if _val(element, "groupChrPr", "pos", "bot") == "top":
        return _m("mover", _arg(element, "e"), _m("mo", text=char))
    return _m("munder", _arg(element, "e"), _m("mo", text=char))


def _lim_low(element: Node) -> Node:
    return _m("munder", _arg(element, "e"), _arg(element, "lim"))


def _lim_upp(element: Node) -> Node:
    return _m("mover", _arg(element, "e"), _arg(element, "lim"))


def _function(element: Node) -> Node:
    return _m(
        "mrow",
        _arg(element, "fName", upright=True),
        _m("mo", text=_FUNCTION_APPLICATION),
        _arg(element, "e"),
    )


def _matrix(element: Node) -> Node:
    rows = [
        _m(
            "mtr",
            *(
                _m("mtd", _row(_convert_children(cell)))
                for cell in row.iterchildren(f"{{{OMML}}}e")
            ),
        )
        for row in element.iterchildren(f"{{{OMML}}}mr")
    ]
    return _m("mtable", *rows)


def _equation_array(element: Node) -> Node:
    rows = [
        _m("mtr", _m("mtd", _row(_convert_children(row))))
        for row in element.iterchildren(f"{{{OMML}}}e")
    ]
    return _m("mtable", *rows, columnalign="left")


def _box(element: Node) -> Node:
    return _m("mrow", _arg(element, "e"))


def _border_box(element: Node) -> Node:
    return _m("mrow", _arg(element, "e"), style="border: 1px solid; padding: 0.1em 0.2em")


def _phantom(element: Node) -> Node:
    if _hidden(element, "phantPr", "show"):
        return _m("mrow", _arg(element, "e"))
    return _m("mphantom", _arg(element, "e"))


_CONVERTERS: dict[str, Callable[[Node], Node]] = {
    "f": _fraction,
    "sSup": _sup,
    "sSub": _sub,
    "sSubSup": _subsup,
    "sPre": _pre,
    "rad": _radical,
    "d": _delimiter,
    "nary": _nary,
    "acc": _accent,
    "bar": _bar,
    "groupChr": _group_char,
    "limLow": _lim_low,
    "limUpp": _lim_upp,
    "func": _function,
    "m": _matrix,
    "eqArr": _equation_array,
    "box": _box,
    "borderBox": _border_box,
    "phant": _phantom,
}


# --- linear text --------------------------------------------------------------------------


def _lin(element: Node, tag: str) -> str:
    found = _o(element, tag)
    return linear(found) if found is not None else ""


def _group(text: str) -> str:
    """Parenthesise a compound argument: ``a+b`` -> ``(a+b)``; ``2`` stays ``2``."""
    text = text.strip()
    if len(text) <= 1 or text.isdigit() or (text[0] + text[-1]) in ("()", "[]", "{}"):
        return text
    return f"({text})"


def linear(element: Node) -> str:
    """An equation as one line of text, for ``alttext`` and for searching."""
    name = local_name(element.tag) if namespace(element.tag) == OMML else ""
    if not name or name.endswith("Pr"):
        return ""
    if name == "r":
        return "".join(t.text or "" for t in element.iter(f"{{{OMML}}}t"))
    if name == "f":
        return f"{_group(_lin(element, 'num'))}/{_group(_lin(element, 'den'))}"
    if name in ("sSup", "sSub", "sSubSup", "sPre"):
        text = _group(_lin(element, "e"))
        if name != "sSup":
            text += f"_{_group(_lin(element, 'sub'))}"
        if name != "sSub":
            text += f"^{_group(_lin(element, 'sup'))}"
        return text
    if name == "rad":
        degree = _lin(element, "deg").strip()
        root = f"√{_group(_lin(element, 'e'))}"
        return f"root({degree}){_group(_lin(element, 'e'))}" if degree else root
    if name == "d":
        begin = _val(element, "dPr", "begChr", "(") or ""
        end = _val(element, "dPr", "endChr", ")") or ""
        separator = _val(element, "dPr", "sepChr", "|") or ""
        parts = [linear(e) for e in element.iterchildren(f"{{{OMML}}}e")]
        return begin + separator.join(parts) + end
    if name == "nary":
        char = _val(element, "naryPr", "chr", "∫") or "∫"
        text = char
        if not _hidden(element, "naryPr", "subHide") and _lin(element, "sub"):
            text += f"_{_group(_lin(element, 'sub'))}"
        if not _hidden(element, "naryPr", "supHide") and _lin(element, "sup"):
            text += f"^{_group(_lin(element, 'sup'))}"
        return f"{text} {_lin(element, 'e')}"
    if name == "func":
        return f"{_lin(element, 'fName')} {_group(_lin(element, 'e'))}"
    if name in ("limLow", "limUpp"):
        mark = "_" if name == "limLow" else "^"
        return f"{_lin(element, 'e')}{mark}{_group(_lin(element, 'lim'))}"
    if name == "m":
        rows = [
            " & ".join(linear(e) for e in row.iterchildren(f"{{{OMML}}}e"))
            for row in element.iterchildren(f"{{{OMML}}}mr")
        ]
        return "[" + "; ".join(rows) + "]"
    if name == "eqArr":
        return "; ".join(linear(e) for e in element.iterchildren(f"{{{OMML}}}e"))
    return "".join(linear(child) for child in element)
