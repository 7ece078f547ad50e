"""The plan editor widgets, driven directly: pick stars, rename tests, watch the preview, save."""

from __future__ import annotations

from pathlib import Path

import pytest

import cgplan
from cgplan.jupyter.widgets import PlanEditor, preview_html, star_label
from cgplan.plan.decisions import decisions_path, load_decisions

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def editor(example: Path) -> PlanEditor:
    c = cgplan.load(example)
    return PlanEditor(c, c.gaps[0])


def _first(editor: PlanEditor):
    name = next(iter(editor.pickers))
    return name, editor.pickers[name]


def test_every_catalog_star_is_offered_with_type_and_status_and_the_plans_stars_preselected(editor):
    c = editor.construction
    for cp in editor.plan.components:
        picker = editor.pickers[cp.name]
        assert [value for _label, value in picker.options] == [s.name for s in c.stars]
        assert set(picker.value) == {s.name for s in cp.stars}
        assert picker.value, "each component of the example integrates with at least one star"
    labels = dict((v, k) for k, v in editor.pickers[editor.plan.components[0].name].options)
    assert labels["Redis Cache"] == "Redis Cache — Database · Proven in production"
    assert labels["Amazon SQS Order Queue"] == "Amazon SQS Order Queue — Service · Stable"


def test_picking_stars_rebuilds_the_preview_and_the_decisions(editor):
    name, picker = _first(editor)
    before = editor.preview.value
    new = next(s.name for s in editor.construction.stars if s.name not in picker.value)
    picker.value = (new,)
    assert editor.preview.value != before
    section = editor.preview.value.split(f"Component 1: {name}")[1].split("Component 2")[0]
    assert new in section
    assert editor.decisions().components[name].stars == [new]
    assert "unsaved changes" in editor.status.value
    assert [s.name for s in editor.plan.components[0].stars] == [new]


def test_going_back_to_the_default_choice_records_nothing(editor):
    name, picker = _first(editor)
    original = picker.value
    picker.value = (editor.construction.stars[-1].name,)
    picker.value = original
    assert editor.decisions().is_empty()


def test_renaming_a_test_changes_the_criteria_table_of_the_preview(editor):
    cid, field = next(iter(editor.test_fields.items()))
    field.value = "limits_stripe_calls_per_second"
    assert editor.decisions().tests == {cid: "limits_stripe_calls_per_second"}
    assert "limits_stripe_calls_per_second" in editor.preview.value
    check = next(cc for cc in editor.plan.criteria if cc.id == cid)
    assert (check.test, check.decided) == ("limits_stripe_calls_per_second", True)


def test_save_writes_the_decisions_file_and_a_new_editor_starts_from_it(editor):
    name, picker = _first(editor)
    chosen = tuple(s.name for s in editor.construction.stars[-2:])
    picker.value = chosen
    cid, field = next(iter(editor.test_fields.items()))
    field.value = "my_test"
    path = editor.save()
    assert path == decisions_path(editor.construction, editor.gap) and path.is_file()
    assert "saved to construction/design/decisions/" in editor.status.value
    d = load_decisions(editor.construction, editor.gap)
    assert d.components[name].stars == list(chosen) and d.tests == {cid: "my_test"}

    again = PlanEditor(cgplan.load(editor.construction.root), editor.gap.slug)
    assert set(again.pickers[name].value) == set(chosen)
    assert again.test_fields[cid].value == "my_test"
    assert again.preview.value == editor.preview.value


def test_save_keeps_file_and_signature_decisions_the_editor_does_not_show(example):
    c = cgplan.load(example)
    gap = c.gaps[0]
    comp = c.sketch_for(gap).components[0].name
    path = decisions_path(c, gap)
    path.parent.mkdir(parents=True)
    path.write_text(f"components:\n  {comp}:\n    file: src/limiter.ts\n", encoding="utf-8")
    ed = PlanEditor(c, gap)
    ed.pickers[comp].value = (c.stars[0].name,)
    ed.save()
    d = load_decisions(c, gap)
    assert d.components[comp].file == "src/limiter.ts"
    assert d.components[comp].stars == [c.stars[0].name]


def test_a_malformed_decisions_file_is_reported_not_raised_by_save(editor):
    path = decisions_path(editor.construction, editor.gap)
    path.parent.mkdir(parents=True)
    path.mkdir()  # a folder where the file should go: saving must fail cleanly
    _name, picker = _first(editor)
    picker.value = (editor.construction.stars[-1].name,)
    assert editor.save() is None
    assert "not saved" in editor.status.value


def _with_hostile_star(example: Path) -> Path:
    m = example / "construction" / "requirements" / "constellation-map.md"
    text = m.read_text(encoding="utf-8")
    star = (
        f"### Star: {HOSTILE}\n**Type:** Library <b>bold</b>\n**Status:** Experimental <script>alert(2)</script>\n\n"
        "**Exposed Contracts:**\n- API: `render()` & <i>friends</i>\n\n---\n\n"
    )
    m.write_text(text.replace("## Integration Points", star + "## Integration Points", 1), encoding="utf-8")
    return example


def test_a_star_named_like_html_shows_as_text_everywhere(example):
    c = cgplan.load(_with_hostile_star(example))
    assert c.star(HOSTILE) is not None, "the map's hostile star should parse with its literal name"
    ed = PlanEditor(c, c.gaps[0])
    name, picker = _first(ed)
    assert (star_label(c.star(HOSTILE)), HOSTILE) in picker.options  # option labels are plain text
    picker.value = (HOSTILE,)
    html = ed.preview.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html and "<script" not in html and "<b>" not in html
    assert ed.decisions().components[name].stars == [HOSTILE]
    for w in ed.widget.children[0].children:
        for child in getattr(w, "children", []):
            value = getattr(child, "value", "")
            if isinstance(value, str):
                assert "<img" not in value


def test_preview_html_never_passes_raw_html_through():
    md = (
        f"# Plan: {HOSTILE}\n\nText <script>alert(1)</script> and `<code>` and [x](javascript:alert(1))\n\n"
        f"<!-- cgplan:meta {{}} -->\n"
    )
    html = preview_html(md)
    assert "<script" not in html and "<img" not in html and "javascript:" not in html.split("href=")[-1][:20]
    assert "&lt;script&gt;" in html and "<code>&lt;code&gt;</code>" in html
    assert "cgplan:meta" not in html


def test_the_editor_shows_a_readable_line_where_widgets_cannot_render(editor):
    data = editor._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert data["text/plain"].startswith(f"Plan editor for gap 1: {editor.gap.name} (3 components, 4 criteria)")
    assert "application/vnd.jupyter.widget-view+json" in data
