"""Reports on the screen and for machines: the only place findings become sentences."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from scorm_builder.validate.findings import Finding, Report, Severity
from scorm_builder.validate.messages import UI, Lang, render, severity_word
from scorm_builder.zipsafe import printable

__all__ = ["exit_code", "to_json", "to_text"]


def _where(report: Report, finding: Finding) -> str:
    # an entry name may hold a newline or ESC: escaped, it cannot forge a line or a colour
    where = printable(finding.entry or report.package or "-")
    return f"{where}:{finding.line}" if finding.line else where


def _block(report: Report, lang: Lang) -> list[str]:
    verdict = UI["valid" if report.valid else "invalid"][lang]
    version = report.scorm_version or UI["unknown"][lang]
    lines = [UI["header"][lang].format(package=report.package, version=version, verdict=verdict)]
    if not report.findings:
        lines.append(UI["clean"][lang])
    for finding in report.findings:
        text = render(finding, lang)
        severity = severity_word(finding.severity, lang)
        lines.append(f"  {_where(report, finding)}: {severity} {finding.rule} {text.message}")
        lines.append(f"      {UI['hint'][lang]}: {text.hint}")
    return lines


def to_text(reports: Sequence[Report], lang: Lang) -> str:
    """One block per package, one line per finding with its hint, then a summary line."""
    lines: list[str] = []
    for report in reports:
        lines.extend(_block(report, lang))
        lines.append("")
    valid = sum(1 for r in reports if r.valid)
    lines.append(
        UI["summary"][lang].format(
            packages=len(reports),
            valid=valid,
            invalid=len(reports) - valid,
            errors=sum(r.count(Severity.ERROR) for r in reports),
            warnings=sum(r.count(Severity.WARNING) for r in reports),
        )
    )
    return "\n".join(lines)


def _finding_json(report: Report, finding: Finding, lang: Lang) -> dict[str, Any]:
    text = render(finding, lang)
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "file": report.package,
        "entry": finding.entry,
        "line": finding.line,
        "message": text.message,
        "hint": text.hint,
    }


def to_json(reports: Sequence[Report], lang: Lang) -> str:
    """The same reports for machines: a JSON list, one object per package."""
    data = [
        {
            "package": report.package,
            "valid": report.valid,
            "scorm_version": report.scorm_version,
            "findings": [_finding_json(report, f, lang) for f in report.findings],
        }
        for report in reports
    ]
    return json.dumps(data, ensure_ascii=False, indent=2)


def exit_code(reports: Sequence[Report]) -> int:
    """0 when every package is valid (warnings allowed), 1 when any has an error."""
    return 0 if all(r.valid for r in reports) else 1
