"""What the notebooks show: escaped Markdown views, the constellation picture, the tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cgplan
from cgplan.jupyter.views import (
    constellation_svg,
    escape_markdown_html,
    gap_markdown,
    gap_svg,
    markdown_to_html,
    normalize_notebook,
    stars_frame,
    stars_markdown,
)

ROOT = Path(__file__).resolve().parent.parent

ESCAPES = [
    # (Markdown in, Markdown out)
    ("A <img src=x onerror=alert(1)> star", "A \\<img src=x onerror=alert(1)> star"),
    ("AT&T & co", "AT\\&T \\& co"),
    ("code `<b>` stays", "code `<b>` stays"),
    ("double ``a ` <b>`` stays", "double ``a ` <b>`` stays"),
    ("already \\<escaped\\>", "already \\<escaped\\>"),
    ("```\n<b>in a fence</b>\n```\n<b>after</b>", "```\n<b>in a fence</b>\n```\n\\<b>after\\</b>"),
    ("unclosed `tick <i>", "unclosed `tick \\<i>"),
]


@pytest.mark.parametrize("text,expected", ESCAPES)
def test_markdown_escaping_turns_html_into_text_and_leaves_code_alone(text, expected):
    assert escape_markdown_html(text) == expected
    assert escape_markdown_html(expected) == expected, "escaping twice changes nothing"


@pytest.mark.parametrize("text,_expected", ESCAPES)
def test_escaped_markdown_renders_no_tags_outside_code(text, _expected):
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(escape_markdown_html(text))  # raw HTML allowed, as in JupyterLab
    outside_code = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    assert not re.search(r"<(img|b|i)\b", outside_code), html


def test_gap_and_star_views_escape_document_text(example: Path):
    m = example / "construction" / "requirements" / "gap-analysis.md"
    m.write_text(
        m.read_text(encoding="utf-8").replace(
            "**Missing Capability:**", "**Missing Capability:** <script>alert(1)</script>", 1
        ),
        encoding="utf-8",
    )
    c = cgplan.load(example)
    g = c.gaps[0]
    text = gap_markdown(c, g)
    assert "\\<script>" in text and "<script>" not in text.replace("\\<script>", "")
    assert all(sc.id in text for sc in g.success_criteria)
    stars = stars_markdown(c, g)
    for ref in g.connects_to:
        assert f"#### {ref.star}" in stars


def _shapes(svg: str, cls: str) -> int:
    return len(re.findall(rf'<\w+ class="{cls}"', svg))


def _labels(svg: str) -> list[str]:
    return re.findall(r'<text class="label"[^>]*>([^<]*)</text>', svg)


def test_constellation_picture_has_every_star_integration_and_gap_link(example: Path):
    c = cgplan.load(example)
    svg = constellation_svg(c)
    assert svg == constellation_svg(cgplan.load(example)), "same folder, same bytes"
    # data/: 7 stars, 7 integration sections over 6 pairs (Gateway and Stripe twice, once each way),
    # gaps 1-4 must connect to 4 + 5 + 4 + 5 stars
    assert _shapes(svg, "node star") == 7
    assert _shapes(svg, "node gap") == 4
    assert _shapes(svg, "edge integration") == 6
    assert _shapes(svg, "edge must-connect") == 18
    assert sorted(_labels(svg)) == sorted(
        [
            "API Gateway (Express)",
            "Redis Cache",
            "Stripe API",
            "PostgreSQL Orders Database",
            "Amazon SQS Order Queue",
            "Auth0 Identity",
            "Datadog Monitoring",
            "Gap 1: Stripe API Rate Limiter",
            "Gap 2: Webhook Idempotency Guard",
            "Gap 3: Payment Reconciliation Job",
            "Gap 4: Refund Approval Workflow",
        ]
    )
    assert "API Gateway (Express) ↔ Stripe API: " in svg and "Stripe API ↔ API Gateway (Express): " in svg
    assert str(example) not in svg


def test_gap_picture_shows_its_stars_their_integrations_and_the_sketch_components(example: Path):
    c = cgplan.load(example)
    g = c.gaps[0]
    svg = gap_svg(c, g)
    assert svg == gap_svg(cgplan.load(example), cgplan.load(example).gaps[0]), "same folder, same bytes"
    # gap 1 must connect to Gateway, Stripe, Redis and Datadog (all four drawn with a thick outline);
    # among them the map integrates Gateway with Stripe, Redis and Datadog; sketch 1 has three components
    assert '<text class="heading"' in svg and ">Gap 1: Stripe API Rate Limiter</text>" in svg
    assert sorted(_labels(svg)) == sorted(
        [
            "Gap 1",
            "API Gateway (Express)",
            "Stripe API",
            "Redis Cache",
            "Datadog Monitoring",
            "RateLimitMiddleware",
            "StripeThrottledClient",
            "QueueDrainWorker",
        ]
    )
    assert len(re.findall(r'class="node star"[^>]*stroke-width="2.5"', svg)) == 4
    assert _shapes(svg, "edge must-connect") == 4
    assert _shapes(svg, "edge integration") == 3
    assert _shapes(svg, "node component") == 3
    assert _shapes(svg, "edge part") == 3


def test_long_names_are_cut_in_the_label_and_whole_in_the_hover_title(example: Path):
    m = example / "construction" / "requirements" / "constellation-map.md"
    long_name = "Redis Cache Cluster For Sessions Rate Limits Queues And Everything Else"
    m.write_text(m.read_text(encoding="utf-8").replace("### Star: Redis Cache", f"### Star: {long_name}", 1))
    svg = constellation_svg(cgplan.load(example))
    # at most 44 characters with the ellipsis, cut between words ("... Rate Limits…" would be 45)
    assert "Redis Cache Cluster For Sessions Rate…" in _labels(svg)
    assert f"<title>{long_name} — " in svg


def test_pictures_escape_names(example: Path):
    m = example / "construction" / "requirements" / "constellation-map.md"
    text = m.read_text(encoding="utf-8").replace(
        "### Star: Redis Cache", "### Star: Redis <script>x</script> & Cache", 1
    )
    m.write_text(text, encoding="utf-8")
    c = cgplan.load(example)
    for svg in (constellation_svg(c), gap_svg(c, c.gaps[0])):
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        labels = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
        assert "Redis <script>x</script> & Cache" in labels, "well-formed XML that reads back as the name"


def test_stars_table_counts_contracts_failure_modes_and_needing_gaps(example: Path):
    c = cgplan.load(example)
    df = stars_frame(c)
    assert list(df.index) == [s.name for s in c.stars]
    redis = c.star("Redis Cache")
    assert df.loc["Redis Cache", "contracts"] == len(redis.contracts.all())
    assert df.loc["Redis Cache", "failure modes"] == len(redis.errors)
    assert c.gaps[0].slug in df.loc["Redis Cache", "gaps"]


def test_normalized_notebooks_lose_timings_paths_and_widget_ids():
    nb = {
        "metadata": {
            "widgets": {"state": {}},
            "papermill": {
                "parameters": {"gap": "x"},
                "start_time": "t",
                "input_path": "/abs/in.ipynb",
                "output_path": "/abs/out.ipynb",
                "duration": 1.0,
            },
        },
        "cells": [
            {
                "cell_type": "code",
                "metadata": {
                    "execution": {"iopub.status.busy": "t"},
                    "papermill": {"duration": 1.0, "status": "completed"},
                },
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {
                            "text/plain": "Editor",
                            "application/vnd.jupyter.widget-view+json": {"model_id": "abc"},
                        },
                    }
                ],
            }
        ],
    }
    out = normalize_notebook(nb)
    assert out["metadata"] == {"papermill": {"parameters": {"gap": "x"}}}
    assert out["cells"][0]["metadata"] == {"papermill": {"status": "completed"}}
    assert out["cells"][0]["outputs"][0]["data"] == {"text/plain": "Editor"}


def test_markdown_to_html_keeps_mermaid_as_code():
    html = markdown_to_html("```mermaid\nflowchart LR\n  A --> B\n```\n")
    assert '<code class="language-mermaid">' in html and "A --&gt; B" in html


@pytest.mark.parametrize("notebook", ["explore_constellation.ipynb", "plan_gap.ipynb"])
def test_stored_pictures_are_what_this_python_and_networkx_draw(notebook: str):
    """The layout uses no float sum(), trigonometry or networkx layout, so every Python and networkx version
    CI runs this on draws the stored picture byte for byte."""
    import json

    import networkx

    nb = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))
    stored = [
        "".join(out["data"]["image/svg+xml"])
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if "image/svg+xml" in out.get("data", {})
    ]
    c = cgplan.load(ROOT / "data")
    drawn = constellation_svg(c) if notebook.startswith("explore") else gap_svg(c, c.gaps[0])
    assert drawn.rstrip("\n") in stored, f"networkx {networkx.__version__}"


def _overlapping(nodes) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a.bounds(), b.bounds()
            if min(r1, r2) > max(l1, l2) and min(b1, b2) > max(t1, t2):
                out.append((a.label, b.label))
    return out


@pytest.mark.parametrize("passes", [0, 120], ids=["sweep-only", "push-then-sweep"])
def test_boxes_stacked_on_one_point_end_up_apart(passes: int):
    from cgplan.jupyter.picture import Node, _separate

    nodes = [Node(key=f"star:{i}", kind="star", label=f"Star number {i}", title="", fill="#fff") for i in range(25)]
    nodes += [
        Node(key=f"component:{i}", kind="component", label=f"Component{i}", title="", fill="#fff") for i in range(5)
    ]
    assert len(_overlapping(nodes)) == 30 * 29 // 2, "all thirty start on one point"
    _separate(nodes, passes=passes)
    assert _overlapping(nodes) == []
