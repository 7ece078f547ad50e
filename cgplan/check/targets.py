"""``cgplan check FILE...``: check only the plans named, as a pre-commit hook passes them.

Each FILE must lie in the construction folder being checked (``--dir``) and be
either

- one of its plans (``construction/design/code-generation-plan-<slug>.md``):
  that plan is checked; or
- one of the documents every plan is checked against (``constellation-map.md``,
  ``gap-analysis.md``, ``scope-lock.md``, ``implementation-sketches.md``, a
  decisions file ``design/decisions/<slug>.yaml``): a change there can break any
  plan, so every plan of the folder is checked, as ``cgplan check`` alone does.

Anything else (a file that does not exist, one outside the folder, a Markdown
file that is not a plan, the ``.new.md`` proposal cgplan leaves beside an edited
plan) stops the run with one line naming the file: a hook that passes such a
file is configured wrong, and silently checking nothing would hide that.
Folder-wide problems (a gap without a sketch, a duplicate star) are reported
whatever files are named, since they come from the documents themselves.
A FILE is read relative to the current folder, else relative to the folder
that holds ``construction/``.
"""

from __future__ import annotations

from pathlib import Path

from cgplan.check import CheckResult, run
from cgplan.check.config import Config
from cgplan.check.context import PLAN_GLOB
from cgplan.errors import UsageError
from cgplan.model.construction import Construction

DOCUMENTS = (
    ("requirements", "constellation-map.md"),
    ("requirements", "gap-analysis.md"),
    ("requirements", "scope-lock.md"),
    ("design", "implementation-sketches.md"),
)
"""Documents of ``construction/`` that every plan is checked against (sub-folder, file name)."""


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def plan_targets(construction: Construction, files, *, cwd: Path | None = None) -> list[Path] | None:
    """The plans to check for ``files``: a list of plan paths, or ``None`` for every plan of the folder.

    Raises :class:`~cgplan.errors.UsageError` (exit 2) for a file that is neither
    a plan nor a document of this construction folder.
    """
    base = Path(cwd) if cwd is not None else Path.cwd()
    root = construction.root.resolve()
    construction_dir = construction.dir.resolve()
    design = construction.design_dir.resolve()
    documents = {(construction_dir / sub / name) for sub, name in DOCUMENTS}
    plans: set[Path] = set()
    every_plan = False
    for given in files:
        candidates = [base / given, construction.root / given]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            raise UsageError(
                "no such file", file=str(given), hint="name existing plan files, or run `cgplan check` without FILE"
            )
        resolved = path.resolve()
        if not _inside(resolved, root):
            raise UsageError(
                f"not in the construction folder {construction.root}",
                file=str(given),
                hint="pass --dir the folder that holds the construction/ this file belongs to",
            )
        if resolved in documents or (resolved.parent == design / "decisions" and resolved.suffix in (".yaml", ".yml")):
            every_plan = True
        elif resolved.parent == design and resolved.match(PLAN_GLOB) and not resolved.name.endswith(".new.md"):
            plans.add(construction.design_dir / resolved.name)  # shown as `cgplan check` alone shows it
        else:
            raise UsageError(
                "not a plan or document of the construction folder",
                file=str(given),
                hint="name plans construction/design/code-generation-plan-<slug>.md or the folder's documents",
            )
    if every_plan or not files:
        return None
    return sorted(plans)


def check_files(
    construction: Construction, files=(), *, select=None, ignore=None, config: Config | bool | None = True
) -> CheckResult:
    """Check the plans ``files`` name (see the module documentation), or every plan when ``files`` is empty."""
    return run(construction, select=select, ignore=ignore, plans=plan_targets(construction, files), config=config)
