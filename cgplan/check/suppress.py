"""Inline suppression: ``<!-- cgplan: ignore[rule-id, ...] reason -->`` in a plan.

The comment covers

- the section it sits on, when it is written on a heading line or on its own line
  directly under a heading (the heading, its text and its sub-sections);
- otherwise the line it is written on, or, on a line of its own, the next line
  that is not blank.

Only plan findings are suppressed; folder problems come from the folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"<!--\s*cgplan:\s*ignore\s*\[([^\]]*)\]\s*(.*?)\s*-->", re.IGNORECASE)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Suppression:
    """One ignore comment and the lines it covers."""

    rules: frozenset[str]
    """Rule slugs it names."""
    line: int
    """1-based line of the comment."""
    start: int
    """First line covered."""
    end: int
    """Last line covered."""
    reason: str = ""
    """The text after the rule list."""

    def covers(self, rule: str, line: int) -> bool:
        return rule in self.rules and self.start <= line <= self.end


def _headings(raw: list[str]) -> list[tuple[int, int]]:
    """``(line, level)`` of every ATX heading outside fenced code."""
    out = []
    fence = None
    for n, text in enumerate(raw, start=1):
        m = _FENCE.match(text)
        if m:
            mark = m.group(1)
            if fence is None:
                fence = mark[0] * len(mark)
            elif mark.startswith(fence):
                fence = None
            continue
        if fence is None:
            h = _HEADING.match(text)
            if h:
                out.append((n, len(h.group(1))))
    return out


def _section_end(headings: list[tuple[int, int]], line: int, total: int) -> int:
    level = next(lv for ln, lv in headings if ln == line)
    for ln, lv in headings:
        if ln > line and lv <= level:
            return ln - 1
    return total


def suppressions(raw: list[str]) -> list[Suppression]:
    """The ignore comments of a plan's source lines."""
    found = [(n, text) for n, text in enumerate(raw, start=1) if "ignore" in text and _COMMENT.search(text)]
    if not found:
        return []
    headings = _headings(raw)
    heads = {ln for ln, _ in headings}
    out = []
    for n, text in found:
        for m in _COMMENT.finditer(text):
            rules = frozenset(r.strip() for r in m.group(1).split(",") if r.strip())
            rest = _COMMENT.sub("", text).strip()
            if n in heads:
                start, end = n, _section_end(headings, n, len(raw))
            elif rest:
                start = end = n
            else:
                prev = next((k for k in range(n - 1, 0, -1) if raw[k - 1].strip()), None)
                if prev in heads:
                    start, end = prev, _section_end(headings, prev, len(raw))
                else:
                    nxt = next((k for k in range(n + 1, len(raw) + 1) if raw[k - 1].strip()), n)
                    start = end = nxt
            out.append(Suppression(rules, n, start, end, m.group(2)))
    return out


def split(findings, sups: list[Suppression]):
    """``(kept, suppressed)``: the findings no comment covers, and the ones one does."""
    if not sups:
        return list(findings), []
    kept, dropped = [], []
    for f in findings:
        (dropped if any(s.covers(f.rule, f.line) for s in sups) else kept).append(f)
    return kept, dropped
