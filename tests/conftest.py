from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "data"

# source files under fixtures/ are data for the tests (trace reads them), not tests to run
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the bundled example folder (the folder that holds construction/).

    The plans committed in data/ (written by ``make example``) and anything a
    local run may have left there (decisions, executed notebooks) are left out,
    so every test starts from the input documents alone.
    """
    dest = tmp_path / "example"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("code-generation-plan-*", "decisions", "notebooks"))
    return dest
