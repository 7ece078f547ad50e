"""Problems of the construction folder itself, reported under their kind."""

from __future__ import annotations

from cgplan.check.registry import folder_rule

FOLDER_KINDS = {
    "gap-without-sketch": ("error", "a gap with no sketch in implementation-sketches.md"),
    "sketch-without-gap": ("error", "a sketch that matches no gap"),
    "duplicate-star": ("error", "a star defined twice in the constellation map"),
    "missing-field": ("warning", "a star, gap or sketch lacks a field the template expects"),
}
"""Folder problem kinds with their default severity and description."""


def _reporter(kind: str):
    def run(ctx):
        for p in ctx.c.problems:
            if p.kind == kind:
                yield p.file, p.line, p.message

    run.__name__ = kind.replace("-", "_")
    return run


for _kind, (_sev, _desc) in FOLDER_KINDS.items():
    folder_rule(_kind, _sev, _desc)(_reporter(_kind))
