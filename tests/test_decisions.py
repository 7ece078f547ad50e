"""The decisions file: a person's choices survive regeneration; a malformed file is a one-line error."""

from __future__ import annotations

import pytest

from cgplan import load
from cgplan.errors import ConfigError
from cgplan.plan.build import build_plan, find_gap
from cgplan.plan.decisions import ComponentDecision, Decisions, decisions_path, load_decisions
from cgplan.render.document import render_markdown
from cgplan.store.decisions import save_decisions
from cgplan.store.plans import plan_path, write_plans
from cgplan.store.status import plan_status

SIG = "export async function limitStripeRate(req: Request, res: Response, next: NextFunction): Promise<void>"


def _decide(example):
    c = load(example)
    gap = find_gap(c, "1")
    d = Decisions(
        components={
            "RateLimitMiddleware": ComponentDecision(
                stars=["Redis"], file="src/middleware/limitStripeRate.ts", signature=SIG
            )
        },
        tests={"SC1.2": "enforces_stripe_rate_limit"},
    )
    save_decisions(c, gap, d)
    return c, gap


def test_round_trip_is_stable(example):
    c, gap = _decide(example)
    text = decisions_path(c, gap).read_text(encoding="utf-8")
    d = load_decisions(c, gap)
    assert d.components["RateLimitMiddleware"].stars == ["Redis Cache"]  # alias resolved to the canonical name
    save_decisions(c, gap, d)
    assert decisions_path(c, gap).read_text(encoding="utf-8") == text.replace("- Redis\n", "- Redis Cache\n")


def test_decisions_are_honoured_after_regeneration(example):
    c, gap = _decide(example)
    write_plans(c, [gap], force=True)
    write_plans(load(example), [gap])  # a second run changes nothing
    text = plan_path(c, gap).read_text(encoding="utf-8")
    comp1 = text.split("## Component 1:", 1)[1].split("## Component 2:", 1)[0]
    assert "**File:** `src/middleware/limitStripeRate.ts`\n" in comp1
    assert SIG in comp1 and "#### Function: `limitStripeRate`\n" in comp1
    assert "- **Redis Cache**" in comp1 and "- **API Gateway (Express)**" not in comp1
    assert "*(chosen in decisions/stripe-api-rate-limiter.yaml)*" in comp1
    assert (
        "- [ ] SC1.2: Stripe receives at most 100 requests" in text and '— Test: "enforces_stripe_rate_limit"' in text
    )


def test_changing_decisions_makes_the_plan_stale(example):
    c, gap = _decide(example)
    write_plans(c, [gap], force=True)
    path = decisions_path(c, gap)
    path.write_text(
        path.read_text(encoding="utf-8").replace("enforces_stripe_rate_limit", "stays_under_100"), encoding="utf-8"
    )
    row = next(r for r in plan_status(load(example)) if r.gap == gap.slug)
    assert row.state == "stale" and row.changed == ["decisions/stripe-api-rate-limiter.yaml"]


@pytest.mark.parametrize(
    "text,line,words",
    [
        ("components:\n  RateLimitMiddleware: [oops\n", 3, "not valid YAML"),
        ("components:\n  RateLimitMiddleware:\n    stars: [Kafka Bus]\n", 3, "not a star"),
        ("components:\n  NoSuchThing:\n    file: x.ts\n", 2, "no component"),
        ("tests:\n  SC9.9: some_test\n", 2, "no success criterion"),
        ("flavour: vanilla\n", 1, "unknown key"),
        ("components:\n  RateLimitMiddleware:\n    stars: Redis Cache\n", 3, "must be a list"),
        ("- just\n- a list\n", 1, "mapping"),
    ],
)
def test_malformed_decisions_name_file_and_line(example, text, line, words):
    c = load(example)
    gap = find_gap(c, "1")
    path = decisions_path(c, gap)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        build_plan(c, gap)
    msg = str(err.value)
    assert msg.startswith(f"construction/design/decisions/stripe-api-rate-limiter.yaml:{line}: ")
    assert words in msg and "\n" not in msg


def test_empty_or_missing_file_means_no_decisions(example):
    c = load(example)
    gap = c.gaps[0]
    assert load_decisions(c, gap).is_empty()
    decisions_path(c, gap).parent.mkdir(parents=True, exist_ok=True)
    decisions_path(c, gap).write_text("# nothing decided yet\n", encoding="utf-8")
    assert load_decisions(c, gap).is_empty()
    assert render_markdown(build_plan(c, gap)).count("*(proposed)*") > 3
