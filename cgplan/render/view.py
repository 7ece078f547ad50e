"""What the Markdown plan shows: each document fact in full once, brief references to it everywhere else.

The :class:`~cgplan.plan_model.Plan` keeps every fact wherever it applies (the
JSON rendering shows that); this view walks the components in order and keeps
a ledger of where each quoted text, star and gap constraint list was first
shown, so later mentions become a short pointer with the citation.
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


class Ledger:
    """Where each fact was first shown: ``(component number, section)``."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], tuple[int, str]] = {}
        self.number = 0

    def where(self, kind: str, key: str) -> tuple[int, str] | None:
        return self.seen.get((kind, key))

    def note(self, kind: str, key: str, section: str) -> None:
        self.seen.setdefault((kind, key), (self.number, section))

    def place(self, hit: tuple[int, str]) -> str:
        """``Error Handling above`` in the same component, ``Component 2, Error Handling`` elsewhere."""
        n, section = hit
        return f"{section} above" if n == self.number else f"Component {n}, {section}"


def build_view(plan: Plan) -> list[ComponentView]:
    """One :class:`ComponentView` per component of ``plan``."""
    led = Ledger()
    via = {su.name: [c.text for c in su.integration_point] for su in plan.connects}
    return [_component(plan, comp, led, via) for comp in plan.components]


def _component(plan: Plan, comp: ComponentPlan, led: Ledger, via: dict[str, list[str]]) -> ComponentView:
    led.number = comp.number
    v = ComponentView()
    for c in comp.purpose:
        if c.label == "Missing Capability" and plan.missing_capability and c.text == plan.missing_capability[0].text:
            v.purpose.append(f"The gap's Missing Capability, quoted in the Overview ({c.cite}).")
        else:
            v.purpose.append(cited(c))
    for su in comp.stars:
        v.stars.append(_star(su, led, via.get(su.name, [])))
    for c in comp.imports:
        hit = led.where("text", c.text)
        if hit:
            v.imports.append(f"{_star_of(c, plan)}: as under {led.place(hit)} ({c.cite})")
        else:
            v.imports.append(cited(c))
            led.note("text", c.text, "Key Imports/Dependencies")
    for sig in comp.signatures:
        v.sigs.append(_sig(plan, sig, led))
    for ds in comp.data_structures:
        hit = led.where("type", f"{ds.name}\n{ds.code}")
        v.ds_refs.append(f"Component {hit[0]}" if hit else "")
        led.note("type", f"{ds.name}\n{ds.code}", "Data Structures")
        lines = []
        refs: dict[tuple[str, str], list[Cited]] = {}
        for c in ds.alignment:
            hit = led.where("text", c.text)
            if hit:
                refs.setdefault((c.label or "Text", led.place(hit)), []).append(c)
                continue
            lines.append(_labelled(c))
            led.note("text", c.text, "Data Structures")
        for (label, place), cs in refs.items():
            names = ", ".join(dict.fromkeys(_star_of(c, plan) for c in cs))
            lines.append(f"{label} of {names}: see {place} ({'; '.join(dict.fromkeys(c.cite for c in cs))})")
        v.alignment.append(lines)
    _constraints(plan, comp, led, v)
    return v


def cited(c: Cited) -> str:
    """Quoted text with its citation."""
    return f"{md(c.text)} ({c.cite})"


def _star_of(c: Cited, plan: Plan) -> str:
    prefix = "constellation-map.md § Star: "
    if c.cite.startswith(prefix):
        return md(c.cite[len(prefix) :])
    return "the gap" if c.cite == plan.gap_cite else "the sketch"


def _labelled(c: Cited) -> str:
    return f"{c.label}: {cited(c)}" if c.label else cited(c)


def _star(star_use: StarUse, led: Ledger, via: list[str]) -> str:
    head = f"- **{md(star_use.name)}** ({star_use.cite})"
    hit = led.where("star", star_use.name)
    if hit:
        return f"{head} — uses, integration point and patterns as in Component {hit[0]}"
    led.note("star", star_use.name, "Stars This Integrates With")
    points = [
        c for c in star_use.integration_point if not (c.label == "Must Connect To" and c.text in via)
    ] or star_use.integration_point
    lines = [head]
    for label, items in (
        ("Uses", star_use.uses),
        ("Integration point", points),
        ("Pattern to follow", star_use.patterns),
    ):
        for c in items:
            led.note("text", c.text, "Stars This Integrates With")
        if not items:
            continue  # a field the documents leave empty is left out
        if len(items) == 1:
            lines.append(f"  - {label}: {cited(items[0])}")
        else:
            lines.append(f"  - {label}:")
            lines.extend(f"    - {cited(c)}" for c in items)
    return "\n".join(lines)


def _sig(plan: Plan, sig, led: Ledger) -> SigView:
    v = SigView(steps=[md(s) for s in sig.steps])
    refs: dict[str, tuple[str, str]] = {}
    for c in sig.errors:
        who = "The gap's error handling" if c.cite == plan.gap_cite else f"{_star_of(c, plan)}'s failure modes"
        hit = led.where("text", c.text)
        if hit:
            refs.setdefault(c.cite, (who, led.place(hit)))
            continue
        led.note("text", c.text, "Error Handling")
        v.errors.append(f"Gap: {cited(c)}" if c.cite == plan.gap_cite else cited(c))
    v.errors.extend(f"{who}: as under {where} ({cite})" for cite, (who, where) in refs.items())
    by_label: dict[str, list[str]] = {}
    for c in sig.patterns:
        by_label.setdefault(c.label, []).append(cited(c))
    v.patterns = [f"{label}: {'; '.join(items)}" for label, items in by_label.items()]
    return v


def _constraints(plan: Plan, comp: ComponentPlan, led: Ledger, v: ComponentView) -> None:
    v.gap_constraints = [f"{md(con.text)} ({con.cite})" for con in comp.constraints_gap]
    shown: dict[str, list[str]] = {}
    fresh: list[Constraint] = []
    for con in comp.constraints_star:
        hit = led.where("text", con.text)
        if hit:
            places = shown.setdefault(con.star, [])
            if led.place(hit) not in places:
                places.append(led.place(hit))
            continue
        led.note("text", con.text, "Constraints")
        fresh.append(con)
        v.star_constraints.append(_constraint(con))
    from cgplan.plan.wording import meanings

    for m in meanings([*comp.constraints_gap, *comp.constraints_star]):
        who = ", ".join("the gap" if s == "gap" else s for s in m.sources)
        v.meanings.append(f"{_KIND_LABEL[m.kind]} ({md(', '.join(m.values))} — {md(who)}): {m.choice}")


def _constraint(con: Constraint) -> str:
    where = f"{con.cite}, {con.label}" if con.origin in ("star", "sketch") else con.cite
    return f"{md(con.star)}: {md(con.text)} ({where})" if con.star else f"{md(con.text)} ({where})"
