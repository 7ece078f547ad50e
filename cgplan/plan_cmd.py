"""What the ``plan``, ``status`` and ``prompt`` commands do, as library calls returning ``(text, exit code)``."""

from __future__ import annotations

from .errors import UsageError


def _gaps(c, keys: list[str], all_gaps: bool):
    from .plan import find_gap

    if all_gaps and keys:
        raise UsageError("give gap names or --all, not both", hint="run `cgplan plan --all` or `cgplan plan GAP...`")
    if not all_gaps and not keys:
        raise UsageError("no gap given", hint="name one or more gaps (slug, number or name), or pass --all")
    if all_gaps:
        return list(c.gaps)
    out = []
    for k in keys:
        g = find_gap(c, k)
        if g not in out:
            out.append(g)
    return out


def run_plan(path: str, keys: list[str], *, all_gaps: bool = False, stdout: bool = False, fmt: str = "md", force: bool = False) -> tuple[str, int]:
    """Write (or print) the plans; exit 1 when an edited plan was kept."""
    from .folder import load

    c = load(path)
    gaps = _gaps(c, keys, all_gaps)
    if stdout or fmt == "json":
        from .plan import build_plan
        from .render import render_json, render_markdown

        plans = [build_plan(c, g) for g in gaps]
        if fmt == "json":
            if len(plans) == 1:
                return render_json(plans[0]).rstrip("\n"), 0
            return "[\n" + ",\n".join(render_json(p).rstrip("\n") for p in plans) + "\n]", 0
        return "\n".join(render_markdown(p) for p in plans).rstrip("\n"), 0
    from .write import write_plans

    results = write_plans(c, gaps, force=force)
    return "\n".join(r.message for r in results), 1 if any(r.status == "kept-edited" for r in results) else 0


def run_status(path: str) -> tuple[str, int]:
    """The status table; exit 0 (it reports, it does not judge)."""
    from .folder import load
    from .status import plan_status, status_table

    c = load(path)
    return status_table(c, plan_status(c)), 0


def run_prompt(path: str, key: str) -> tuple[str, int]:
    """The filled prompt with the gap's grounded context."""
    from .folder import load
    from .plan import find_gap
    from .prompt import build_prompt

    c = load(path)
    return build_prompt(c, find_gap(c, key)).rstrip("\n"), 0
