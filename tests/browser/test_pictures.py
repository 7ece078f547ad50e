"""The constellation and per-gap pictures in a real browser: no label overlaps another, none is clipped.

For the bundled example and a synthetic 30-star, 15-gap folder (written by
``benchmarks/synth.py``), every picture is measured in headless Chromium: once
as inline SVG in a plain page (the whole constellation and every gap's view),
and once as JupyterLab shows it, after running ``explore_constellation.ipynb``
and ``plan_gap.ipynb`` in the browser. Labels are measured with ``getBBox``
(in the picture's own units, against its viewBox) and
``getBoundingClientRect`` (on screen, against the picture's box).
The JupyterLab renderings are kept in ``test-artifacts/`` (``docs/`` shows them).
"""

from __future__ import annotations

import json
import shutil
import sys
import urllib.parse
from pathlib import Path

import pytest

import cgplan
from cgplan.jupyter.views import constellation_svg, gap_svg

from .test_jupyterlab import ARTIFACTS, CHROME_ARGS, CHROMIUM, ROOT, _need_chromium, running_lab

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# For every <svg> on the page: its viewBox and box on screen, and for every node (in drawing order) its
# label's and its shape's boxes (labels also on screen), and the box of every text, in the picture's units.
MEASURE = """(svg) => {
  const vb = svg.viewBox.baseVal;
  const r = svg.getBoundingClientRect();
  const box = (b) => [b.x, b.y, b.x + b.width, b.y + b.height];
  const labels = Array.from(svg.querySelectorAll('text.label'));
  const shapes = Array.from(svg.querySelectorAll('.node'));
  return {
    title: svg.querySelector('title').textContent,
    viewBox: [vb.x, vb.y, vb.x + vb.width, vb.y + vb.height],
    screen: [r.left, r.top, r.right, r.bottom],
    labels: labels.map(t => ({text: t.textContent, box: box(t.getBBox()),
                              screen: box(t.getBoundingClientRect())})),
    shapes: shapes.map(s => ({cls: s.getAttribute('class'), box: box(s.getBBox())})),
    texts: Array.from(svg.querySelectorAll('text')).map(t => ({text: t.textContent, box: box(t.getBBox())})),
  };
}"""


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0 and min(a[3], b[3]) - max(a[1], b[1]) > 0


def _inside(inner, outer, slack: float = 0.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _problems(m: dict) -> list[str]:
    """Overlapping or clipped labels of one measured picture, as readable lines."""
    out = []
    labels, shapes = m["labels"], m["shapes"]
    assert len(labels) == len(shapes), "one label per node"
    for t in m["texts"]:  # labels, the heading and the legend
        if not _inside(t["box"], m["viewBox"]):
            out.append(f"{m['title']}: text {t['text']!r} {t['box']} is clipped by the viewBox {m['viewBox']}")
    for i, a in enumerate(labels):
        if not _inside(a["screen"], m["screen"], slack=0.5):
            out.append(f"{m['title']}: {a['text']!r} on screen {a['screen']} is outside the picture {m['screen']}")
        for b in labels[i + 1 :]:
            if _overlap(a["box"], b["box"]):
                out.append(f"{m['title']}: labels {a['text']!r} and {b['text']!r} overlap")
        for j, s in enumerate(shapes):
            if j != i and _overlap(a["box"], s["box"]):
                out.append(f"{m['title']}: label {a['text']!r} covers the shape of {labels[j]['text']!r}")
    return out


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    _need_chromium()
    big = tmp_path / "big"
    synth.generate(big, stars=30, gaps=15, seed=1)
    c = cgplan.load(big)
    assert (len(c.stars), len(c.gaps)) == (30, 15)
    return {"data": ROOT / "data", "big": big}


def _browser(pw, tmp_path: Path, name: str):
    return pw.chromium.launch_persistent_context(
        str(tmp_path / name),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROME_ARGS,
        viewport={"width": 1500, "height": 1000},
        device_scale_factor=2,  # sharp screenshots for docs/; the page is laid out in the same CSS pixels
    )


def _measure_svgs(page, svgs: list[str]) -> list[dict]:
    page.set_content("<!doctype html><html><body style='margin:0'>" + "\n".join(svgs) + "</body></html>")
    page.evaluate("() => document.fonts.ready")
    return page.locator("svg").evaluate_all(f"svgs => svgs.map({MEASURE})")


# Two labels on one line and one running past the right edge: what the check must catch.
BAD_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60" font-size="12">
<title>bad</title>
<circle class="node star" cx="10" cy="20" r="8"/><text class="label" x="23" y="24">Redis Cache</text>
<circle class="node star" cx="60" cy="20" r="8"/><text class="label" x="73" y="24">Stripe API</text>
<circle class="node star" cx="150" cy="45" r="8"/><text class="label" x="163" y="49">Datadog Monitoring</text>
</svg>"""


def test_every_picture_keeps_its_labels_apart_and_inside(folders, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        ctx = _browser(pw, tmp_path, "profile")
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        try:
            bad = "\n".join(_problems(_measure_svgs(page, [BAD_SVG])[0]))
            assert "labels 'Redis Cache' and 'Stripe API' overlap" in bad
            assert "text 'Datadog Monitoring'" in bad and "is clipped by the viewBox" in bad
            for name, folder in folders.items():
                c = cgplan.load(folder)
                svgs = [constellation_svg(c)] + [gap_svg(c, g) for g in c.gaps]
                measured = _measure_svgs(page, svgs)
                assert len(measured) == 1 + len(c.gaps)
                assert len(measured[0]["labels"]) == len(c.stars) + len(c.gaps), name
                problems = [p for m in measured for p in _problems(m)]
                assert not problems, f"{name}:\n" + "\n".join(problems)
        finally:
            ctx.close()


def _notebook(src: Path, dest: Path, folder: str, gap: str | None = None) -> None:
    nb = json.loads(src.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    text = "".join(cell["source"]).replace('construction_dir = "../data"', f'construction_dir = "../{folder}"')
    if gap is not None:
        text = text.replace('gap = "stripe-api-rate-limiter"', f'gap = "{gap}"')
    cell["source"] = text
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = [], None
    dest.write_text(json.dumps(nb), encoding="utf-8")


def test_jupyterlab_shows_both_pictures_legibly(folders, tmp_path):
    from playwright.sync_api import sync_playwright

    root = tmp_path / "lab"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(folders["big"], root / "big")
    (root / "notebooks").mkdir()
    runs = []  # (notebook, folder, screenshot name or None)
    for folder in ("data", "big"):
        explore = root / "notebooks" / f"explore_{folder}.ipynb"
        _notebook(ROOT / "notebooks" / "explore_constellation.ipynb", explore, folder)
        plan = root / "notebooks" / f"plan_{folder}.ipynb"
        _notebook(ROOT / "notebooks" / "plan_gap.ipynb", plan, folder, gap=None if folder == "data" else "1")
        runs += [(explore, folder, "constellation"), (plan, folder, "gap")]
    ARTIFACTS.mkdir(exist_ok=True)
    with running_lab(root, tmp_path) as (base, token), sync_playwright() as pw:
        ctx = _browser(pw, tmp_path, "lab-profile")
        measure_page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page = measure_page
        try:
            for nb, folder, view in runs:
                page = ctx.new_page()  # one page per notebook; closing it leaves the kernel to the server
                page.set_default_timeout(120_000)
                # a workspace of its own, so the notebooks opened before are not restored beside it
                page.goto(f"{base}/lab/workspaces/{nb.stem}/tree/notebooks/{nb.name}?token={token}")
                page.wait_for_function(
                    "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                    " && window.jupyterapp.shell.currentWidget.sessionContext"
                    " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                    " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                    " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'"
                )
                page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
                panel = page.evaluate("() => window.jupyterapp.shell.currentWidget.id")
                img = page.locator(f"[id='{panel}'] .jp-RenderedSVG img").first
                img.wait_for(state="attached", timeout=120_000)
                img.scroll_into_view_if_needed()  # JupyterLab hides cells out of view
                img.wait_for(state="visible")
                page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
                src = img.get_attribute("src")
                svg = urllib.parse.unquote(src.split(",", 1)[1])
                natural, shown, right, room = img.evaluate(
                    "i => [i.naturalWidth, i.getBoundingClientRect().width, i.getBoundingClientRect().right,"
                    " i.closest('.jp-OutputArea-output').getBoundingClientRect().right]"
                )
                assert shown >= 0.9 * natural, f"{nb.name}: the picture is shrunk to {shown:.0f} of {natural} px"
                assert right <= room + 1, f"{nb.name}: the picture ({natural} px) is cut off by the notebook's width"
                measured = _measure_svgs(measure_page, [svg])
                problems = _problems(measured[0])
                assert not problems, f"{nb.name}:\n" + "\n".join(problems)
                if view == "constellation":
                    assert len(measured[0]["labels"]) == {"data": 7 + 4, "big": 30 + 15}[folder]
                img.screenshot(path=str(ARTIFACTS / f"picture-{view}-{folder}.png"))
                page.close()
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "pictures-failure.png"))
            raise
        finally:
            ctx.close()
    for view in ("constellation", "gap"):
        for folder in ("data", "big"):
            assert (ARTIFACTS / f"picture-{view}-{folder}.png").stat().st_size > 5_000
