"""Unusable documents give one line naming the file (and line) and what to do; exit 2; no traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

MAP = "construction/requirements/constellation-map.md"
GAPS = "construction/requirements/gap-analysis.md"
SKETCHES = "construction/design/implementation-sketches.md"


def _remove(p: Path) -> None:
    p.unlink()


def _dir(p: Path) -> None:
    p.unlink()
    p.mkdir()


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _blank(p: Path) -> None:
    p.write_bytes(b"  \n\n \r\n")


def _bad_utf8(p: Path) -> None:
    p.write_bytes(p.read_bytes().replace(b"Stars", b"St\xffrs", 1))


def _nul(p: Path) -> None:
    p.write_bytes(b"# Title\n\nsome\x00binary\n")


def _deep_quotes(p: Path) -> None:
    p.write_bytes(p.read_bytes() + b"\n" + b"> " * 5000 + b"deep\n")


def _deep_lists(p: Path) -> None:
    p.write_bytes(p.read_bytes() + b"\n" + b"- " * 5000 + b"deep\n")


def _no_stars(p: Path) -> None:
    p.write_text("# System Constellation Map: X\n\n## Overview\n\nNothing here.\n", encoding="utf-8")


def _no_gaps(p: Path) -> None:
    p.write_text("# Gap Analysis: X\n\n## Executive Summary\n\nNothing missing.\n", encoding="utf-8")


CASES = [
    ("missing map", MAP, _remove, "file not found", None),
    ("missing sketches", SKETCHES, _remove, "file not found", None),
    ("directory instead of file", GAPS, _dir, "is a directory", None),
    ("empty file", MAP, _empty, "file is empty", None),
    ("whitespace only", GAPS, _blank, "file is empty", None),
    ("invalid utf-8", MAP, _bad_utf8, "invalid UTF-8", "line"),
    ("NUL bytes", SKETCHES, _nul, "NUL bytes", "line"),
    ("deep block quotes", GAPS, _deep_quotes, "nesting deeper", "line"),
    ("deep lists", SKETCHES, _deep_lists, "nesting deeper", "line"),
    ("no stars", MAP, _no_stars, "no stars found", None),
    ("no gaps", GAPS, _no_gaps, "no gaps found", None),
]


@pytest.mark.parametrize("name,doc,mutate,message,has_line", CASES, ids=[c[0] for c in CASES])
def test_bad_document(example, name, doc, mutate, message, has_line):
    mutate(example / doc)
    proc = subprocess.run(
        [sys.executable, "-m", "cgplan.cli", "inspect", "--dir", str(example)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert doc in lines[0] and message in lines[0]
    if has_line:
        assert re.search(re.escape(doc) + r":\d+: ", lines[0]), lines[0]


def test_missing_folder(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "cgplan.cli", "inspect", "--dir", str(tmp_path / "nope")], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "folder not found" in proc.stderr and "Traceback" not in proc.stderr


def test_folder_without_construction(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "cgplan.cli", "inspect", "--dir", str(tmp_path)], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "no construction/ folder" in proc.stderr


def test_very_long_line_parses(example):
    p = example / MAP
    p.write_text(p.read_text(encoding="utf-8") + "\n" + "word " * 400_000 + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "cgplan.cli", "inspect", "--dir", str(example)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
