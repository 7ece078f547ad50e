"""What the Markdown plan shows of each component: every fact that applies to it, in full.

Each component section stands on its own (a code generator writes one file from
it), so a star, a failure or a limit that two components share is stated under
both; only a type two components share is defined once, under the first, and
named by the second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cgplan.model.plan import Cited, ComponentPlan, Constraint, Plan, StarUse
from cgplan.render.text import md

_KIND_LABEL = {
    "rate": "Rates",
    "load": "Loads to carry",
    "pool": "Pools",
    "timeout": "Time limits",
    "lifetime": "Lifetimes and lags",
    "size": "Sizes",
    "status": "Status codes",
    "count": "Bounds",
}


@dataclass
class SigView:
    """Display lines of one signature's approach, error handling and patterns."""

    steps: list[str] = field(default_factory=list)
    """Implementation steps."""
    errors: list[str] = field(default_factory=list)
    """Error handling bullets."""
    patterns: list[str] = field(default_factory=list)
    """Naming / Auth / Errors bullets."""


@dataclass
class ComponentView:
    """Display lines of one component, in the template's order."""

    purpose: list[str] = field(default_factory=list)
    """Purpose paragraphs."""
    stars: list[str] = field(default_factory=list)
    """Star blocks (full, or a pointer to the component that shows the star in full)."""
    imports: list[str] = field(default_factory=list)
    """Key imports / dependencies bullets."""
    sigs: list[SigView] = field(default_factory=list)
    """One per signature, in order."""
    alignment: list[list[str]] = field(default_factory=list)
    """Alignment bullets, one list per data structure."""
    ds_refs: list[str] = field(default_factory=list)
    """Per data structure: ``Component N`` when that component already defines it, else empty."""
    gap_constraints: list[str] = field(default_factory=list)
    """From Gap Analysis bullets."""
    star_constraints: list[str] = field(default_factory=list)
    """From Constellation Stars bullets."""
    meanings: list[str] = field(default_factory=list)
    """These Constraints Mean bullets."""


def build_view(plan: Plan) -> list[ComponentView]:
    """One :class:`ComponentView` per component of ``plan``."""
    defined: dict[str, int] = {}  # a type's name and code -> the component that defines it first
    via = {su.name: [c.text for c in su.integration_point] for su in plan.connects}
    return [_component(plan, comp, defined, via) for comp in plan.components]


def _component(plan: Plan, comp: ComponentPlan, defined: dict[str, int], via: dict[str, list[str]]) -> ComponentView:
    v = ComponentView()
    for c in comp.purpose:
        if c.label == "Missing Capability" and plan.missing_capability and c.text == plan.missing_capability[0].text:
            v.purpose.append(f"The gap's Missing Capability, quoted in the Overview ({c.cite}).")
        else:
            v.purpose.append(cited(c))
    for su in comp.stars:
        v.stars.append(_star(su, via.get(su.name, [])))
    v.imports = [cited(c) for c in comp.imports]
    for sig in comp.signatures:
        v.sigs.append(_sig(plan, sig))
    for ds in comp.data_structures:
        first = defined.setdefault(f"{ds.name}\n{ds.code}", comp.number)
        v.ds_refs.append(f"Component {first}" if first != comp.number else "")
        v.alignment.append([_labelled(c) for c in ds.alignment])
    _constraints(comp, v)
    return v


def cited(c: Cited) -> str:
    """Quoted text with its citation."""
    return f"{md(c.text)} ({c.cite})"


def _labelled(c: Cited) -> str:
    return f"{c.label}: {cited(c)}" if c.label else cited(c)


def _star(star_use: StarUse, via: list[str]) -> str:
    head = f"- **{md(star_use.name)}** ({star_use.cite})"
    points = [
        c for c in star_use.integration_point if not (c.label == "Must Connect To" and c.text in via)
    ] or star_use.integration_point
    lines = [head]
    for label, items in (
        ("Uses", star_use.uses),
        ("Integration point", points),
        ("Pattern to follow", star_use.patterns),
    ):
        if not items:
            continue  # a field the documents leave empty is left out
        if len(items) == 1:
            lines.append(f"  - {label}: {cited(items[0])}")
        else:
            lines.append(f"  - {label}:")
            lines.extend(f"    - {cited(c)}" for c in items)
    return "\n".join(lines)


def _sig(plan: Plan, sig) -> SigView:
    v = SigView(steps=[md(s) for s in sig.steps])
    v.errors = [f"Gap: {cited(c)}" if c.cite == plan.gap_cite else cited(c) for c in sig.errors]
    by_label: dict[str, list[str]] = {}
    for c in sig.patterns:
        by_label.setdefault(c.label, []).append(cited(c))
    v.patterns = [f"{label}: {'; '.join(items)}" for label, items in by_label.items()]
    return v


def _constraints(comp: ComponentPlan, v: ComponentView) -> None:
    v.gap_constraints = [f"{md(con.text)} ({con.cite})" for con in comp.constraints_gap]
    # a limit already listed under Error Handling (``429 above 100 emails per minute``) is not listed twice
    shown_above = {c.text for sig in comp.signatures for c in sig.errors}
    v.star_constraints = [_constraint(con) for con in comp.constraints_star if con.text not in shown_above]
    for m in comp.meanings:
        who = ", ".join("the gap" if s == "gap" else s for s in m.sources)
        v.meanings.append(f"{_KIND_LABEL[m.kind]} ({md(', '.join(m.values))} — {md(who)}): {m.choice}")


def _constraint(con: Constraint) -> str:
    where = f"{con.cite}, {con.label}" if con.origin in ("star", "sketch") else con.cite
    return f"{md(con.star)}: {md(con.text)} ({where})" if con.star else f"{md(con.text)} ({where})"
