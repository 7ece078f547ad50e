"""The three ways ``cgplan check`` prints its findings: text, JSON and GitHub annotations."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cgplan.check import CheckResult

FORMATS = ("text", "json", "github")
"""Output formats of ``cgplan check``."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    """``P plans checked: N errors, M warnings in K files`` (the files that have findings; none when clean)."""
    line = f"{_plural(result.plans, 'plan')} checked: {_plural(result.errors, 'error')}, "
    line += _plural(result.warnings, "warning")
    if result.files:
        line += f" in {_plural(result.files, 'file')}"
    return line


def format_text(result: CheckResult) -> str:
    """Findings grouped by file, then the summary line."""
    out: list[str] = []
    current = None
    for f in result.findings:
        if f.file != current:
            if current is not None:
                out.append("")
            out.append(f.file)
            current = f.file
        out.append(f"  {f.line}: {f.severity} [{f.rule}] {f.message}")
    if out:
        out.append("")
    out.append(summary_line(result))
    return "\n".join(out)


def format_json(result: CheckResult) -> str:
    """One JSON object: ``findings`` and ``counts``."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def escape_data(text: str) -> str:
    """Escape an annotation message the way GitHub workflow commands require."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape an annotation property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: CheckResult, root: Path, cwd: Path | None = None) -> str:
    """One ``::error``/``::warning`` workflow command per finding, paths relative to ``cwd``."""
    base = Path(cwd or os.getcwd())
    out = []
    for f in result.findings:
        path = os.path.relpath(os.path.abspath(root / f.file), os.path.abspath(base)).replace(os.sep, "/")
        props = f"file={escape_property(path)},line={f.line},title={escape_property(f.rule)}"
        out.append(f"::{f.severity} {props}::{escape_data(f.message)}")
    out.append(summary_line(result))
    return "\n".join(out)


def render(result: CheckResult, fmt: str, root: Path) -> str:
    """The findings in one of :data:`FORMATS`."""
    if fmt == "json":
        return format_json(result)
    if fmt == "github":
        return format_github(result, root)
    return format_text(result)
