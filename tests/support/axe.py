"""axe-core in a real page: its serious and critical findings.

axe comes from ``tools/npm/node_modules/axe-core/axe.min.js``. It is evaluated through the
DevTools protocol rather than injected as a script tag, because the catalogue's pages (rightly)
refuse script tags their CSP does not allow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "tools/npm/node_modules/axe-core/axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    iframes: false,
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
}"""


def serious_violations(page: Page) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci in tools/npm")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return [v for v in violations if v["impact"] in ("serious", "critical")]
