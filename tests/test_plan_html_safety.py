"""A rendered plan never carries live HTML, whatever the documents' titles contain."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

import cgplan
from cgplan.plan.build import build_plan
from cgplan.render.document import render_markdown

HOSTILE = "<script>alert(1)</script> Guard"


def test_hostile_titles_render_as_text(example):
    gaps = example / "construction/requirements/gap-analysis.md"
    sketches = example / "construction/design/implementation-sketches.md"
    gaps.write_text(gaps.read_text(encoding="utf-8").replace("Webhook Idempotency Guard", HOSTILE), encoding="utf-8")
    sketches.write_text(
        sketches.read_text(encoding="utf-8").replace("Webhook Idempotency Guard", HOSTILE), encoding="utf-8"
    )
    c = cgplan.load(example)
    gap = next(g for g in c.gaps if "script" in g.name)
    text = render_markdown(build_plan(c, gap))
    assert "Sketch" in text and "script" in text  # the title is there, as text
    html = MarkdownIt("commonmark").render(text)
    assert not re.search(r"<script|<img|<svg", html), "raw HTML reached the rendered plan"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Guard" in html


def test_code_keeps_angle_brackets(example):
    c = cgplan.load(example)
    text = render_markdown(build_plan(c, c.gaps[0]))
    assert "Promise<void>" in text  # inside the signature's code block, untouched
