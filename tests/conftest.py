from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "data"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Every test (and every command a test starts) caches in a private folder, never in the user's home."""
    import os

    old = {k: os.environ.get(k) for k in ("CGPLAN_CACHE_DIR", "CGPLAN_CACHE")}
    os.environ["CGPLAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cgplan-cache"))
    os.environ.pop("CGPLAN_CACHE", None)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


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


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    d = tmp_path / "cache"
    monkeypatch.setenv("CGPLAN_CACHE_DIR", str(d))
    monkeypatch.delenv("CGPLAN_CACHE", raising=False)
    return d
