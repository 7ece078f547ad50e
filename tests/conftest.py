from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "data"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the bundled example folder (the folder that holds construction/)."""
    dest = tmp_path / "example"
    shutil.copytree(EXAMPLE, dest)
    return dest
