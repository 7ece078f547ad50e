"""A plan re-saved with CRLF line endings and a byte-order mark (an editor, git autocrlf) is not an edit."""

from __future__ import annotations

import cgplan
from cgplan.store.plans import plan_path, write_plans
from cgplan.store.status import plan_status


def test_crlf_and_bom_are_not_edits(example):
    c = cgplan.load(example)
    write_plans(c, c.gaps)
    path = plan_path(c, c.gaps[0])
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    states = {row.gap: row.state for row in plan_status(cgplan.load(example))}
    assert states[c.gaps[0].slug] == "up-to-date"
    results = write_plans(cgplan.load(example), c.gaps)
    assert [r.status for r in results if r.gap == c.gaps[0].slug] != ["kept-edited"]
    assert not path.with_name(path.name.replace(".md", ".new.md")).exists()


def test_a_real_edit_still_counts(example):
    c = cgplan.load(example)
    write_plans(c, c.gaps)
    path = plan_path(c, c.gaps[0])
    path.write_text(
        path.read_text(encoding="utf-8").replace("## Test Strategy", "## Test Strategy\n\nOur notes.", 1),
        encoding="utf-8",
    )
    states = {row.gap: row.state for row in plan_status(cgplan.load(example))}
    assert states[c.gaps[0].slug] == "edited"
