"""The seed's shape: required sections, signatures, and citations in each component."""

from __future__ import annotations

import re

from cgplan.check.plan_doc import COMPONENT_PARTS, PLAN_PARTS, cited_star, docs_cited


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
    """A component that declares no function, method or class. A declaration is a ``Function:`` /
    ``Method:`` / ``Class:`` / ``Endpoint:`` heading, a line of code that declares a function or method
    (``def``, ``function``, ``func``, ``fn``, an arrow function, or a method line such as
    ``charge(req: ChargeRequest): Promise<Charge>;`` inside an interface, protocol or class body), or a
    typed signature in inline code (``claimSlot(nowMs: number): Promise<boolean>``), wherever it sits in
    the component (Data Structures included). A type whose body declares only fields does not count.

    Why: without a signature the generator chooses names and types itself, and the tests the plan
    names have nothing fixed to call.

    Example: ``## Component 2: Webhook Recorder`` with purpose and stars, no ``Function/Class Signatures``,
    and a Data Structures block holding ``interface WebhookEvent { id: string; receivedAt: Date; }``.
    """
    for comp in plan_file.parsed.components:
        if not comp.signatures:
            yield (
                comp.line,
                (
                    f"component {comp.name!r} declares no function, method or class (a type with fields only "
                    "does not count); add a '### Function/Class Signatures' section with "
                    "'#### Function: `name`' and its typed signature in a code block"
                ),
            )


def _cut_forms(text: str) -> list[str]:
    """A cited section and its shorter readings (``Redis Cache, Error Handling`` -> ``Redis Cache``)."""
    out = [text]
    for sep in (",", " - ", " \u2014 ", " \u2013 ", " / ", " > ", ":"):
        if sep in text:
            out.append(text.split(sep, 1)[0])
    return [o.strip(" \"'`*") for o in out if o.strip(" \"'`*")]


def _cited_stars(ctx, comp, wanted: set[str], memo: dict[str, str | None]) -> set[str]:
    """Stars of ``wanted`` whose constellation-map section the component cites (``memo``: section -> star)."""
    found: set[str] = set()
    for c in comp.citations:
        if c.doc != "constellation-map.md" or not c.section:
            continue
        if c.section not in memo:
            name = cited_star(c)
            forms = _cut_forms(name) if name else []
            forms += _cut_forms(re.sub(r"(?i)^star\s*[:\-\u2013\u2014]?\s*|\s+star\b.*$", "", c.section))
            memo[c.section] = next((r.star for r in map(ctx.index.resolve, forms) if r.star), None)
        star = memo[c.section]
        if star in wanted:
            found.add(star)
            if found >= wanted:
                break
    return found


def missing_citation(ctx, plan_file):
    """A component whose facts are not traced to the documents: a star it integrates with whose
    constellation-map section the component never cites, or an ``Implements:`` line that does not cite
    gap-analysis.md. A star counts as cited by ``constellation-map.md § Star: <Name>``,
    ``(constellation-map.md, section "<Name> Star")``, ``(source: constellation-map.md / <Name>)``, a link
    to ``constellation-map.md#star-<name>``, or any constellation-map citation on the star's own line
    (``(from constellation-map.md)``); a sketch reference alone is not enough. A component that names
    no star and no Implements line must still cite one of the three documents.

    Why: an uncited fact cannot be traced or re-checked when the documents change; it may be invented.

    Example: ``- **Redis Cache** — sorted sets for the queue`` with no ``(constellation-map.md § Star: Redis
    Cache)`` anywhere in the component, or ``**Implements:** Stripe API Rate Limiter`` with no gap-analysis
    citation.
    """
    memo: dict[str, str | None] = {}
    for comp in plan_file.parsed.components:
        stars = {m.line: ctx.index.resolve(m.text).star for m in comp.stars}
        cited = _cited_stars(ctx, comp, {s for s in stars.values() if s}, memo)
        on_line = {c.line for c in comp.citations if c.doc == "constellation-map.md"}
        reported = set()
        for m in comp.stars:
            star = stars[m.line]
            if star is None or star in cited or star in reported or m.line in on_line:
                continue
            if "constellation-map.md" in docs_cited(plan_file.parsed.lines_between(m.line, m.line)):
                continue  # the map named in words on the star's line
            reported.add(star)
            yield (
                m.line,
                (
                    f"component {comp.name!r} integrates with {star} but never cites its constellation-map "
                    f"section; add (constellation-map.md § Star: {star}) to its line"
                ),
            )
        imp = comp.implements
        if imp is not None:
            lines = comp.implements_lines or (imp.line, imp.line)
            docs = docs_cited([imp]) + [c.doc for c in comp.citations if lines[0] <= c.line <= lines[1]]
            if "gap-analysis.md" not in docs:
                yield (
                    imp.line,
                    (
                        f"component {comp.name!r}: its Implements line does not cite gap-analysis.md; "
                        f"write it as 'Implements: <gap name> (gap-analysis.md § Gap N: <gap name>)'"
                    ),
                )
        if not comp.stars and imp is None and not comp.cited_docs and not comp.citations:
            where = comp.parts.get("context")
            yield (
                (where.line if where else comp.line),
                (
                    f"component {comp.name!r} cites none of constellation-map.md, gap-analysis.md, "
                    "implementation-sketches.md; "
                    "cite the sections it builds on (constellation-map.md § Star: <Name>)"
                ),
            )
