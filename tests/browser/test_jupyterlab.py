"""JupyterLab in a real browser: open plan_gap.ipynb, run it, pick a star, see the preview change, save.

Runs JupyterLab on 127.0.0.1 over a private copy of the bundled example and
drives Debian's Chromium (``/usr/bin/chromium``) with Playwright; no browser is
downloaded. Without Chromium the test is skipped, unless
``CGPLAN_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes it fail.
A screenshot is kept in ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GAP = "stripe-api-rate-limiter"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _need_chromium() -> None:
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    message = f"{CHROMIUM} not found (apt-get install chromium, or run scripts/ensure-browser.sh)"
    if os.environ.get("CGPLAN_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; CGPLAN_REQUIRE_BROWSER=1 requires the browser test to run")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(root: Path, tmp_path: Path):
    """A JupyterLab server on 127.0.0.1 over ``root`` (private settings under ``tmp_path``); yields (url, token)."""
    _need_chromium()
    # no news or update pop-ups over the screenshot
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8"
    )
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
    }
    log = open(tmp_path / "lab.log", "wb")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
            "--allow-root", "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            f"--LabApp.user_settings_dir={tmp_path / 'lab-settings'}",
            f"--LabApp.workspaces_dir={tmp_path / 'lab-workspaces'}",
            "--expose-app-in-browser",
        ],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail("JupyterLab exited: " + (tmp_path / "lab.log").read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    "JupyterLab did not answer within 90 s: "
                    + (tmp_path / "lab.log").read_text(errors="replace")[-2000:]
                )
            time.sleep(0.3)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def lab(tmp_path: Path):
    """A JupyterLab server over a copy of data/ and notebooks/; yields (base url, token, root)."""
    _need_chromium()
    root = tmp_path / "lab"
    shutil.copytree(ROOT / "data", root / "data")
    (root / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "plan_gap.ipynb", root / "notebooks" / "plan_gap.ipynb")
    with running_lab(root, tmp_path) as (base, token):
        yield base, token, root


def test_pick_star_in_jupyterlab_updates_preview_and_saves_decisions(lab, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, token, root = lab
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "jupyterlab-plan-editor.png"
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROME_ARGS,
            viewport={"width": 1500, "height": 1000},
        )
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.set_default_timeout(120_000)
        try:
            page.goto(f"{base}/lab/tree/notebooks/plan_gap.ipynb?token={token}")
            page.wait_for_function(
                "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                " && window.jupyterapp.shell.currentWidget.sessionContext"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
            )
            page.wait_for_function(
                "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'"
            )
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")

            editor = page.locator(".cgplan-editor")
            preview = editor.locator(".cgplan-preview")
            expect(preview).to_contain_text("Code Generation Plan", timeout=120_000)
            picker = editor.locator(".cgplan-star-picker select").first
            before_selected = picker.evaluate("s => Array.from(s.selectedOptions).map(o => o.textContent)")
            labels = picker.evaluate("s => Array.from(s.options).map(o => o.textContent)")
            assert before_selected, "the first component should start with its sketch's stars selected"
            unselected = [label for label in labels if label not in before_selected]
            assert unselected, "every catalog star is already selected"
            choice = unselected[-1]
            star = choice.replace("\xa0", " ").split(" — ")[0]  # option labels use no-break spaces
            before = preview.inner_text()

            picker.select_option(label=choice)
            expect(preview).not_to_have_text(before, timeout=30_000)
            after = preview.inner_text()
            assert star in after.split("Component 2")[0], (
                "the picked star should appear in the first component's section"
            )
            expect(editor.locator(".cgplan-status")).to_contain_text("unsaved changes")

            editor.locator(".cgplan-save button, button.cgplan-save").first.click()
            expect(editor.locator(".cgplan-status")).to_contain_text("saved to", timeout=30_000)
            page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
            editor.evaluate("el => el.scrollIntoView({block: 'start'})")
            # show the first component's section of the preview, where the picked star now appears
            preview.evaluate(
                "el => { const h = Array.from(el.querySelectorAll('h2'))"
                ".find(x => x.textContent.startsWith('Component 1'));"
                " if (h) el.scrollTop += h.getBoundingClientRect().top - el.getBoundingClientRect().top; }"
            )
            page.wait_for_timeout(500)
            page.screenshot(path=str(shot), full_page=False)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-failure.png"))
            raise
        finally:
            ctx.close()

    import yaml

    decisions = root / "data" / "construction" / "design" / "decisions" / f"{GAP}.yaml"
    assert decisions.is_file(), "Save should write the gap's decisions file"
    data = yaml.safe_load(decisions.read_text(encoding="utf-8"))
    chosen = [c.get("stars") for c in data.get("components", {}).values()]
    assert [star] in chosen, f"the decisions file should record {star!r} for the first component: {data}"
    assert shot.is_file() and shot.stat().st_size > 10_000
