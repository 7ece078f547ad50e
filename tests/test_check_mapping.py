"""How validation entries map criteria to tests: ids, numbers in another order, ranges, prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from cgplan import load
from cgplan.check.criteria import map_criteria
from cgplan.check.plan_doc import parse_plan

EXAMPLE = Path(__file__).resolve().parent.parent / "data"

TESTS = """\
# Code Generation Plan: Stripe API Rate Limiter

## Overview
Sustains 500 req/sec of checkout traffic for 10 minutes without dropping a request, as the gap asks.

## Test Strategy

#### Test 1: Load
#### Test 2: Window
#### Test 3: Wait
#### Test 4: Redis down

## Success Criteria Validation
"""


@pytest.fixture(scope="module")
def gap():
    return load(EXAMPLE).gaps[0]


def _map(gap, entries: str):
    return {
        m.criterion.id: (m.test, [r.label for r in m.unresolved])
        for m in map_criteria(gap, parse_plan(TESTS + entries))
    }


def test_short_ids_counted_in_another_order_map_by_their_wording(gap):
    got = _map(
        gap,
        "- [ ] SC1 Queueing delay stays under 2 seconds at the 90th percentile — Test 3\n"
        "- [ ] SC2 Sustains 500 req/sec of checkout traffic for 10 minutes without dropping a request — Test 1\n"
        "- [ ] SC3 Stripe receives at most 100 requests in any one-second window — Test 2\n"
        "- [ ] SC4 With Redis unreachable, requests pass through within 50 ms — Test 4\n",
    )
    assert got == {
        "SC1.1": ("Test 1: Load", []),
        "SC1.2": ("Test 2: Window", []),
        "SC1.3": ("Test 3: Wait", []),
        "SC1.4": ("Test 4: Redis down", []),
    }


def test_ranges_and_missing_numbers(gap):
    got = _map(
        gap,
        "- [ ] SC1.1 — Tests 1–3\n- [ ] SC1.2 — see Test 7\n"
        "- [ ] SC1.3 — T-03\n- [ ] SC1.4 — Test 4, backed by Test 9\n",
    )
    assert got["SC1.1"] == ("Test 1: Load", [])
    assert got["SC1.2"] == (None, ["Test 7"])
    assert got["SC1.3"] == ("Test 3: Wait", [])
    assert got["SC1.4"] == ("Test 4: Redis down", ["Test 9"])


def test_a_criterion_only_in_prose_is_unmapped(gap):
    got = _map(gap, "- [ ] SC1.2 — Test 2\n- [ ] SC1.3 — Test 3\n- [ ] SC1.4 — Test 4\n")
    assert got["SC1.1"] == (None, [])


def test_a_test_column_of_bare_numbers(gap):
    got = _map(
        gap,
        "| Criterion | Tests |\n|---|---|\n"
        "| Sustains 500 req/sec of checkout traffic for 10 minutes without dropping a request | 1 |\n"
        "| Stripe receives at most 100 requests in any one-second window | 2, 9 |\n",
    )
    assert got["SC1.1"] == ("Test 1: Load", [])
    assert got["SC1.2"] == ("Test 2: Window", ["Test 9"])
