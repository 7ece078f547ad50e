"""The rule registry: every rule is a small function registered with a stable slug.

A *plan rule* looks at one plan (``fn(ctx, plan_file) -> iterable of (line, message)``);
a *folder rule* looks at the construction folder as a whole
(``fn(ctx) -> iterable of (file, line, message)``). A slug may have both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

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
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "file": self.file, "line": self.line}


@dataclass
class Rule:
    """A registered rule."""

    slug: str
    """Stable name used in output, ``--select`` and configuration."""
    severity: str
    """Default severity."""
    description: str
    """One line: what it catches."""
    plan: Callable | None = None
    """Per-plan check, if any."""
    folder: Callable | None = None
    """Folder-wide check, if any."""


RULES: dict[str, Rule] = {}
"""Every rule by slug."""


def _entry(slug: str, severity: str, description: str) -> Rule:
    if severity not in SEVERITIES:
        raise ValueError(f"bad severity {severity!r} for rule {slug}")
    r = RULES.get(slug)
    if r is None:
        r = RULES[slug] = Rule(slug, severity, description)
    return r


def plan_rule(slug: str, severity: str, description: str):
    """Register ``fn(ctx, plan)`` as the per-plan check of ``slug``."""

    def deco(fn):
        _entry(slug, severity, description).plan = fn
        return fn

    return deco


def folder_rule(slug: str, severity: str, description: str):
    """Register ``fn(ctx)`` as the folder-wide check of ``slug``."""

    def deco(fn):
        _entry(slug, severity, description).folder = fn
        return fn

    return deco
