"""Is each gap's plan missing, up to date, stale (an input it cites changed) or edited by hand?"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cgplan.model.construction import Construction


@dataclass
class StatusRow:
    """The state of one gap's plan."""

    gap: str
    """Gap slug."""
    path: Path
    """Where its plan is (or would be)."""
    state: str
    """``missing``, ``up-to-date``, ``stale`` or ``edited``."""
    changed: list[str] = field(default_factory=list)
    """For a stale plan: why: the cited input sections that changed (or appeared, or went away), or the
    older cgplan that wrote it."""


def plan_status(construction: Construction) -> list[StatusRow]:
    """One row per gap, in document order."""
    from cgplan.load.stars import StarIndex
    from cgplan.plan.inputs import plan_inputs
    from cgplan.render import meta
    from cgplan.store.plans import plan_path
    from cgplan.version import __version__

    index = StarIndex(construction.stars)
    rows = []
    for g in construction.gaps:
        path = plan_path(construction, g)
        if not path.is_file():
            rows.append(StatusRow(g.slug, path, "missing"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            rows.append(StatusRow(g.slug, path, "edited"))
            continue
        m = meta.read(text)
        if m is None or meta.edited(text):
            rows.append(StatusRow(g.slug, path, "edited"))
            continue
        now = plan_inputs(construction, g, index=index)
        changed = sorted(k for k in set(now) | set(m.inputs) if now.get(k) != m.inputs.get(k))
        if m.version != __version__:
            changed.insert(0, f"written by cgplan {m.version}; this is {__version__}, which plans differently")
        rows.append(StatusRow(g.slug, path, "stale" if changed else "up-to-date", changed))
    return rows


def status_table(construction: Construction, rows: list[StatusRow]) -> str:
    """The rows as aligned text, one line per gap (plus one indented line per changed section)."""
    width = max((len(r.gap) for r in rows), default=3)
    lines = []
    for r in rows:
        lines.append(f"{r.gap:<{width}}  {r.state:<10}  {construction.display(r.path)}")
        for ch in r.changed:
            lines.append(f"{'':<{width}}    {'' if ch.startswith('written by') else 'changed: '}{ch}")
    return "\n".join(lines)
