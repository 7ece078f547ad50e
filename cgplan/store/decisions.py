"""Saving a gap's decisions file (``construction/design/decisions/<gap>.yaml``)."""

from __future__ import annotations

from pathlib import Path

from cgplan.model.construction import Construction, Gap
from cgplan.plan.decisions import Decisions, decisions_path, dump_decisions
from cgplan.store.atomic import atomic_write, safe_target


def save_decisions(construction: Construction, gap: Gap, decisions: Decisions) -> Path:
    """Write the gap's decisions file atomically; returns its path."""
    path = decisions_path(construction, gap)
    safe_target(construction, path)
    atomic_write(path, dump_decisions(decisions), display=construction.display(path))
    return path
