"""`cgplan inspect` / `cgplan gaps` as a user runs them, and their exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cgplan.cli import main

FOLDERS = Path(__file__).parent / "fixtures" / "folders"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cgplan.cli", *args], capture_output=True, text=True)


def test_inspect_json_shape(example):
    proc = run("inspect", "--json", "--dir", str(example))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"system", "stars", "integrations", "gaps", "non_gaps", "sketches", "problems"}
    assert data["system"] == "Checkout Payments Platform"
    star = data["stars"][0]
    assert {"name", "type", "status", "aliases"} <= set(star)
    assert all(len(i["between"]) == 2 for i in data["integrations"])
    gap = data["gaps"][0]
    assert {"number", "name", "slug", "priority", "constraints", "connects_to", "success_criteria"} <= set(gap)
    assert gap["slug"] == "stripe-api-rate-limiter"
    assert "Redis Cache" in gap["connects_to"]  # written as **Redis** in the gap analysis
    assert all(sc["id"].startswith("SC1.") for sc in gap["success_criteria"])
    assert data["sketches"][0]["gap"] == gap["name"]
    assert data["problems"] == []


def test_inspect_accepts_construction_dir_itself(example):
    assert run("inspect", "--json", "--dir", str(example / "construction")).returncode == 0


def test_inspect_text_lists_everything(example):
    proc = run("inspect", "--dir", str(example))
    assert proc.returncode == 0
    for text in ("Stars (7)", "Gaps (4)", "Stripe API Rate Limiter", "Critical", "Problems: 0 error(s)"):
        assert text in proc.stdout


def test_problems_give_exit_1():
    proc = run("inspect", "--json", "--dir", str(FOLDERS / "aliases-and-problems"))
    assert proc.returncode == 1
    kinds = {p["kind"] for p in json.loads(proc.stdout)["problems"]}
    assert {"unknown-star", "gap-without-sketch", "sketch-without-gap", "duplicate-star"} <= kinds
    for p in json.loads(proc.stdout)["problems"]:
        assert p["file"].startswith("construction/") and p["line"] >= 1 and p["message"]


def test_plain_strings_in_json():
    data = json.loads(run("inspect", "--json", "--dir", str(FOLDERS / "heading-drift")).stdout)
    for name in [s["name"] for s in data["stars"]] + [g["name"] for g in data["gaps"]]:
        assert "**" not in name and "⭐" not in name and "🔴" not in name and not name.startswith(("-", "["))


def test_gaps_command(example, capsys):
    assert main(["gaps", "--dir", str(example)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0].split() == ["1", "stripe-api-rate-limiter", "Critical", "sketch"]


def test_missing_sketch_shows_in_gaps(capsys):
    main(["gaps", "--dir", str(FOLDERS / "aliases-and-problems")])
    assert "no-sketch" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--help"], ["inspect", "--help"], ["gaps", "--help"]])
def test_help_explains(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "--dir" in capsys.readouterr().out or argv == ["--help"]
