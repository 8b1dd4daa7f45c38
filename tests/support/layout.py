"""What a page's layout must hold at any width, measured in the real page.

``layout_problems(page)`` runs one script in the page (after its fonts have loaded) and
returns each problem it finds as a line a person can act on: what is wrong, which element
(its tag, id and classes, the nearest ancestor with an id) and the text concerned. The
checks:

- **no sideways scroll**: the document is no wider than the window;
- **nothing wider than the viewport**: no visible element, and no run of text overflowing
  its box, sticks out on the right (more than 1 px) or on the left, except inside a box
  that scrolls sideways by design (a ``.table-scroll`` wrapper, any ``overflow-x: auto |
  scroll`` box) and what is off-screen on purpose (``.skip-link`` until focused,
  ``.visually-hidden``); when the page scrolls sideways anyway, the element furthest right
  is named;
- **no label separated from its control**: each visible checkbox and radio button whose
  label is its parent or a ``label[for]`` shares a line with the label's first line of text
  (their boxes overlap vertically) and sits next to it (at most ``LABEL_GAP_PX`` apart);
- **no word broken inside**: no word of a heading, cell, label, link, button, paragraph,
  list item, term, legend, summary or caption is split across two lines. A word is what
  lies between white space; a break just after a hyphen, dash or slash is a break between
  words. Words longer than ``LONG_WORD`` characters (addresses, hashes, file paths) may
  wrap.

``assert_layout_holds(page, where)`` fails the test with every problem listed.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

#: A word longer than this may wrap anywhere (a URL, a checksum, an e-mail address).
LONG_WORD = 25
#: The widest gap (px) between a checkbox or radio button and its label's first line.
LABEL_GAP_PX = 40
#: At most this many problems of each kind are listed (one bad box makes many).
MOST = 25

LAYOUT_SCRIPT = """
async ({longWord, labelGap, most}) => {
  await document.fonts.ready;
  const problems = [];
  const width = window.innerWidth;
  const root = document.documentElement;
  const OFF_SCREEN = ".skip-link, .visually-hidden, [hidden]";
  const TEXT = "h1, h2, h3, h4, h5, h6, th, td, label, a, button, p, li, dt, dd, legend, " +
    "summary, caption";

  const clip = (text) => {
    const flat = (text || "").replace(/\\s+/g, " ").trim();
    return flat.length > 60 ? flat.slice(0, 57) + "…" : flat;
  };
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    const classes = [...element.classList].slice(0, 2);
    if (classes.length) name += "." + classes.join(".");
    if (element.id) return name;
    // where it is: the nearest box with an id or a label (a section, a table's region)
    const around = element.parentElement &&
      element.parentElement.closest("[id], [aria-labelledby], [aria-label]");
    if (!around) return name;
    if (around.id) return `${name} in #${around.id}`;
    const by = around.getAttribute("aria-labelledby");
    return by ? `${name} in the box of #${by}` :
      `${name} in "${clip(around.getAttribute("aria-label"))}"`;
  };
  const shown = (element) =>
    element.checkVisibility({visibilityProperty: true}) && !element.closest(OFF_SCREEN);
  const scrollsSideways = (node) => {
    for (let box = node.parentElement; box && box !== document.body; box = box.parentElement) {
      if (box.classList.contains("table-scroll")) return true;
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  };
  const counts = {};
  const add = (kind, text) => {
    counts[kind] = (counts[kind] || 0) + 1;
    if (counts[kind] <= most) problems.push(text);
  };

  // 1. no sideways scroll
  if (root.scrollWidth > width) {
    let rightmost = null;
    let right = 0;
    for (const element of document.body.querySelectorAll("*")) {
      const edge = element.getBoundingClientRect().right + window.scrollX;
      if (edge > right) [rightmost, right] = [element, edge];
    }
    add("sideways", `sideways scroll: the document is ${root.scrollWidth} px wide, ` +
      `the window ${width} px` + (rightmost ? ` (furthest right: ${describe(rightmost)})` : ""));
  }

  // 2. nothing wider than the viewport (only the outermost box of each is named)
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (wide.some((outer) => outer.contains(element))) continue;
    if (!shown(element) || scrollsSideways(element)) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      wide.push(element);
      add("too wide", `too wide: ${describe(element)} spans ${Math.round(box.left)}–` +
        `${Math.round(box.right)} px of a ${width} px window: "${clip(element.textContent)}"`);
    }
  }

  // 3. each checkbox and radio button on the line of its label's first words
  for (const control of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
    if (!shown(control)) continue;
    const label = control.closest("label") ||
      (control.id && document.querySelector(`label[for="${CSS.escape(control.id)}"]`));
    if (!label || !shown(label)) continue;
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    let line = null;
    for (let node = walker.nextNode(); node && !line; node = walker.nextNode()) {
      if (!node.textContent.trim() || !shown(node.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      line = [...range.getClientRects()].find((rect) => rect.width > 0) || null;
    }
    if (!line) continue;
    const box = control.getBoundingClientRect();
    const overlap = Math.min(box.bottom, line.bottom) - Math.max(box.top, line.top);
    const gap = Math.max(line.left - box.right, box.left - line.right, 0);
    if (overlap <= 0) {
      add("label", `label off its control's line: ${describe(control)} at ` +
        `${Math.round(box.top)}–${Math.round(box.bottom)} px, its label's first line at ` +
        `${Math.round(line.top)}–${Math.round(line.bottom)} px: "${clip(label.textContent)}"`);
    } else if (gap > labelGap) {
      add("label", `label far from its control: ${describe(control)} is ${Math.round(gap)} px ` +
        `from "${clip(label.textContent)}"`);
    }
  }

  // 2b. no run of text sticking out of the window; 4. no word broken across lines
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Map();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent.trim()) continue;
    if (!seen.has(parent)) seen.set(parent, shown(parent));
    if (!seen.get(parent)) continue;
    const text = node.textContent;
    if (!scrollsSideways(node) && !wide.some((outer) => outer.contains(parent))) {
      const whole = document.createRange();
      whole.selectNodeContents(node);
      const box = whole.getBoundingClientRect();
      if (box.width > 0 && (box.right > width + 1 || box.left < -1)) {
        add("text", `text too wide: "${clip(text)}" in ${describe(parent)} spans ` +
          `${Math.round(box.left)}–${Math.round(box.right)} px of a ${width} px window`);
      }
    }
    if (!parent.closest(TEXT)) continue;
    for (const word of text.matchAll(/\\S+/g)) {
      if ([...word[0]].length > longWord) continue;
      // a line may end after a hyphen, a dash or a slash: each part is checked alone
      let start = word.index;
      for (const part of word[0].match(/[^-‐–—\\/]+[-‐–—\\/]*|[-‐–—\\/]+/g) || []) {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + part.length);
        start += part.length;
        const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
        if (rects.length < 2) continue;
        const first = rects[0];
        if (rects.some((rect) => Math.abs(rect.top - first.top) > first.height / 2)) {
          add("broken", `word broken across lines: "${word[0]}" in ${describe(parent)}`);
        }
      }
    }
  }
  return problems;
}
"""


def layout_problems(page: Page) -> list[str]:
    """Every layout problem of the page as it is shown now (empty when it holds)."""
    found: Any = page.evaluate(
        LAYOUT_SCRIPT, {"longWord": LONG_WORD, "labelGap": LABEL_GAP_PX, "most": MOST}
    )
    assert isinstance(found, list)
    return [str(problem) for problem in found]


def assert_layout_holds(page: Page, where: str) -> None:
    """Fail, listing every problem, unless the page's layout holds at its viewport."""
    problems = layout_problems(page)
    size = page.viewport_size or {"width": 0, "height": 0}
    assert problems == [], (
        f"the layout of {where} ({page.url}) at {size['width']}×{size['height']} breaks:\n"
        + "\n".join(f"- {problem}" for problem in problems)
    )
