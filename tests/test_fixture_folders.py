"""Each fixture folder's expected.json states, by hand, what a correct parser extracts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cgplan import load
from cgplan.reports.inspect import summary

FOLDERS = sorted(p.parent for p in (Path(__file__).parent / "fixtures" / "folders").glob("*/expected.json"))
PROBLEM_KINDS = {"unknown-star", "gap-without-sketch", "sketch-without-gap", "duplicate-star"}


@pytest.fixture(params=FOLDERS, ids=[p.name for p in FOLDERS])
def case(request):
    folder = request.param
    return summary(load(folder)), json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def test_system(case):
    got, want = case
    assert got["system"] == want["system"]


def test_stars(case):
    got, want = case
    assert [s["name"] for s in got["stars"]] == want["stars"]


def test_gaps(case):
    got, want = case
    fields = ("number", "name", "priority", "constraints", "connects_to")
    assert [{k: g[k] for k in fields} for g in got["gaps"]] == [{k: g[k] for k in fields} for g in want["gaps"]]
    assert [[c["text"] for c in g["success_criteria"]] for g in got["gaps"]] == [
        g["success_criteria"] for g in want["gaps"]
    ]


def test_non_gaps(case):
    got, want = case
    assert [{"name": n["name"], "covered_by": n["covered_by"]} for n in got["non_gaps"]] == want.get("non_gaps", [])


def test_sketches(case):
    got, want = case
    fields = ("title", "gap", "components", "stars")
    assert [{k: s[k] for k in fields} for s in got["sketches"]] == [{k: s[k] for k in fields} for s in want["sketches"]]


def _problem_key(p: dict) -> tuple:
    return (
        p["kind"],
        p.get("name"),
        p.get("gap") if p["kind"] == "gap-without-sketch" else None,
        p.get("sketch") if p["kind"] == "sketch-without-gap" else None,
    )


def test_problems(case):
    got, want = case
    got_keys = sorted({_problem_key(p) for p in got["problems"] if p["kind"] in PROBLEM_KINDS}, key=str)
    want_keys = sorted({_problem_key(p) for p in want["problems"]}, key=str)
    assert got_keys == want_keys
