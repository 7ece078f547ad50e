"""``cgplan init``: write a small, valid, commented starter ``construction/`` folder.

The starter documents ship with cgplan (``cgplan/store/starter/``): two stars, one
gap with constraints and measurable success criteria, and one sketch with its
components and data flow. ``cgplan plan --all`` turns them into a plan that
``cgplan check`` finds nothing wrong with. Existing documents are never
overwritten: if any of them is already there, nothing is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cgplan.errors import WriteError
from cgplan.store.atomic import atomic_write

STARTER = Path(__file__).resolve().parent / "starter" / "construction"
"""The packaged starter folder."""

DOCUMENTS = (
    "requirements/constellation-map.md",
    "requirements/gap-analysis.md",
    "design/implementation-sketches.md",
)
"""The starter's documents, relative to ``construction/``."""


@dataclass
class InitResult:
    """What ``init`` wrote."""

    root: Path
    """The folder that holds ``construction/`` (what ``--dir`` takes)."""
    written: list[Path] = field(default_factory=list)
    """The documents written, in order."""


def construction_dir(path: str | os.PathLike) -> Path:
    """``DIR/construction``, or ``DIR`` itself when it is named ``construction``."""
    p = Path(path)
    return p if p.name == "construction" else p / "construction"


def init_folder(path: str | os.PathLike = ".") -> InitResult:
    """Write the starter documents into ``construction_dir(path)``; refuse if any of them exists."""
    target = construction_dir(path)
    existing = [rel for rel in DOCUMENTS if os.path.lexists(target / rel)]
    if existing:
        shown = _display(target / existing[0])
        more = f" (and {len(existing) - 1} more of the starter's documents)" if len(existing) > 1 else ""
        raise WriteError(
            f"already exists{more}; nothing was written: cgplan init never overwrites a document",
            file=shown,
            hint="choose another folder, e.g. `cgplan init my-project`",
        )
    for parent in {(target / rel).parent for rel in DOCUMENTS}:
        probe = parent
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not probe.is_dir():
            raise WriteError("is not a folder; nothing was written", file=_display(probe), hint="choose another folder")
    result = InitResult(root=target.parent)
    for rel in DOCUMENTS:
        out = target / rel
        atomic_write(out, (STARTER / rel).read_text(encoding="utf-8"), display=_display(out))
        result.written.append(out)
    return result


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
