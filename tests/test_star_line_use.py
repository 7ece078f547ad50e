"""A sketch's star line ``- Postgres Catalog DB: reads overdue loans`` says what is used of the star.

The fixture folder is written the way the README alone suggests: stars without
Exposed Contracts, star lines with a description and no sub-bullets.
"""

from __future__ import annotations

from pathlib import Path

from cgplan import load
from cgplan.plan.build import build_plan
from cgplan.render.document import render_markdown

FOLDER = Path(__file__).parent / "fixtures" / "star-line-use"


def test_the_star_lines_description_is_what_the_sketch_uses():
    c = load(FOLDER)
    [sketch] = c.sketches
    assert [(s.ref.text, s.reuse) for s in sketch.stars] == [
        ("Postgres Catalog DB", "reads overdue loans"),
        ("Mail Relay", "sends the reminder emails"),
    ]


def test_the_plan_says_what_each_component_uses_of_its_star():
    c = load(FOLDER)
    text = render_markdown(build_plan(c, c.gaps[0]))
    assert "- **Postgres Catalog DB** (constellation-map.md § Star: Postgres Catalog DB)\n" in text
    assert "  - Uses: reads overdue loans (implementation-sketches.md § Sketch 1: Overdue Reminders)\n" in text
    assert "  - Uses: sends the reminder emails (implementation-sketches.md § Sketch 1: Overdue Reminders)\n" in text
    assert "not stated" not in text


def test_a_what_we_reuse_sub_bullet_wins_and_a_source_note_is_not_a_use(tmp_path):
    import shutil

    shutil.copytree(FOLDER, tmp_path / "f")
    sketches = tmp_path / "f" / "construction" / "design" / "implementation-sketches.md"
    text = sketches.read_text(encoding="utf-8")
    text = text.replace(
        "- Postgres Catalog DB: reads overdue loans",
        "- Postgres Catalog DB: reads overdue loans\n  - What we reuse: the `loans` table",
    ).replace(
        "- Mail Relay: sends the reminder emails",
        "- **Mail Relay** (from construction/requirements/constellation-map.md)",
    )
    sketches.write_text(text, encoding="utf-8")
    [sketch] = load(tmp_path / "f").sketches
    assert [(s.ref.text, s.reuse) for s in sketch.stars] == [
        ("Postgres Catalog DB", "the loans table"),
        ("Mail Relay", ""),
    ]
