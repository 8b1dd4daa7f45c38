"""Validation findings stored as data (rule, severity, entry, line, values), and made
sentences in the reader's language only when rendered, so one stored report serves every
language and survives a change of wording.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from scorm_builder.validate import Finding, Report, Severity
from scorm_builder.validate.messages import Lang, render


def stored_findings(report: Report) -> list[dict[str, Any]]:
    """The report's findings as language-neutral data, for the version's ``validation``."""
    return [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "entry": f.entry,
            "line": f.line,
            "params": dict(f.params),
        }
        for f in report.findings
    ]


def render_findings(stored: Sequence[Mapping[str, Any]], lang: Lang) -> list[dict[str, Any]]:
    """Stored findings with their message and hint in ``lang``."""
    rendered = []
    for data in stored:
        finding = Finding(
            rule=str(data["rule"]),
            severity=Severity(data["severity"]),
            entry=str(data.get("entry") or ""),
            line=data.get("line"),
            params=MappingProxyType(dict(data.get("params") or {})),
        )
        try:
            text = render(finding, lang)
            message, hint = text.message, text.hint
        except KeyError:  # a rule this validator no longer knows
            message, hint = finding.rule, ""
        rendered.append(
            {
                "rule": finding.rule,
                "severity": finding.severity.value,
                "entry": finding.entry,
                "line": finding.line,
                "message": message,
                "hint": hint,
            }
        )
    return rendered
