"""Plans and gaps must match one to one, and generated plans must be current."""

from __future__ import annotations


def plan_without_gap(ctx, plan_file):
    """A plan whose gap (file-name slug, else title) is not in gap-analysis.md.

    Why: a plan for a gap that was renamed or removed keeps generating code nobody asked for.

    Example: ``code-generation-plan-old-cache.md`` after the gap was renamed ``Session Cache``.
    """
    if plan_file.gap is None:
        named = f" ({plan_file.parsed.gap!r})" if plan_file.parsed.gap else ""
        yield (
            plan_file.parsed.title_line,
            (
                f"plan matches no gap in gap-analysis.md{named}; "
                "rename it code-generation-plan-<gap-slug>.md or remove it (`cgplan gaps` lists the slugs)"
            ),
        )


def unplanned_gap(ctx):
    """A gap with no plan file.

    Why: a gap without a plan is work the team believes is planned but is not.

    Example: gap 3 of gap-analysis.md and no ``code-generation-plan-<its slug>.md`` in design/.
    """
    if not ctx.discovered:
        return
    for g in ctx.construction.gaps:
        if g.slug not in ctx.planned:
            yield (
                g.source.file,
                g.source.line,
                f"gap {g.name!r} has no plan; write construction/design/code-generation-plan-{g.slug}.md",
            )


def stale_plan(ctx, plan_file):
    """A generated plan (it carries the ``cgplan:meta`` line) whose cited input sections changed since.

    Why: a plan built from an older star or gap section wires code to contracts that no longer hold.

    Example: the Redis Cache star's Error Handling was edited after the plan citing it was written.
    """
    meta = plan_file.parsed.meta
    if meta is None or plan_file.gap is None:
        return
    current = dict(ctx.section_hashes())
    planner = ctx.plan_inputs(plan_file.gap)
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
        yield plan_file.parsed.title_line, f"inputs changed since this plan was generated: {shown}; regenerate it"
