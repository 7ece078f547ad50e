"""Inline suppression (``<!-- cgplan: ignore[rule-id] reason -->``) and the messages a reviewer reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from cgplan import load
from cgplan.check import check_plan_text, run
from cgplan.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "data"
NAME = "construction/design/code-generation-plan-stripe-api-rate-limiter.md"

PLAN = """\
# Code Generation Plan: Stripe API Rate Limiter

## Component 1: RateLimitMiddleware

### Constellation Context
**Implements:** Stripe API Rate Limiter (gap-analysis.md § Gap 1: Stripe API Rate Limiter)

**Stars This Integrates With:**
- **Redis Cache** (constellation-map.md § Star: Redis Cache)
- **Kafka Event Bus** (constellation-map.md § Star: Kafka Event Bus) {star_comment}

### Function/Class Signatures
```typescript
export async function limitStripeRateMiddleware(req: Request, res: Response, next: NextFunction): Promise<void>
```

## Component 2: QueueDrainWorker {section_comment}

**Implements:** Stripe API Rate Limiter (gap-analysis.md § Gap 1: Stripe API Rate Limiter)

TODO: pick the drain interval

### Notes
FIXME: decide on a batch size

## Test Strategy

#### Test 1: Failure Mode from Redis Cache: primary failover
With Redis refusing connections, requests pass through within 50 ms.

### Success Criteria Validation
- [ ] SC1.1: Sustains 500 req/sec for 10 minutes — Test 18
- [ ] SC1.2: at most 100 requests per second — Test: "Test 1"
- [ ] SC1.3: queueing delay under 2 s at p90 — Test 1
- [ ] SC1.4: Redis unreachable, pass through within 50 ms — Test 1
"""


@pytest.fixture(scope="module")
def example():
    return load(EXAMPLE)


def _findings(example, star_comment="", section_comment=""):
    text = PLAN.format(star_comment=star_comment, section_comment=section_comment)
    return check_plan_text(example, text, NAME, select=["unknown-star", "vague-text", "missing-signature"])


def test_without_comments_every_finding_is_reported(example):
    got = {(f.line, f.rule) for f in _findings(example)}
    assert (10, "unknown-star") in got
    assert (17, "missing-signature") in got
    assert {(21, "vague-text"), (24, "vague-text")} <= got


def test_a_comment_on_a_line_suppresses_that_rule_on_that_line_only(example):
    got = {(f.line, f.rule) for f in _findings(example, star_comment="<!-- cgplan: ignore[unknown-star] ADR 12 -->")}
    assert (10, "unknown-star") not in got
    assert (17, "missing-signature") in got


def test_a_comment_for_another_rule_suppresses_nothing(example):
    got = {(f.line, f.rule) for f in _findings(example, star_comment="<!-- cgplan: ignore[vague-text] -->")}
    assert (10, "unknown-star") in got


def test_a_comment_on_a_heading_covers_its_section_and_subsections(example):
    comment = "<!-- cgplan: ignore[vague-text, missing-signature] worker planned in gap 5 -->"
    got = {(f.line, f.rule) for f in _findings(example, section_comment=comment)}
    assert (17, "missing-signature") not in got
    assert (21, "vague-text") not in got and (24, "vague-text") not in got
    assert (10, "unknown-star") in got


def test_a_comment_alone_under_a_heading_covers_the_section(example):
    comment = "<!-- cgplan: ignore[vague-text] owner decides in review -->"
    text = PLAN.format(star_comment="", section_comment="").replace("### Notes\n", f"### Notes\n{comment}\n")
    got = {(f.line, f.rule) for f in check_plan_text(example, text, NAME, select=["vague-text"])}
    assert (21, "vague-text") in got
    assert (25, "vague-text") not in got  # the FIXME, one line lower now


def test_suppressed_findings_are_counted(tmp_path):
    import shutil

    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    comment = "<!-- cgplan: ignore[unknown-star] ADR 12 -->"
    plan = PLAN.format(star_comment=comment, section_comment="<!-- cgplan: ignore[vague-text] -->")
    (folder / NAME).write_text(plan, encoding="utf-8")
    result = run(load(folder), select=["unknown-star", "vague-text"], config=False)
    assert sorted((f.line, f.rule) for f in result.suppressed) == [
        (10, "unknown-star"),
        (21, "vague-text"),
        (24, "vague-text"),
    ]
    assert result.to_dict()["counts"]["suppressed"] == 3
    assert not [f for f in result.findings if f.file == NAME]
    code = main(["check", "--dir", str(folder), "--format", "json", "--select", "unknown-star,vague-text"])
    assert code == 0


def test_a_test_number_that_names_no_test_has_its_own_message(example):
    findings = check_plan_text(
        example, PLAN.format(star_comment="", section_comment=""), NAME, select=["unmapped-criterion"]
    )
    assert [(f.line, f.rule) for f in findings] == [(32, "unmapped-criterion")]
    assert "'Test 18', which is not a test of this plan" in findings[0].message


def test_the_summary_and_sarif_report_what_was_suppressed(tmp_path, capsys):
    import json
    import shutil

    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    plan = PLAN.format(star_comment="<!-- cgplan: ignore[unknown-star] ADR 12 -->", section_comment="")
    (folder / NAME).write_text(plan, encoding="utf-8")
    main(["check", "--dir", str(folder), "--select", "unknown-star"])
    out = capsys.readouterr().out
    assert out.rstrip().endswith("(1 suppressed by cgplan: ignore comments)")
    main(["check", "--dir", str(folder), "--select", "unknown-star", "--format", "sarif"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    hidden = [r for r in results if r.get("suppressions")]
    assert [(r["ruleId"], r["suppressions"]) for r in hidden] == [("unknown-star", [{"kind": "inSource"}])]
