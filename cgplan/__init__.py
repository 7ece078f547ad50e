"""cgplan: grounded, checkable code-generation plans from a Constellize construction folder.

The library is the product; the ``cgplan`` command is a thin layer over it::

    import cgplan
    c = cgplan.load("data")              # parse + resolve the construction folder
    for gap in c.gaps:
        print(gap.slug, gap.priority, len(gap.success_criteria))
"""

from __future__ import annotations

from cgplan.errors import (
    CgplanError,
    ConfigError,
    EditedPlan,
    FolderNotFound,
    InputError,
    RunError,
    UnknownGap,
    UsageError,
    WriteError,
)
from cgplan.load.folder import find_construction, load
from cgplan.model.construction import Construction, Gap, NonGap, Problem, Sketch, Star
from cgplan.version import __version__

__all__ = [
    "CgplanError",
    "ConfigError",
    "Construction",
    "EditedPlan",
    "FolderNotFound",
    "Gap",
    "InputError",
    "NonGap",
    "Problem",
    "RunError",
    "Sketch",
    "Star",
    "UnknownGap",
    "UsageError",
    "WriteError",
    "__version__",
    "coverage",
    "find_construction",
    "load",
    "trace",
]


def __getattr__(name: str):
    # heavy helpers load on first use, so `import cgplan` stays free of pandas
    if name == "coverage":
        from cgplan.reports.coverage import coverage

        return coverage
    if name == "trace":
        from cgplan.reports.trace import trace

        return trace
    raise AttributeError(f"module 'cgplan' has no attribute {name!r}")
