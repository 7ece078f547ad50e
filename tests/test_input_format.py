"""docs/input-format.md stays what the loaders recognise.

Its tables are generated from the loaders' vocabularies; this test fails when a
label is added to a loader without regenerating the document (or without saying
what it fills in the plan), and when a warning names a section the document
lacks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cgplan import load
from cgplan.load import constellation, gaps, sketches
from cgplan.reports.input_format import FILLS, block, tables, update

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "input-format.md"


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("table", tables(), ids=lambda t: t.name)
def test_each_generated_table_is_current(table):
    assert block(table) in _doc(), "regenerate with: python -m cgplan.reports.input_format --write docs/input-format.md"


def test_update_is_the_identity_on_the_committed_document():
    assert update(_doc()) == _doc()


@pytest.mark.parametrize(
    "vocab,labels",
    [
        (constellation.STAR_FIELDS, constellation.STAR_LABELS),
        (constellation.INTEGRATION_FIELDS, constellation.INTEGRATION_LABELS),
        (gaps.GAP_FIELDS, gaps.GAP_LABELS),
        (gaps.NON_GAP_FIELDS, gaps.NON_GAP_LABELS),
        (sketches.SKETCH_FIELDS, sketches.SKETCH_LABELS),
    ],
)
def test_every_field_has_a_template_label_and_every_label_is_recognised(vocab, labels):
    assert set(labels) == set(vocab.table)
    for key, label in labels.items():
        assert vocab.key(label) == key, f"the template's label {label!r} must be read as {key!r}"


def test_every_label_says_what_it_fills_and_nothing_is_described_twice():
    tables()  # raises KeyError for a label with no line in FILLS
    used = "\n".join(t.text for t in tables())
    for text in FILLS.values():
        assert text in used, f"a FILLS entry no table shows (a label removed from a loader?): {text[:60]}"


@pytest.mark.parametrize(
    "label,in_doc",
    [
        ("**Error Handling:**", True),
        ("`Integration point`", False),
        ("`integration point`", True),
        ("`what we reuse`", True),
        ("`must connect to`", False),
        ("**Must Connect To:**", True),
    ],
)
def test_hand_picked_labels_appear_as_expected(label, in_doc):
    assert (label in _doc()) is in_doc


def test_anchors_in_the_document_lead_to_its_headings():
    doc = _doc()
    headings = {
        re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#{1,6} (.+)$", doc, re.M)
    }
    anchors = set(re.findall(r"\]\(#([^)]+)\)", doc))
    assert anchors and anchors <= headings, anchors - headings


def test_missing_field_warnings_name_a_section_of_the_document(tmp_path):
    from cgplan.store.init import init_folder

    init_folder(tmp_path)
    gap_doc = tmp_path / "construction" / "requirements" / "gap-analysis.md"
    gap_doc.write_text(gap_doc.read_text(encoding="utf-8").replace("**Must Connect To:**", "**Talks to:**"))
    star_doc = tmp_path / "construction" / "requirements" / "constellation-map.md"
    star_doc.write_text(star_doc.read_text(encoding="utf-8").replace("**Error Handling:**", "**Notes:**"))
    problems = [p for p in load(tmp_path).problems if p.kind == "missing-field"]
    messages = sorted(p.message for p in problems)
    assert messages == [
        "gap 'Overdue Reminders' has no Must Connect To field; add the label **Must Connect To:** "
        "(see docs/input-format.md § Gap fields)",
        "star 'Mail Relay' has no Error Handling field; add the label **Error Handling:** "
        "(see docs/input-format.md § Star fields)",
        "star 'Postgres Catalog DB' has no Error Handling field; add the label **Error Handling:** "
        "(see docs/input-format.md § Star fields)",
    ]
    for section in {m.rsplit("§ ", 1)[1].rstrip(")") for m in messages}:
        assert f"\n### {section}\n" in _doc()


def test_a_label_right_after_a_list_is_still_a_label(tmp_path):
    """Without a blank line, Markdown makes the next label part of the list's last bullet;
    cgplan cuts the list there, so the folder reads as if the blank lines were there."""
    from cgplan.reports.inspect import summary
    from cgplan.store.init import init_folder

    init_folder(tmp_path / "spaced")
    init_folder(tmp_path / "tight")
    for doc in (tmp_path / "tight").rglob("*.md"):
        text = doc.read_text(encoding="utf-8")
        text = re.sub(r"<!--.*?-->\n", "", text, flags=re.S)
        doc.write_text(re.sub(r"\n\n+(\*\*[A-Z])", r"\n\1", text), encoding="utf-8")
    tight_gaps = (tmp_path / "tight" / "construction" / "requirements" / "gap-analysis.md").read_text()
    assert "through the Mail Relay\n**Must Connect To:**\n- Postgres" in tight_gaps

    def facts(root):
        s = summary(load(root))
        drop = {"line", "file", "hash"}

        def strip(value):
            if isinstance(value, dict):
                return {k: strip(v) for k, v in value.items() if k not in drop}
            if isinstance(value, list):
                return [strip(v) for v in value]
            return value

        return strip(s)

    assert facts(tmp_path / "tight") == facts(tmp_path / "spaced")
