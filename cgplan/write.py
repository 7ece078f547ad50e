"""Write plans into ``construction/design/`` without ever destroying what a person wrote.

* Writes are atomic (temp file + rename) and never go through a symbolic link.
* A plan edited by hand since cgplan wrote it (or a file cgplan did not write)
  is kept: the new version goes beside it as ``...-<slug>.new.md``.
* ``force=True`` replaces it anyway and keeps the old text as ``...-<slug>.md.bak``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_write, safe_target
from .errors import WriteError
from .models import Construction, Gap

STATUSES = ("written", "unchanged", "kept-edited", "forced")


@dataclass
class WriteResult:
    """What happened to one gap's plan."""

    gap: str
    """Gap slug."""
    path: Path
    """The plan file."""
    status: str
    """``written``, ``unchanged``, ``kept-edited`` (new version beside it as ``.new.md``) or ``forced`` (old kept as ``.bak``)."""
    message: str
    """One line for people."""


def plan_path(c: Construction, gap: Gap) -> Path:
    """``<construction>/design/code-generation-plan-<slug>.md``."""
    return c.design_dir / f"code-generation-plan-{gap.slug}.md"


def new_path(path: Path) -> Path:
    """Where a new version goes when the plan was edited by hand."""
    return path.with_name(path.name[: -len(".md")] + ".new.md")


def bak_path(path: Path) -> Path:
    """Where ``--force`` keeps the replaced plan."""
    return path.with_name(path.name + ".bak")


def _display(c: Construction, path: Path) -> str:
    try:
        return str(path.relative_to(c.root))
    except ValueError:
        return str(path)


def _read(c: Construction, path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WriteError(f"cannot read the existing plan: {exc}", file=_display(c, path), hint="fix or move the file, then run again") from None


def write_text(c: Construction, gap: Gap, text: str, *, force: bool = False) -> WriteResult:
    """Write one rendered plan, protecting an edited one."""
    from . import meta

    path = plan_path(c, gap)
    display = _display(c, path)
    safe_target(c, path)
    old = _read(c, path)
    if old is None:
        atomic_write(path, text, display=display)
        return WriteResult(gap.slug, path, "written", f"written {display}")
    if old == text:
        return WriteResult(gap.slug, path, "unchanged", f"unchanged {display}")
    hand_made = meta.read(old) is None or meta.edited(old)
    if not hand_made:
        atomic_write(path, text, display=display)
        return WriteResult(gap.slug, path, "written", f"written {display}")
    if force:
        bak = bak_path(path)
        safe_target(c, bak)
        atomic_write(bak, old, display=_display(c, bak))
        atomic_write(path, text, display=display)
        return WriteResult(gap.slug, path, "forced", f"forced {display} (your edited version is kept as {_display(c, bak)})")
    new = new_path(path)
    safe_target(c, new)
    atomic_write(new, text, display=_display(c, new))
    return WriteResult(
        gap.slug,
        path,
        "kept-edited",
        f"kept-edited {display} was edited by hand; the new plan is in {_display(c, new)} (merge it, or run with --force to replace and keep a .bak)",
    )


def write_plans(c: Construction, gaps: list[Gap], *, force: bool = False) -> list[WriteResult]:
    """Build, render and write the plan of each gap; one result per gap, in order."""
    from .plan import build_plan
    from .render import render_markdown

    seen: dict[Path, str] = {}
    for g in gaps:
        p = plan_path(c, g)
        key = Path(str(p).lower())
        if key in seen and seen[key] != g.slug:
            raise WriteError(f"gaps {seen[key]!r} and {g.slug!r} would write the same file", file=_display(c, p), hint="rename one of the gaps")
        seen[key] = g.slug
    results = []
    for g in gaps:
        text = render_markdown(build_plan(c, g))
        results.append(write_text(c, g, text, force=force))
    return results
