"""`cgplan prompt`: the team's prompt, filled in, followed by only the gap's grounded context."""

from __future__ import annotations

from cgplan import load
from cgplan.cli import main
from cgplan.reports.prompt import build_prompt, seed_prompt


def test_shipped_prompt_is_the_seed():
    text = seed_prompt()
    assert text.startswith("---\nname: code-generation-plan\n")
    assert "<output-format>" in text and "$1" in text and "$0" in text


def test_prompt_fills_placeholders_and_adds_only_touched_sections(example):
    c = load(example)
    text = build_prompt(c, c.gaps[0])
    assert "$0" not in text and "$1" not in text
    assert 'Create a detailed implementation plan for "Stripe API Rate Limiter" in Checkout Payments Platform' in text
    assert "`construction/design/code-generation-plan-stripe-api-rate-limiter.md`" in text
    context = text.split("<grounded-context>", 1)[1]
    for heading in (
        "### Gap 1: Stripe API Rate Limiter",
        "## Sketch 1: Stripe API Rate Limiter",
        "### Star: Redis Cache",
        "### Star: Stripe API",
        "### Star: API Gateway (Express)",
        "### Star: Datadog Monitoring",
    ):
        assert heading in context
    for other in ("### Gap 2:", "## Sketch 2:", "### Star: Auth0 Identity", "### Star: PostgreSQL Orders Database"):
        assert other not in context
    assert "Connection pool max 10 connections per gateway pod" in context  # raw section text


def test_cli_prompt(example, capsys):
    assert main(["prompt", "refund-approval-workflow", "--dir", str(example)]) == 0
    out = capsys.readouterr().out
    assert "### Gap 4: Refund Approval Workflow" in out and "### Star: Auth0 Identity" in out
    assert main(["prompt", "nope", "--dir", str(example)]) == 2
