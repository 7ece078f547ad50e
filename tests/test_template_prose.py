"""Plans say specific things: at most 10% of their content lines are template prose repeated across plans.

The measure is ``benchmarks/template_prose.py`` (its docstring defines content lines and template prose).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "template_prose.py"


def _measure_module():
    spec = importlib.util.spec_from_file_location("template_prose", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_measure_finds_a_sentence_repeated_in_every_plan():
    measure = _measure_module().measure
    plans = [
        f"# Plan {n}\n\nThe same filler sentence is written here.\nA line only plan {n} has: {'x' * n}\n"
        for n in range(8)
    ]
    result = measure(plans)
    assert result["content_lines"] == 16
    assert result["template_prose_lines"] == 8


def test_template_prose_share_of_all_fixture_plans_is_at_most_ten_percent():
    module = _measure_module()
    result = module.measure(module.plans())
    print(f"template prose {result['share']:.1%} of {result['content_lines']} lines in {result['plans']} plans")
    assert result["plans"] >= 20
    assert result["share"] <= module.TARGET, [row["masked"] for row in result["top"][:10]]
