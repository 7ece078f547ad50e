"""Plan building and rendering: determinism, the seed's sections, data-flow diagrams, safety of document text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from plantext import visible

from cgplan import load
from cgplan.cli import main
from cgplan.errors import AmbiguousGap, UnknownGap
from cgplan.plan.build import build_plan, find_gap
from cgplan.plan.flow import mermaid_text, parse_flow, to_mermaid
from cgplan.render.document import render_json, render_markdown

SEED = Path(__file__).resolve().parent.parent / "cgplan" / "render" / "templates" / "seed-prompt.md"
FLOWS = json.loads((Path(__file__).parent / "fixtures" / "flows" / "cases.json").read_text(encoding="utf-8"))


def test_same_inputs_give_byte_identical_markdown_and_json(example):
    first = [
        (render_markdown(build_plan(c, g)), render_json(build_plan(c, g))) for c in [load(example)] for g in c.gaps
    ]
    second = [
        (render_markdown(build_plan(c, g)), render_json(build_plan(c, g))) for c in [load(example)] for g in c.gaps
    ]
    assert first == second


def test_output_has_no_absolute_paths_or_timestamps(example):
    c = load(example)
    text = render_markdown(build_plan(c, c.gaps[0]))
    assert str(example) not in text
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:", text)


def _seed_headings() -> list[str]:
    """Heading prefixes of the seed's output format (placeholders cut off)."""
    fmt = SEED.read_text(encoding="utf-8").split("<output-format>", 1)[1].split("</output-format>", 1)[0]
    out = []
    for line in fmt.split("\n"):
        if not line.startswith("#") or "`[" in line:  # "#### Function: `[functionName]`" / Class: alternatives
            continue
        head = re.split(r"\[|\$1", line)[0]
        head = re.sub(r"\d+:\s*$", "", head).rstrip()
        if head not in out:
            out.append(head)
    return out


@pytest.mark.parametrize("folder", ["data", "tests/fixtures/seed-rate-limiter"])
def test_every_seed_section_is_present_in_order(folder):
    root = Path(__file__).resolve().parent.parent
    c = load(root / folder)
    headings = _seed_headings()
    assert "## Overview" in headings and "### Success Criteria Validation" in headings
    for gap in c.gaps:
        lines = visible(render_markdown(build_plan(c, gap))).split("\n")
        pos = 0
        for h in headings:
            hits = [i for i, ln in enumerate(lines) if ln.startswith(h) and i >= pos]
            assert hits, f"{gap.slug}: seed section {h!r} missing or out of order"
            pos = hits[0]


def test_seed_labels_and_guidance_are_present(example):
    c = load(example)
    text = render_markdown(build_plan(c, c.gaps[0]))
    for label in (
        "**Gap Being Addressed:**",
        "**System:**",
        "**Sketch Reference:**",
        "**Shaping Knowledge Sources:**",
        "**Implements:**",
        "**Stars This Integrates With:**",
        "**Input:**",
        "**Output:**",
        "**Side Effects:**",
        "**From Gap Analysis:**",
        "**From Constellation Stars:**",
        "**These Constraints Mean:**",
    ):
        assert label in text
    seed = SEED.read_text(encoding="utf-8")
    guidance = seed.split("**ALWAYS:**", 1)[1].split("</output-format>", 1)[0]
    for line in guidance.strip().split("\n"):
        assert line.strip() in text, line


def test_components_follow_the_sketch_in_order(example):
    c = load(example)
    for gap in c.gaps:
        text = render_markdown(build_plan(c, gap))
        found = re.findall(r"^## Component (\d+): (.+)$", text, re.M)
        assert [name for _n, name in found] == [cp.name for cp in c.sketch_for(gap).components]
        assert [int(n) for n, _ in found] == list(range(1, len(found) + 1))


def test_middleware_signature_follows_the_gateway_convention(example):
    c = load(example)
    plan = build_plan(c, find_gap(c, "1"))
    sig = plan.components[0].signatures[0]
    assert sig.name == "limitStripeRateMiddleware"
    assert sig.language == "typescript"
    assert re.search(r"req: Request.*res: Response.*next: NextFunction", sig.code, re.S)


def test_document_text_is_never_run_as_template_code(tmp_path):
    from planfolders import make_folder

    make_folder(tmp_path, ["{{ 7*7 }} {% raw %}"])
    c = load(tmp_path)
    text = render_markdown(build_plan(c, c.gaps[0]))
    assert "# Code Generation Plan: {{ 7*7 }} {% raw %}" in visible(text)
    assert "49" not in text.split("<!-- cgplan:meta")[0]  # the provenance hash may hold any digits


def test_names_with_markdown_and_html_characters_are_escaped(tmp_path):
    from planfolders import make_folder

    make_folder(tmp_path, ["Retry `<tag>` & `*` Backoff"])
    c = load(tmp_path)
    text = render_markdown(build_plan(c, c.gaps[0]))
    assert "# Code Generation Plan: Retry \\<tag> & \\* Backoff" in text
    assert "# Code Generation Plan: Retry <tag> & * Backoff" in visible(text)


@pytest.mark.parametrize("case", FLOWS, ids=[f["id"] for f in FLOWS])
def test_data_flow_arrows_become_edges(case):
    flow = parse_flow(case["flow"])
    got = [[e.src, e.dst, e.label] + ([True] if e.both else []) for e in flow.edges]
    assert sorted(got) == sorted(case["edges"])


def test_mermaid_ids_are_ascii_and_labels_escaped():
    flow = parse_flow('Caché "A" [x] → B<C> & D | E')
    text = to_mermaid(flow)
    assert text.startswith("flowchart LR\n")
    for line in text.split("\n")[1:]:
        ident = line.strip().split("[", 1)[0].split(" ", 1)[0]
        assert re.fullmatch(r"[a-z][a-z0-9_]*", ident), line
    assert '"' not in text.split('["', 1)[1].split('"]', 1)[0]
    assert "#34;A#34;" in text and "#91;x#93;" in text and "#60;C#62;" in text and "#38;" in text
    assert mermaid_text("a|b") == "a#124;b"


def test_plan_embeds_the_flowchart(example):
    c = load(example)
    text = render_markdown(build_plan(c, c.gaps[0]))
    block = text.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    assert block.startswith("flowchart LR")
    assert "ratelimitmiddleware -->" in block


def test_no_flowchart_without_a_flow(tmp_path):
    from planfolders import make_folder

    make_folder(tmp_path, ["Audit Log"])
    sk = tmp_path / "construction" / "design" / "implementation-sketches.md"
    text = sk.read_text(encoding="utf-8")
    sk.write_text(re.sub(r"\*\*Data Flow:\*\*\n```\n.*?```\n", "", text, flags=re.S), encoding="utf-8")
    c = load(tmp_path)
    assert "```mermaid" not in render_markdown(build_plan(c, c.gaps[0]))


def test_json_rendering_is_the_same_plan(example):
    c = load(example)
    plan = build_plan(c, c.gaps[0])
    data = json.loads(render_json(plan))
    assert data["gap"] == plan.gap and data["gap_name"] == "Stripe API Rate Limiter"
    assert [cp["name"] for cp in data["components"]] == [cp.name for cp in plan.components]
    assert [sc["id"] for sc in data["criteria"]] == ["SC1.1", "SC1.2", "SC1.3", "SC1.4"]
    assert render_json(plan) == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    "key,slug",
    [
        ("stripe-api-rate-limiter", "stripe-api-rate-limiter"),
        ("2", "webhook-idempotency-guard"),
        ("gap 3", "payment-reconciliation-job"),
        ("Refund approval workflow", "refund-approval-workflow"),
    ],
)
def test_find_gap_by_slug_number_or_name(example, key, slug):
    assert find_gap(load(example), key).slug == slug


@pytest.mark.parametrize(
    "key,slug",
    [
        ("stripe", "stripe-api-rate-limiter"),
        ("rate", "stripe-api-rate-limiter"),
        ("idem", "webhook-idempotency-guard"),
        ("Reconciliation", "payment-reconciliation-job"),
        ("approval work", "refund-approval-workflow"),
    ],
)
def test_find_gap_by_a_unique_word_or_prefix_of_its_name_or_slug(example, key, slug):
    assert find_gap(load(example), key).slug == slug


def test_a_word_several_gaps_share_exits_2_listing_them(example, capsys):
    with pytest.raises(AmbiguousGap) as err:
        find_gap(load(example), "re")
    assert err.value.candidates == ["payment-reconciliation-job", "refund-approval-workflow"]
    assert main(["plan", "re", "--stdout", "--dir", str(example)]) == 2
    message = capsys.readouterr().err.strip()
    assert message == (
        "cgplan: error: 're' matches 2 gaps: payment-reconciliation-job, refund-approval-workflow "
        "(name one of them by its slug or number)"
    )


def test_unknown_gap_lists_closest_matches(example):
    with pytest.raises(UnknownGap) as err:
        find_gap(load(example), "webhook-guard")
    assert "webhook-idempotency-guard" in str(err.value)
    assert err.value.exit_code == 2


def test_committed_example_plans_are_what_cgplan_writes_today():
    root = Path(__file__).resolve().parent.parent / "data"
    c = load(root)
    for gap in c.gaps:
        path = c.design_dir / f"code-generation-plan-{gap.slug}.md"
        assert path.read_text(encoding="utf-8") == render_markdown(build_plan(c, gap)), (
            f"run `make example` to regenerate {path.name}"
        )
