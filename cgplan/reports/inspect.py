"""The ``cgplan inspect`` view of a folder: one JSON-ready dict, and its readable form.

The JSON schema is documented in README.md ("inspect --json"); strings are plain
text with Markdown markup, list markers and emoji decoration removed.
"""

from __future__ import annotations

from cgplan.model.construction import Construction, StarRef, Text


def _texts(items: list[Text]) -> list[str]:
    return [t.text for t in items]


def _ref(ref: StarRef) -> dict:
    return {"text": ref.text, "star": ref.star, "via": ref.via, "line": ref.source.line, "candidates": ref.candidates}


def summary(construction: Construction) -> dict:
    """Everything ``cgplan inspect --json`` prints."""
    stars = []
    for s in construction.stars:
        stars.append(
            {
                "name": s.name,
                "type": s.type,
                "status": s.status,
                "aliases": s.aliases,
                "assumptions": _texts(s.assumptions),
                "scaling": _texts(s.scaling),
                "contracts": {
                    "api": _texts(s.contracts.api),
                    "schema": _texts(s.contracts.schema),
                    "dependencies": _texts(s.contracts.dependencies),
                    "other": _texts(s.contracts.other),
                    "code": [{"info": b.info, "code": b.code} for b in s.contracts.code],
                },
                "auth": _texts(s.auth),
                "error_handling": _texts(s.errors),
                "conflicts": _texts(s.conflicts),
                "extra": s.extra,
                "file": s.source.file,
                "line": s.source.line,
            }
        )
    integrations = [
        {
            "between": list(i.between),
            "stars": list(i.stars),
            "connection_type": i.connection_type,
            "data_flow": i.data_flow,
            "failure_mode": i.failure_mode,
            "dependencies": i.dependencies,
            "file": i.source.file,
            "line": i.source.line,
        }
        for i in construction.constellation.integrations
    ]
    gaps = []
    for g in construction.gaps:
        sk = construction.sketch_for(g)
        gaps.append(
            {
                "number": g.number,
                "name": g.name,
                "slug": g.slug,
                "status": g.status,
                "priority": g.priority,
                "priority_note": g.priority_note,
                "missing_capability": g.missing_capability,
                "why": g.why,
                "constraints": _texts(g.constraints),
                "connects_to": [r.star for r in g.connects_to if r.star],
                "references": [_ref(r) for r in g.connects_to],
                "integration_points": {
                    "input": _texts(g.integration_points.input),
                    "output": _texts(g.integration_points.output),
                    "error_handling": _texts(g.integration_points.errors),
                    "other": _texts(g.integration_points.other),
                },
                "success_criteria": [{"id": sc.id, "text": sc.text, "line": sc.line} for sc in g.success_criteria],
                "stakeholder_need": g.stakeholder_need,
                "sketch": sk.title if sk else None,
                "file": g.source.file,
                "line": g.source.line,
            }
        )
    non_gaps = [
        {
            "name": ng.name,
            "covered_by": ng.covered_by.star if ng.covered_by else None,
            "covered_by_text": ng.covered_by.text if ng.covered_by else "",
            "why": ng.why,
            "file": ng.source.file,
            "line": ng.source.line,
        }
        for ng in construction.non_gaps
    ]
    sketches = []
    gap_names = {g.slug: g.name for g in construction.gaps}
    for sk in construction.sketches:
        sketches.append(
            {
                "title": sk.title,
                "gap": gap_names.get(sk.gap) if sk.gap else None,
                "gap_slug": sk.gap,
                "gap_reference": sk.gap_reference,
                "priority": sk.priority,
                "complexity": sk.complexity,
                "components": [cp.name for cp in sk.components],
                "component_details": [
                    {"name": cp.name, "description": cp.description, "line": cp.line} for cp in sk.components
                ],
                "stars": [st.ref.star for st in sk.stars if st.ref.star],
                "star_details": [
                    {
                        **_ref(st.ref),
                        "connection": st.connection,
                        "reuse": st.reuse,
                        "integration_point": st.integration_point,
                    }
                    for st in sk.stars
                ],
                "seams": sk.seams,
                "core_decision": sk.core_decision,
                "data_flow": sk.data_flow,
                "reuse": _texts(sk.reuse),
                "generate": _texts(sk.generate),
                "constraints": {
                    "gap_analysis": _texts(sk.constraints_gap),
                    "constellation": _texts(sk.constraints_constellation),
                },
                "tradeoffs": {"pros": _texts(sk.pros), "cons": _texts(sk.cons)},
                "alternatives": [{"name": a.name, "why_rejected": a.why_rejected} for a in sk.alternatives],
                "file": sk.source.file,
                "line": sk.source.line,
            }
        )
    return {
        "system": construction.system,
        "stars": stars,
        "integrations": integrations,
        "gaps": gaps,
        "non_gaps": non_gaps,
        "sketches": sketches,
        "problems": [p.to_dict() for p in construction.problems],
    }


def text_summary(construction: Construction) -> str:
    """The readable ``cgplan inspect`` output."""
    out = [f"System: {construction.system}", "", f"Stars ({len(construction.stars)}):"]
    for s in construction.stars:
        extra = f" — {s.type}" if s.type else ""
        out.append(f"  {s.name}{extra}" + (f" [{s.status}]" if s.status else ""))
    out += ["", f"Gaps ({len(construction.gaps)}):"]
    for g in construction.gaps:
        sk = construction.sketch_for(g)
        out.append(
            f"  {g.number:>2}. {g.name} ({g.slug}) — {g.priority or 'no priority'}, "
            f"{len(g.success_criteria)} criteria, {len(g.constraints)} constraints, sketch: {'yes' if sk else 'NO'}"
        )
    if construction.non_gaps:
        out += ["", f"Non-gaps ({len(construction.non_gaps)}):"]
        for ng in construction.non_gaps:
            out.append(f"  {ng.name} -> {ng.covered_by.star or ng.covered_by.text if ng.covered_by else '?'}")
    out += ["", f"Sketches ({len(construction.sketches)}):"]
    for sk in construction.sketches:
        out.append(f"  {sk.title}: {len(sk.components)} components, {len(sk.stars)} stars")
    errors = sum(1 for p in construction.problems if p.severity == "error")
    warnings = len(construction.problems) - errors
    out += ["", f"Problems: {errors} error(s), {warnings} warning(s)"]
    for p in construction.problems:
        out.append(f"  {p.file}:{p.line}: {p.severity}: [{p.kind}] {p.message}")
    return "\n".join(out)
