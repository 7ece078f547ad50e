"""``cgplan check`` on plans written by LLMs and people in the layouts the seed allows.

The corpus (``tests/fixtures/foreign-plans/``, see ``tests/foreign_corpus.py``) holds clean
plans for three construction folders and defective copies whose planted defects are listed
by hand in ``corpus.json``. Run with ``-s`` to see the figures per rule.
"""

from __future__ import annotations

import pytest

from tests.foreign_corpus import CORPUS, RULES, corpus, score


@pytest.fixture(scope="module")
def result():
    s = score()
    print("\n" + s.table())
    return s


def test_the_corpus_is_as_large_and_varied_as_promised():
    data = corpus()
    assert len(data["plans"]) >= 8
    assert len({p["folder"] for p in data["plans"]}) >= 3
    for p in data["plans"]:
        assert (CORPUS / "clean" / p["file"]).is_file()
    for rule in RULES:
        assert sum(1 for d in data["defects"] if d["rule"] == rule) >= 3, rule
    assert {d["file"] for d in data["defects"]} <= {p["file"] for p in data["plans"]}


def test_clean_plans_have_no_findings_of_any_severity(result):
    assert result.clean_findings == []


@pytest.mark.parametrize("rule", RULES)
def test_recall_per_rule(result, rule):
    r = result.rules[rule]
    assert r.recall >= 0.9, f"{rule}: found {r.found} of {r.planted}; missed {r.missed}"


def test_recall_overall(result):
    assert result.recall >= 0.95, result.table()


def test_defective_copies_have_no_findings_beyond_the_planted_ones(result):
    extra = [e for r in result.rules.values() for e in r.extra]
    assert extra == []
