"""Write plans into ``construction/design/`` without ever destroying what a person wrote.

* Writes are atomic (temp file + rename) and never go through a symbolic link.
* A plan edited by hand since cgplan wrote it (or a file cgplan did not write)
  is kept: the new version goes beside it as ``...-<slug>.new.md``.
* ``force=True`` replaces it anyway and keeps the old text as ``...-<slug>.md.bak``.
* Writing a plan removes the ``.new.md`` an earlier run left beside it, which it supersedes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cgplan.errors import WriteError
from cgplan.model.construction import Construction, Gap
from cgplan.store.atomic import atomic_write, flush, safe_target

STATUSES = ("written", "unchanged", "kept-edited", "forced")


@dataclass
class WriteResult:
    """What happened to one gap's plan."""

    gap: str
    """Gap slug."""
    path: Path
    """The plan file."""
    status: str
    """``written``, ``unchanged``, ``kept-edited`` (new version beside it as ``.new.md``)
    or ``forced`` (old kept as ``.bak``)."""
    message: str
    """One line for people."""


def plan_path(construction: Construction, gap: Gap) -> Path:
    """``<construction>/design/code-generation-plan-<slug>.md``."""
    return construction.design_dir / f"code-generation-plan-{gap.slug}.md"


def new_path(path: Path) -> Path:
    """Where a new version goes when the plan was edited by hand."""
    return path.with_name(path.name[: -len(".md")] + ".new.md")


def bak_path(path: Path) -> Path:
    """Where ``--force`` keeps the replaced plan."""
    return path.with_name(path.name + ".bak")


def _read(construction: Construction, path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WriteError(
            f"cannot read the existing plan: {exc}",
            file=construction.display(path),
            hint="fix or move the file, then run again",
        ) from None


def _write_text(construction: Construction, gap: Gap, text: str, *, force: bool, written: list[Path]) -> WriteResult:
    """Write one rendered plan, protecting one edited by hand; the files written are added to ``written``
    (the caller flushes them to disk)."""
    from cgplan.render import meta

    path = plan_path(construction, gap)
    display = construction.display(path)
    safe_target(construction, path)
    old = _read(construction, path)

    def put(target: Path, body: str) -> None:
        atomic_write(target, body, display=construction.display(target), sync=False)
        written.append(target)
        if target == path:
            _drop_stale_new(construction, path)

    if old is None:
        put(path, text)
        return WriteResult(gap.slug, path, "written", f"written {display}")
    if old == text:
        return WriteResult(gap.slug, path, "unchanged", f"unchanged {display}")
    hand_made = meta.read(old) is None or meta.edited(old)
    if not hand_made:
        put(path, text)
        return WriteResult(gap.slug, path, "written", f"written {display}")
    if force:
        bak = bak_path(path)
        safe_target(construction, bak)
        put(bak, old)
        put(path, text)
        return WriteResult(
            gap.slug, path, "forced", f"forced {display} (your edited version is kept as {construction.display(bak)})"
        )
    new = new_path(path)
    safe_target(construction, new)
    put(new, text)
    return WriteResult(
        gap.slug,
        path,
        "kept-edited",
        (
            f"kept-edited {display} was edited by hand; the new plan is in {construction.display(new)} "
            "(merge it, or run with --force to replace and keep a .bak)"
        ),
    )


def _drop_stale_new(construction: Construction, path: Path) -> None:
    """Remove the ``.new.md`` an earlier run left beside ``path``: the plan just written supersedes it."""
    new = new_path(path)
    if new.is_file() and not new.is_symlink():
        try:
            new.unlink()
        except OSError as exc:
            raise WriteError(
                f"cannot remove the superseded new version: {exc.strerror}",
                file=construction.display(new),
                hint="delete it by hand",
            ) from None


def write_plans(construction: Construction, gaps: list[Gap], *, force: bool = False) -> list[WriteResult]:
    """Build, render and write the plan of each gap; one result per gap, in order.

    Each plan is renamed into place complete, so a killed run leaves every plan
    either as it was or complete and new; the files written are then flushed to
    disk (each file, then ``design/`` once), so they survive a power cut too.
    """
    from cgplan.load.stars import StarIndex
    from cgplan.plan.build import build_plan
    from cgplan.render.document import render_markdown

    seen: dict[Path, str] = {}
    for gap in gaps:
        path = plan_path(construction, gap)
        key = Path(str(path).lower())
        if key in seen and seen[key] != gap.slug:
            raise WriteError(
                f"gaps {seen[key]!r} and {gap.slug!r} would write the same file",
                file=construction.display(path),
                hint="rename one of the gaps",
            )
        seen[key] = gap.slug
    index = StarIndex(construction.stars)
    written: list[Path] = []
    results = []
    for gap in gaps:
        text = render_markdown(build_plan(construction, gap, index=index))
        results.append(_write_text(construction, gap, text, force=force, written=written))
    flush(written, display=construction.display)
    return results
