"""Nothing a document says is ever executed.

* Templates never evaluate document text: Jinja syntax in names comes out literally.
* Papermill parameters built from hostile gap names or folder paths are data:
  a name that would run code if it were pasted into a cell runs nothing.
* Notebooks and widgets escape every name they show as HTML.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cgplan import load

ROOT = Path(__file__).resolve().parent.parent
NO_OUTPUTS = shutil.ignore_patterns("code-generation-plan-*", "notebooks", ".*")
GAPS = "construction/requirements/gap-analysis.md"
SKETCHES = "construction/design/implementation-sketches.md"
MAP = "construction/requirements/constellation-map.md"

#: (case id, text placed in a gap's name, a component's name, a criterion and a star's failure mode)
JINJA = [
    ("expression", "{{ 7*7 }} Guard"),
    ("statement", "{% for x in range(3) %}Loop{% endfor %} Guard"),
    ("config", "{{ config.items() }} Guard"),
    ("raw-block", "{% raw %}{{ x }}{% endraw %} Guard"),
    ("comment", "{# hidden #} Guard"),
    ("filter", "{{ request|attr('application') }} Guard"),
]
HTML = [
    ("script", "<script>alert(1)</script> Guard"),
    ("img-onerror", '<img src=x onerror="alert(1)"> Guard'),
    ("iframe", "<iframe src=javascript:alert(1)></iframe> Guard"),
    ("entity", "&lt;script&gt; & <b onclick=alert(1)>x</b> Guard"),
]
LIVE_TAGS = {"script", "img", "iframe", "b", "style", "svg"}


def _folder(tmp_path: Path, name: str, *, where: str = "example") -> Path:
    """The bundled example with ``name`` as gap 2's name, its sketch's title, a component,
    a criterion and a failure mode."""
    root = tmp_path / where
    shutil.copytree(ROOT / "data", root, ignore=NO_OUTPUTS)
    g = root / GAPS
    text = re.sub(r"(?m)^### Gap 2: .*$", lambda m: f"### Gap 2: {name}", g.read_text(encoding="utf-8"), count=1)
    text = re.sub(
        r"(?m)^(### Gap 2: .*\n(?:.*\n)*?\*\*Success Criteria:\*\*\n)",
        lambda m: m.group(1) + f"- [ ] {name} holds under load\n",
        text,
        count=1,
    )
    g.write_text(text, encoding="utf-8")
    s = root / SKETCHES
    stext = re.sub(r"(?m)^## Sketch 2: .*$", lambda m: f"## Sketch 2: {name}", s.read_text(encoding="utf-8"), count=1)
    s.write_text(stext, encoding="utf-8")
    m = root / MAP
    mtext = m.read_text(encoding="utf-8")
    mtext = re.sub(r"(?m)^(\*\*Error Handling:\*\*\n)", lambda x: x.group(1) + f"- {name}: retried\n", mtext, count=1)
    m.write_text(mtext, encoding="utf-8")
    return root


def _gap2(c):
    return next(g for g in c.gaps if g.number == 2)


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("name", [n for _, n in JINJA], ids=[i for i, _ in JINJA])
def test_jinja_in_documents_comes_out_literally(tmp_path, name):
    from cgplan.plan.build import build_plan
    from cgplan.render.document import render_json, render_markdown

    c = load(_folder(tmp_path, name))
    gap = _gap2(c)
    assert gap.name == name
    md = render_markdown(build_plan(c, gap))
    shown = read_back(md)  # what a reader of the plan sees, Markdown escapes resolved
    assert shown[0] == f"Code Generation Plan: {name}"
    assert any(f"{name} holds under load" in t for t in shown)
    assert "Code Generation Plan: 49" not in md and "LoopLoopLoop" not in md
    data = json.loads(render_json(build_plan(c, gap)))
    assert name in json.dumps(data, ensure_ascii=False)


def test_jinja_in_documents_through_the_command(tmp_path):
    import subprocess
    import sys

    root = _folder(tmp_path, "{{ 7*7 }} Guard")
    proc = subprocess.run(
        [sys.executable, "-m", "cgplan.cli", "plan", "7-7-guard", "--dir", str(root)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    text = (root / "construction" / "design" / "code-generation-plan-7-7-guard.md").read_text(encoding="utf-8")
    assert read_back(text)[0] == "Code Generation Plan: {{ 7*7 }} Guard"
    assert "49" not in text.split("\n", 1)[0]


def read_back(markdown_text: str) -> list[str]:
    """Every heading and text line of a Markdown document as plain text, in order (title first)."""
    from cgplan.load.markdown import parse_text

    doc = parse_text(markdown_text)
    out = []
    for sec in doc.root.walk():
        if sec.level:
            out.append(sec.title)
        stack = list(reversed(sec.blocks))
        while stack:
            b = stack.pop()
            out += [ln.text for ln in b.lines] + [it.text for it in b.items]
            stack += [x for it in reversed(b.items) for x in reversed(it.blocks)] + list(reversed(b.blocks))
    return out


# --------------------------------------------------------------------------- papermill parameters


def _payloads(sentinel: Path) -> list[str]:
    """Names that would create ``sentinel`` if pasted into a Python cell."""
    s = str(sentinel)
    return [
        f'x"; open({s!r}, "w").close(); y = "',
        f"x'; open({s!r}, 'w').close(); y = '",
        f'"""; open({s!r}, "w").close(); """',
        f"x\nopen({s!r}, 'w').close()\n",
        f"x\\\"; open({s!r}, 'w').close() #",
        "{{ 7*7 }}",
    ]


def test_papermill_parameters_are_literals(tmp_path):
    """The injected parameters cell assigns exactly the given strings, whatever they contain."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(ROOT / "notebooks" / "plan_gap.ipynb"))
    for payload in _payloads(tmp_path / "PWNED"):
        params = {"construction_dir": f"/tmp/{payload}/data", "gap": payload, "write": True}
        out = parameterize_notebook(nb, params)
        cells = [c for c in out.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(cells) == 1
        tree = ast.parse(cells[0].source)
        got = {}
        for node in tree.body:
            assert isinstance(node, ast.Assign), ast.dump(node)  # only assignments, no calls
            got[node.targets[0].id] = ast.literal_eval(node.value)
        assert got == params


@pytest.mark.slow
@pytest.mark.jupyter
def test_batch_with_hostile_names_and_path_runs_nothing(tmp_path):
    """A real batch run on a folder whose path and gap name would run code if pasted: nothing runs."""
    from cgplan.jupyter.batch import run_batch, run_notebook

    sentinel = tmp_path / "PWNED"
    payload = _payloads(sentinel)[0]
    root = _folder(tmp_path, payload.replace("\n", " ") + " Guard", where="dir'\";$(touch PWNED);x")
    c = load(root)
    gap = _gap2(c)
    results = run_batch(root, [gap.slug], progress=False)
    assert [r.status for r in results] == ["ok"], results
    plan = (root / "construction" / "design" / f"code-generation-plan-{gap.slug}.md").read_text(encoding="utf-8")
    assert gap.name in plan
    # the notebook itself, given the raw hostile strings as parameters
    for i, p in enumerate(_payloads(sentinel)[:3]):
        res = run_notebook(
            ROOT / "notebooks" / "plan_gap.ipynb",
            tmp_path / f"out{i}.ipynb",
            {"construction_dir": str(root) + "/" + p, "gap": p, "write": False},
            cwd=tmp_path,
            timeout=300,
        )
        assert not res.ok  # no such folder: the notebook fails cleanly
    assert not sentinel.exists()
    assert not list(tmp_path.rglob("PWNED"))


# --------------------------------------------------------------------------- HTML shown in notebooks and widgets


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def live_tags(html_text: str) -> list[str]:
    """Tags a browser would create from ``html_text`` that carry a hostile name (script, img, handlers)."""
    p = _Tags()
    p.feed(html_text)
    bad = []
    for tag, attrs in p.tags:
        if tag in ("script", "img", "iframe"):
            bad.append(tag)
        bad += [f"{tag}[{k}]" for k, _ in attrs if k.startswith("on")]
    return bad


def _as_browser_renders(markdown_text: str) -> str:
    """Markdown to HTML the way Jupyter's renderer does it: raw HTML passes through."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown_text)


@pytest.mark.parametrize("name", [n for _, n in HTML], ids=[i for i, _ in HTML])
def test_notebook_views_escape_names(tmp_path, name):
    from cgplan.jupyter import views as nbutil
    from cgplan.jupyter.widgets import preview_html
    from cgplan.plan.build import build_plan
    from cgplan.render.document import render_markdown

    c = load(_folder(tmp_path, name))
    gap = _gap2(c)
    assert "<" in gap.name or "&" in gap.name
    plan_md = render_markdown(build_plan(c, gap))
    views = {
        "gap_markdown": _as_browser_renders(nbutil.gap_markdown(c, gap)),
        "stars_markdown": _as_browser_renders(nbutil.stars_markdown(c, gap)),
        "plan_display_markdown": _as_browser_renders(nbutil.plan_display_markdown(plan_md)),
        "preview_html": preview_html(plan_md),
        "constellation_svg": nbutil.constellation_svg(c),
    }
    for view, html_text in views.items():
        assert live_tags(html_text) == [], view
    # the name is still shown, as text
    assert "Guard" in views["gap_markdown"]


@pytest.mark.parametrize("name", [n for _, n in HTML], ids=[i for i, _ in HTML])
def test_widgets_escape_names(tmp_path, name):
    import ipywidgets as W

    from cgplan.jupyter.widgets import PlanEditor

    c = load(_folder(tmp_path, name))
    editor = PlanEditor(c, _gap2(c))
    seen = 0
    stack = [editor.widget]
    while stack:
        w = stack.pop()
        stack.extend(getattr(w, "children", ()))
        if isinstance(w, (W.HTML, W.HTMLMath)):
            assert live_tags(w.value) == [], w.value[:300]
            seen += 1
        if getattr(w, "description_allow_html", False):
            assert live_tags(w.description) == []
    assert seen >= 3
    assert any("Guard" in w.value for w in _all_html(editor.widget))


def _all_html(root):
    import ipywidgets as W

    stack, out = [root], []
    while stack:
        w = stack.pop()
        stack.extend(getattr(w, "children", ()))
        if isinstance(w, W.HTML):
            out.append(w)
    return out
