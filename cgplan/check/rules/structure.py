"""The seed's shape: required sections, signatures, and citations in each component."""

from __future__ import annotations

from cgplan.check.plan_doc import COMPONENT_PARTS, PLAN_PARTS
from cgplan.check.registry import plan_rule


@plan_rule("missing-section", "warning", "a section of the seed's format (Overview, Component, Test Strategy, ...) is absent")
def missing_section(ctx, pf):
    plan = pf.parsed
    missing = [title for key, title in PLAN_PARTS.items() if key not in plan.parts]
    if missing:
        yield plan.title_line, f"plan has no {', '.join(repr(m) for m in missing)} section; add {'it' if len(missing) == 1 else 'them'} as in the seed's format"
    if not plan.components:
        yield plan.title_line, "plan has no '## Component N: <Name>' section; describe each component of the sketch in one"
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
            yield comp.line, f"component {comp.name!r} has no {', '.join(repr(a) for a in absent)}; add {'it' if len(absent) == 1 else 'them'} under the component"


@plan_rule("missing-signature", "error", "a component specifies no function or class signature")
def missing_signature(ctx, pf):
    for comp in pf.parsed.components:
        if not comp.signatures:
            yield comp.line, f"component {comp.name!r} specifies no function or class signature; add '#### Function: `name`' with a typed **Signature:** block"


@plan_rule("missing-citation", "error", "a component's constellation context cites none of the three documents")
def missing_citation(ctx, pf):
    for comp in pf.parsed.components:
        if not comp.cited_docs:
            where = comp.parts.get("context")
            yield (where.line if where else comp.line), (
                f"component {comp.name!r} cites none of constellation-map.md, gap-analysis.md, implementation-sketches.md; "
                "cite the sections it builds on (constellation-map.md § Star: <Name>)"
            )
