"""Sketch headings in other phrasings still become sketches and find their gap."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import cgplan

FOLDER = Path(__file__).parent / "fixtures" / "folders" / "subheading-fields"
SKETCHES = "construction/design/implementation-sketches.md"

HEADINGS = [
    "## Sketch for Gap 1 — Consent Tracker",
    "## Sketch (Gap 1): Consent Tracker",
    "## Sketch of Consent Tracker",
    "### 🛠️ Sketch 1 - Consent Tracker",
]


@pytest.mark.parametrize("heading", HEADINGS)
def test_sketch_heading_forms(tmp_path, heading):
    shutil.copytree(FOLDER, tmp_path / "f")
    p = tmp_path / "f" / SKETCHES
    text = (
        p.read_text(encoding="utf-8")
        .replace("## Sketch 1: Consent Tracker", heading)
        .replace("**Gap Reference:** Gap 1", "")
    )
    p.write_text(text, encoding="utf-8")
    c = cgplan.load(tmp_path / "f")
    assert [(s.title, s.gap) for s in c.sketches] == [("Consent Tracker", "consent-tracker")]
    assert [cp.name for cp in c.sketches[0].components] == ["ConsentVersionStore", "ConsentAuditLogger"]


def test_a_heading_that_only_mentions_sketches_is_not_one(tmp_path):
    shutil.copytree(FOLDER, tmp_path / "f")
    p = tmp_path / "f" / SKETCHES
    p.write_text(p.read_text(encoding="utf-8") + "\n## Sketches still to write\n\nNone yet.\n", encoding="utf-8")
    assert [s.title for s in cgplan.load(tmp_path / "f").sketches] == ["Consent Tracker"]


def test_fields_as_same_level_headings(tmp_path):
    """``### Gap 1: X`` / ``### Star: X`` followed by their fields as ``###`` siblings."""
    shutil.copytree(FOLDER, tmp_path / "f")
    m = tmp_path / "f" / "construction/requirements/constellation-map.md"
    m.write_text(m.read_text(encoding="utf-8").replace("#### ", "### "), encoding="utf-8")
    g = tmp_path / "f" / "construction/requirements/gap-analysis.md"
    text = g.read_text(encoding="utf-8")
    text = text.replace("**Constraints That Must Shape It:**", "### Constraints That Must Shape It").replace(
        "**Success Criteria:**", "### Success Criteria"
    )
    g.write_text(text, encoding="utf-8")
    c = cgplan.load(tmp_path / "f")
    star = c.stars[0]
    assert (star.type, star.status, [t.text for t in star.errors]) == (
        "Service",
        "Proven in production",
        ["Token expiry after 5 minutes; refresh with refresh token"],
    )
    gap = c.gaps[0]
    assert [t.text for t in gap.constraints] == [
        "Audit trail kept 15 years",
        "Must not store PHI outside the FHIR server",
    ]
    assert [sc.text for sc in gap.success_criteria] == ["100% of consent changes audited", "p99 lookup < 300 ms"]
