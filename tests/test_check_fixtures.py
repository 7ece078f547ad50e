"""Each plan under tests/fixtures/plans/ states in its first line which rules it must and must not trip."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from cgplan import load
from cgplan.check import RULES, check_plan_text

PLANS = sorted((Path(__file__).parent / "fixtures" / "plans").glob("*.md"))
_EXPECT = re.compile(r"^<!-- expect: (\{.*\}) -->")


def _expect(path: Path) -> dict:
    m = _EXPECT.match(path.read_text(encoding="utf-8"))
    assert m, f"{path.name}: first line must be <!-- expect: {{...}} -->"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def example():
    return load(Path(__file__).resolve().parent.parent / "data")


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_fixture_plan(example, path):
    want = _expect(path)
    name = want.get("file") or f"code-generation-plan-{want['gap']}.md"
    findings = check_plan_text(example, path.read_text(encoding="utf-8"), f"construction/design/{name}")
    got = Counter(f.rule for f in findings)
    detail = "\n".join(f"{f.line}: {f.rule}: {f.message}" for f in findings)
    for rule in want["trips"]:
        assert got[rule], f"{path.name} should trip {rule}\n{detail}"
    for rule in want["clean"]:
        assert not got[rule], f"{path.name} must not trip {rule}\n{detail}"
    for rule, n in want.get("findings", {}).items():
        assert got[rule] == n, f"{path.name}: expected {n} {rule} findings\n{detail}"
    if "errors" in want:
        assert sum(1 for f in findings if f.severity == "error") == want["errors"], detail


def test_every_plan_rule_has_a_tripping_and_a_clean_fixture():
    expects = [_expect(p) for p in PLANS]
    plan_rules = {slug for slug, r in RULES.items() if r.plan}
    tripped = {r for e in expects for r in e["trips"]}
    cleaned = {r for e in expects for r in e["clean"]}
    assert plan_rules <= tripped, plan_rules - tripped
    assert plan_rules <= cleaned, plan_rules - cleaned
