"""The structural plan parser on the seed's layout and on layouts people write."""

from __future__ import annotations

from pathlib import Path

import pytest

from cgplan.check.plan_doc import all_mentions, parse_plan, split_test

PLANS = Path(__file__).parent / "fixtures" / "plans"


@pytest.fixture(scope="module")
def handwritten():
    return parse_plan((PLANS / "handwritten-rate-limiter.md").read_text(encoding="utf-8"), "plan.md")


def test_title_gap_and_sections(handwritten):
    assert handwritten.gap == "Stripe API Rate Limiter"
    assert sorted(handwritten.parts) == ["checklist", "guidance", "overview", "tests", "validation"]
    assert handwritten.meta is None


def test_components_with_their_parts_stars_and_signatures(handwritten):
    comps = handwritten.components
    assert [c.name for c in comps] == ["RateLimitMiddleware", "StripeThrottledClient", "QueueDrainWorker"]
    assert all(len(c.parts) == 7 for c in comps)
    assert [m.text for m in comps[0].stars] == ["API Gateway (Express)", "Redis Cache", "Datadog Monitoring"]
    assert ("function", "limitStripeRateMiddleware") in [(s.kind, s.name) for s in comps[0].signatures]
    assert ("class", "StripeThrottledClient") in [(s.kind, s.name) for s in comps[1].signatures]
    assert comps[2].cited_docs == ["constellation-map.md", "gap-analysis.md", "implementation-sketches.md"]


def test_tests_and_validation(handwritten):
    kinds = [(t.kind, t.star) for t in handwritten.tests]
    assert kinds[:2] == [("integration", "API Gateway (Express)"), ("failure", "API Gateway (Express)")]
    assert len(kinds) == 10
    assert [t.number for t in handwritten.tests] == list(range(1, 11))
    v = handwritten.validation
    assert [i.criterion_id for i in v] == ["SC1.1", "SC1.2", None, None]
    assert v[1].test == "Integration with API Gateway (Express)"
    assert v[2].text == "Queueing delay under 2 seconds at the 90th percentile"


def test_citations_name_stars_with_parentheses(handwritten):
    cited = {m.text for m in all_mentions(handwritten) if m.where == "citation"}
    assert "API Gateway (Express)" in cited and "Redis Cache" in cited


def test_windows_line_endings_and_bom_parse_the_same(handwritten):
    text = (PLANS / "handwritten-rate-limiter.md").read_text(encoding="utf-8")
    other = parse_plan("\ufeff" + text.replace("\n", "\r\n"), "plan.md")
    assert [c.name for c in other.components] == [c.name for c in handwritten.components]
    assert [(v.criterion_id, v.test) for v in other.validation] == [
        (v.criterion_id, v.test) for v in handwritten.validation
    ]


@pytest.mark.parametrize(
    "entry, criterion, test",
    [
        (
            'SC1.2: At most 100 per second — Test: "enforces rate limit"',
            "SC1.2: At most 100 per second",
            "enforces rate limit",
        ),
        ('Handles 500 req/sec (Test: "handles high load")', "Handles 500 req/sec", "handles high load"),
        ("Queue delay under 2 s → queue performance", "Queue delay under 2 s", "queue performance"),
        ("Queue delay under 2 s (Test: TBD)", "Queue delay under 2 s", None),
        ("Success Criterion 1: [Test that validates this]", "Success Criterion 1: [Test that validates this]", None),
        ("Queue delay under 2 s", "Queue delay under 2 s", None),
    ],
)
def test_split_test(entry, criterion, test):
    assert split_test(entry) == (criterion, test)


def test_other_layouts():
    text = """# Implementation plan: Webhook Idempotency Guard

### Component - EventDeduplicator
**Purpose:** dedupe events.
- **Stars This Integrates With:**
  - **Redis Cache** — fast path
  - `PostgreSQL Orders Database` — the record

### Success criteria validation
| # | Criterion | Test |
|---|---|---|
| SC2.1 | Replaying 20 times gives one row | replay_twenty_times |
"""
    p = parse_plan(text, "p.md")
    assert p.gap == "Webhook Idempotency Guard"
    assert [c.name for c in p.components] == ["EventDeduplicator"]
    assert [m.text for m in p.components[0].stars] == ["Redis Cache", "PostgreSQL Orders Database"]
    assert [(v.criterion_id, v.test) for v in p.validation] == [("SC2.1", "replay_twenty_times")]


def test_meta_line_is_read():
    text = (
        '# Code Generation Plan: X\n\n<!-- cgplan:meta {"version": "0.1.0", "gap": "x", "body": "ab", '
        '"inputs": {"gap-analysis.md \\u00a7 Gap 1: X": "123"}} -->\n'
    )
    p = parse_plan(text)
    assert p.meta is not None and p.meta.inputs == {"gap-analysis.md § Gap 1: X": "123"}
