"""Problems of the construction folder itself, as ``cgplan inspect`` lists them."""

from __future__ import annotations


def _problems(ctx, kind: str):
    for problem in ctx.construction.problems:
        if problem.kind == kind:
            yield problem.file, problem.line, problem.message


def gap_without_sketch(ctx):
    """A gap with no sketch in implementation-sketches.md.

    Why: the sketch names the components; a gap without one has nothing to plan from.

    Example: ``### Gap 4: Refund Approval`` and no ``## Sketch: Refund Approval``.
    """
    yield from _problems(ctx, "gap-without-sketch")


def sketch_without_gap(ctx):
    """A sketch that matches no gap by title or Gap Reference.

    Why: its components are planned for nothing, or for a gap under another name.

    Example: ``## Sketch: Session Store`` whose **Gap Reference:** names a gap that was removed.
    """
    yield from _problems(ctx, "sketch-without-gap")


def duplicate_star(ctx):
    """A star defined twice in the constellation map.

    Why: two sections with one name give two sets of contracts; plans would cite either.

    Example: two ``### Star: Google Kubernetes Engine`` sections.
    """
    yield from _problems(ctx, "duplicate-star")


def missing_field(ctx):
    """A star, gap or sketch lacking a field the template expects.

    Why: the plan can only quote what the documents state; a missing field becomes a gap in the plan.

    Example: a star without **Error Handling:**, so no failure-mode test can name its failure modes.
    """
    yield from _problems(ctx, "missing-field")
