"""What the checker works with: a rule, and a finding one rule made.

A *plan check* looks at one plan (``check(ctx, plan_file) -> iterable of (line,
message)``); a *folder check* looks at the construction folder as a whole
(``check(ctx) -> iterable of (file, line, message)``). A rule has one or both.
Its documentation is the docstring of its first check: a first paragraph saying
what it catches, then a paragraph starting ``Why:`` and one starting ``Example:``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

SEVERITIES = ("error", "warning")
"""Severities a finding can carry, most serious first."""


@dataclass(frozen=True)
class Finding:
    """One thing a check found."""

    rule: str
    """Slug of the rule that found it."""
    severity: str
    """``error`` or ``warning``."""
    message: str
    """One readable sentence saying what is wrong and what to do."""
    file: str
    """Path relative to the folder that holds ``construction/``."""
    line: int
    """1-based line."""

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class Rule:
    """A rule of ``cgplan check``."""

    slug: str
    """Stable name used in output, ``--select`` and configuration."""
    severity: str
    """Default severity."""
    plan: Callable | None = None
    """Per-plan check, if any."""
    folder: Callable | None = None
    """Folder-wide check, if any."""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"bad severity {self.severity!r} for rule {self.slug}")
        if self.plan is None and self.folder is None:
            raise ValueError(f"rule {self.slug} has no check")

    def _paragraphs(self) -> list[str]:
        doc = inspect.getdoc(self.plan or self.folder) or ""
        return [" ".join(part.split()) for part in doc.split("\n\n") if part.strip()]

    @property
    def description(self) -> str:
        """What it catches (the first paragraph of its docstring)."""
        paragraphs = self._paragraphs()
        return paragraphs[0] if paragraphs else ""

    def _section(self, label: str) -> str:
        for paragraph in self._paragraphs():
            if paragraph.startswith(label + ":"):
                return paragraph[len(label) + 1 :].strip()
        return ""

    @property
    def why(self) -> str:
        """Why it matters."""
        return self._section("Why")

    @property
    def example(self) -> str:
        """A short example of what trips it."""
        return self._section("Example")
