"""The seed's shape: required sections, signatures, and citations in each component."""

from __future__ import annotations

from cgplan.check.plan_doc import COMPONENT_PARTS, PLAN_PARTS


def missing_section(ctx, plan_file):
    """A section of the seed's format (Overview, Component parts, Test Strategy, Success Criteria
    Validation, Implementation Checklist, Code Generation Guidance) is absent.

    Why: the code generator and the reviewer look for each part by its heading; a missing one is a
    question the plan leaves open.

    Example: a plan with components and tests but no ``## Success Criteria Validation``.
    """
    plan = plan_file.parsed
    missing = [title for key, title in PLAN_PARTS.items() if key not in plan.parts]
    if missing:
        yield (
            plan.title_line,
            (
                f"plan has no {', '.join(repr(m) for m in missing)} section; "
                f"add {'it' if len(missing) == 1 else 'them'} as in the seed's format"
            ),
        )
    if not plan.components:
        yield (
            plan.title_line,
            "plan has no '## Component N: <Name>' section; describe each component of the sketch in one",
        )
    for comp in plan.components:
        absent = []
        for key, title in COMPONENT_PARTS.items():
            if key in comp.parts:
                continue
            if key == "signatures" and comp.signatures:
                continue
            if key == "context" and comp.stars:
                continue
            absent.append(title)
        if absent:
            yield (
                comp.line,
                (
                    f"component {comp.name!r} has no {', '.join(repr(a) for a in absent)}; "
                    f"add {'it' if len(absent) == 1 else 'them'} under the component"
                ),
            )


def missing_signature(ctx, plan_file):
    """A component without any function or class signature.

    Why: without a signature the generator chooses names and types itself, and the tests the plan
    names have nothing fixed to call.

    Example: ``## Component 2: Webhook Recorder`` with purpose and stars but no ``Function/Class Signatures``.
    """
    for comp in plan_file.parsed.components:
        if not comp.signatures:
            yield (
                comp.line,
                (
                    f"component {comp.name!r} specifies no function or class signature; "
                    "add '#### Function: `name`' with a typed **Signature:** block"
                ),
            )


def missing_citation(ctx, plan_file):
    """A component whose constellation context cites none of the three documents.

    Why: an uncited fact cannot be traced or re-checked when the documents change; it may be invented.

    Example: a component whose star bullets carry no ``(constellation-map.md § Star: ...)``.
    """
    for comp in plan_file.parsed.components:
        if not comp.cited_docs:
            where = comp.parts.get("context")
            yield (
                (where.line if where else comp.line),
                (
                    f"component {comp.name!r} cites none of constellation-map.md, gap-analysis.md, "
                    "implementation-sketches.md; "
                    "cite the sections it builds on (constellation-map.md § Star: <Name>)"
                ),
            )
