"""Remembered findings: a plan whose text, folder and rule selection are unchanged is not parsed again.

One cache entry (:mod:`cgplan.cache`) per ``(folder documents, decisions files,
active rules and severities, whether the plans are all the folder's, cgplan)``
maps each plan's ``(shown path, text)`` hash to the gap slug it belongs to and
its findings. The per-plan findings depend on nothing else: the plan rules see
the plan, the folder (its documents), the gap's decisions file and the rule
selection. A folder not loaded by :func:`cgplan.folder.load` is never cached.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..models import Construction
from .registry import Finding

Entry = tuple  # (slug or None, tuple of (rule, severity, message, file, line))


def plan_key(display: str, text: str) -> str:
    """Hash of a plan's shown path and text."""
    h = hashlib.sha256(display.encode("utf-8", "surrogatepass") + b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _decisions(c: Construction) -> str:
    """Hash of every file in ``design/decisions/`` (names and bytes)."""
    h = hashlib.sha256()
    d = c.design_dir / "decisions"
    try:
        files = sorted(p for p in d.iterdir()) if d.is_dir() else []
    except OSError:
        return "unreadable"
    for p in files:
        try:
            data = p.read_bytes() if p.is_file() else b"<not a file>"
        except OSError:
            data = b"<unreadable>"
        h.update(f"{p.name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        h.update(data)
    return h.hexdigest()


class Memo:
    """The remembered findings of one kind of run; a no-op when the folder cannot be keyed."""

    def __init__(self, c: Construction, active: dict[str, str], discovered: bool):
        from .. import cache
        from ..folder import content_key

        self.c = c
        base = content_key(c)
        self.key = None
        self.old: dict[str, Entry] = {}
        self.new: dict[str, Entry] = {}
        if base is None:
            return
        self.key = cache.key("check", base, _decisions(c), json.dumps(sorted(active.items())), "all" if discovered else "some")
        self.old = cache.get("check", self.key, dict, avoid=c.dir) or {}

    def get(self, key: str) -> tuple[str | None, list[Finding]] | None:
        """The slug and findings remembered for a plan, or ``None``."""
        hit = self.old.get(key)
        if not (isinstance(hit, tuple) and len(hit) == 2):
            return None
        self.new[key] = hit
        return hit[0], [Finding(*f) for f in hit[1]]

    def add(self, key: str, slug: str | None, findings: list[Finding]) -> None:
        """Remember a plan's slug and findings."""
        if self.key is not None:
            self.new[key] = (slug, tuple((f.rule, f.severity, f.message, f.file, f.line) for f in findings))

    def save(self) -> None:
        """Store what this run found (only the plans it saw), if anything changed."""
        from .. import cache

        if self.key is not None and self.new != self.old:
            cache.put("check", self.key, self.new, avoid=self.c.dir)


def read_plan_text(c: Construction, path: Path) -> tuple[str, str]:
    """``(shown path, text)`` of a plan (an unreadable one raises :class:`~cgplan.errors.InputError`)."""
    from ..folder import display_path
    from ..mdtree import read_text

    display = display_path(c.root, path)
    return display, read_text(path, display)
