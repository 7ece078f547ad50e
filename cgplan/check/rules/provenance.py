"""Plans and gaps must match one to one, and generated plans must be current."""

from __future__ import annotations

from cgplan.check.registry import folder_rule, plan_rule


@plan_rule("plan-without-gap", "error", "a plan file whose gap is not in gap-analysis.md")
def plan_without_gap(ctx, pf):
    if pf.gap is None:
        named = f" ({pf.parsed.gap!r})" if pf.parsed.gap else ""
        yield pf.parsed.title_line, f"plan matches no gap in gap-analysis.md{named}; rename it code-generation-plan-<gap-slug>.md or remove it (`cgplan gaps` lists the slugs)"


@folder_rule("unplanned-gap", "warning", "a gap with no code-generation plan")
def unplanned_gap(ctx):
    if not ctx.discovered:
        return
    for g in ctx.c.gaps:
        if g.slug not in ctx.planned:
            yield g.source.file, g.source.line, f"gap {g.name!r} has no plan; write construction/design/code-generation-plan-{g.slug}.md"


@plan_rule("stale-plan", "warning", "a generated plan whose input sections changed since it was generated")
def stale_plan(ctx, pf):
    meta = pf.parsed.meta
    if meta is None or pf.gap is None:
        return
    current = dict(ctx.section_hashes())
    planner = ctx.plan_inputs(pf.gap)
    if planner is not None:
        current.update(planner)
    changed = []
    for cite, old in sorted(meta.inputs.items()):
        now = current.get(cite)
        if now is None:
            if planner is not None:
                changed.append(f"{cite} (gone)")
        elif now != old:
            changed.append(cite)
    if planner is not None:
        changed.extend(f"{cite} (new)" for cite in sorted(set(planner) - set(meta.inputs)))
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        yield pf.parsed.title_line, f"inputs changed since this plan was generated: {shown}; regenerate it"
