"""The browser test's own set-up: skip without Chromium, but fail when CI requires the browser."""

from __future__ import annotations

import pytest

from . import test_jupyterlab as lab


def test_missing_chromium_skips_by_default(monkeypatch, tmp_path):
    monkeypatch.setattr(lab, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CGPLAN_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception):
        lab._need_chromium()


def test_missing_chromium_fails_when_ci_requires_the_browser(monkeypatch, tmp_path):
    monkeypatch.setattr(lab, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CGPLAN_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="CGPLAN_REQUIRE_BROWSER=1"):
        lab._need_chromium()
