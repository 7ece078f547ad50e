"""Helpers for reading a rendered plan the way a person sees it."""

from __future__ import annotations

import re

CITE = re.compile(r"\((?:constellation-map|gap-analysis|implementation-sketches)\.md § [^()]*(?:\([^()]*\)[^()]*)*\)")


def visible(text: str) -> str:
    """The plan with Markdown backslash escapes removed (what a reader sees)."""
    return re.sub(r"\\([\\<*])", r"\1", text)


def cited_lines(text: str) -> list[str]:
    """Lines of the plan that carry a citation."""
    return [ln for ln in visible(text).split("\n") if CITE.search(ln)]


def map_citations_unknown(text: str, sections: list[str]) -> list[str]:
    """Citations of constellation-map.md whose section is none of ``sections`` (longest match first)."""
    vis = visible(text)
    known = sorted(sections, key=len, reverse=True)
    bad = []
    for m in re.finditer(r"constellation-map\.md § ", vis):
        rest = vis[m.end() : m.end() + 200]
        if not any(rest.startswith(k) for k in known):
            bad.append(rest.split(")")[0])
    return bad


def bold_stars(text: str) -> set[str]:
    """Names in ``- **Name** (constellation-map.md § ...)`` bullets."""
    return {m.group(1) for m in re.finditer(r"^\s*- \*\*(.+?)\*\* \(constellation-map\.md", visible(text), re.M)}
