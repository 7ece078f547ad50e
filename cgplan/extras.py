"""The parts of cgplan that need an optional extra, and the one-line error when it is not installed.

``pip install cgplan`` brings the core: load, inspect, gaps, plan, status,
prompt, check and the coverage command, which read and write Markdown and need
neither pandas nor Jupyter. ``pip install 'cgplan[jupyter]'`` adds what
notebooks, ``cgplan batch``, the plan editor widgets and the DataFrames
(``cgplan.coverage(c)``) use. A feature used without its extra raises :class:`MissingExtra`
(exit 2) naming the extra to install, never an ``ImportError`` traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from cgplan.errors import UsageError

JUPYTER = "jupyter"
"""The extra that brings notebooks, batch runs, widgets and DataFrames."""

EXTRA_MODULES: dict[str, str] = {
    "pandas": JUPYTER,
    "nbformat": JUPYTER,
    "nbclient": JUPYTER,
    "papermill": JUPYTER,
    "ipykernel": JUPYTER,
    "ipywidgets": JUPYTER,
    "IPython": JUPYTER,
    "markdown_it": JUPYTER,
    "tqdm": JUPYTER,
    "psutil": JUPYTER,
}
"""Top-level module -> the extra of cgplan that installs it."""


class MissingExtra(UsageError):
    """A feature needs a package of an optional extra that is not installed."""

    def __init__(self, feature: str, module: str, extra: str = JUPYTER):
        self.feature = feature
        self.module = module
        self.extra = extra
        super().__init__(
            f"{feature} needs {module}, which is not installed",
            hint=f"install the {extra} extra: pip install 'cgplan[{extra}]'",
        )


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``, or raise :class:`MissingExtra` naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.split(".")[0]
        missing = (exc.name or top).split(".")[0]
        if missing not in EXTRA_MODULES and top not in EXTRA_MODULES:
            raise
        raise MissingExtra(
            feature, missing if missing in EXTRA_MODULES else top, EXTRA_MODULES.get(top, JUPYTER)
        ) from None


def require_all(modules, feature: str) -> None:
    """Raise :class:`MissingExtra` for the first of ``modules`` that is not installed, without importing any."""
    for module in modules:
        if importlib.util.find_spec(module) is None:
            raise MissingExtra(feature, module, EXTRA_MODULES.get(module.split(".")[0], JUPYTER))
