"""The section/block tree for small Markdown snippets: runs, lines, code, tables, HTML.

Pins what the loaders rely on, case by case (the goldens cover whole documents).
"""

from __future__ import annotations

import pytest

from cgplan.errors import InputError
from cgplan.load.markdown import Seg, parse_text


def runs(line) -> list[tuple[str, bool, bool]]:
    return [(s.text, s.strong, s.code) for s in line.segs]


def only_block(text: str):
    (block,) = parse_text(text).root.blocks
    return block


def test_runs_split_at_escapes_and_references():
    para = only_block("a \\* &amp; b &bogus; \\q\n")
    assert [s.text for s in para.lines[0].segs] == ["a ", "*", " ", "&", " b &bogus; ", "\\q"]
    assert only_block("\\#) x\n").lines[0].segs == [Seg("#"), Seg(") x")]


def test_runs_keep_strong_and_code():
    para = only_block("**Type:** `svc` and *em* [link](u) ![alt](i.png)\n")
    assert runs(para.lines[0]) == [
        ("Type:", True, False),
        (" ", False, False),
        ("svc", False, True),
        (" and ", False, False),
        ("em", False, False),
        (" ", False, False),
        ("link", False, False),
        (" ", False, False),
        ("alt", False, False),
    ]


def test_lines_split_at_breaks_but_not_inside_bold():
    para = only_block("one\ntwo  \nthree\\\n**four\nfive** six\nseven\n")
    assert [(ln.text, ln.line) for ln in para.lines] == [
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four five six", 4),
        ("seven", 6),
    ]


def test_inline_html():
    para = only_block("a<br>b <b>c</b> <!-- note --> <primary> <x-y>\n")
    assert para.lines[0].text == "a b c <primary> <x-y>"


def test_autolinks_are_their_address():
    para = only_block("<http://x.y/ä?q=1> <a@b.c>\n")
    assert [s.text for s in para.lines[0].segs] == ["http://x.y/%C3%A4?q=1", " ", "mailto:a@b.c"]


def test_code_blocks():
    fence, indented, open_ = parse_text("```py x \\{ &amp;\ncode\n```\n\n    indented\n\n~~~\nleft open").root.blocks
    assert (fence.kind, fence.info, fence.text, fence.line) == ("fence", "py x \\{ &amp;", "code\n", 1)
    assert (indented.info, indented.text, indented.line) == ("", "indented\n", 5)
    assert (open_.text, open_.line) == ("left open\n", 7)


def test_tables_pad_and_cut_rows():
    table = only_block("| A | **B** |\n|:--|--:|\n| 1 |\n| `a\\|b` | 2 | 3 |\n")
    assert table.kind == "table" and table.rows == [["A", "B"], ["1", ""], ["a|b", "2"]]


def test_a_table_may_follow_a_paragraph_line():
    para, table = parse_text("Fields\n| A | B |\n|---|---|\n| 1 | 2 |\n").root.blocks
    assert para.lines[0].text == "Fields" and table.rows == [["A", "B"], ["1", "2"]] and table.line == 2


def test_lists_items_and_checkboxes():
    (lst,) = parse_text("- [ ] todo\n- [x] done\n- plain\n  more\n\n  para\n- # heading\n").root.blocks
    assert [(i.line, i.text, i.checked) for i in lst.items] == [
        (1, "todo", False),
        (2, "done", True),
        (3, "plain more", None),
        (7, "", None),
    ]
    assert [ln.line for ln in lst.items[2].lines] == [3, 4]
    assert lst.items[2].blocks[0].line == 6
    assert runs(lst.items[3].blocks[0].lines[0]) == [("heading", True, False)]


def test_tight_item_keeps_its_first_text_and_nested_blocks():
    (lst,) = parse_text("- a\n  ```\n  x\n  ```\n  b\n- c\n  - d\n").root.blocks
    first, second = lst.items
    assert first.text == "a" and [b.kind for b in first.blocks] == ["fence"]  # text after the code is not a block
    assert second.text == "c" and second.blocks[0].items[0].text == "d"


def test_sections_and_lines():
    doc = parse_text("\ufeffintro\r\n\r\n# One\r\n\r\ntext\r\n\r\n## Two\r\n\r\nx\r\n\r\n# Three\r\n")
    one, three = doc.root.children
    assert (one.title, one.line, one.end_line) == ("One", 3, 10)
    assert (one.children[0].title, one.children[0].line, one.children[0].end_line) == ("Two", 7, 10)
    assert (three.title, three.line, three.end_line) == ("Three", 11, 12)
    assert doc.root.blocks[0].lines[0].text == "intro"


def test_underlined_headings_are_skipped():
    doc = parse_text("Title\n=====\n\ntext\n\nSub\n---\n")
    assert doc.root.children == [] and [b.plain() for b in doc.root.blocks] == ["text"]


def test_comments_dropped_and_details_unwrapped():
    doc = parse_text(
        "# S\n\n<!--\n**Type:** fake\n-->\n\n"
        "<details>\n<summary>More</summary>\n\n- **Type:** real\n- two\n\n</details>\n"
    )
    (sec,) = doc.root.children
    (lst,) = sec.blocks
    assert lst.kind == "list" and [(i.line, i.text) for i in lst.items] == [(10, "Type: real"), (11, "two")]


def test_quotes():
    quote = only_block("> **a**\n>\n> - b\n> > c\n")
    assert quote.kind == "quote" and [b.kind for b in quote.blocks] == ["para", "list", "quote"]
    assert quote.blocks[2].blocks[0].lines[0].text == "c"


def test_tab_indented_lines_are_counted_exactly():
    (lst,) = parse_text("- a\n\n\t**G:** 1\n\t**P:** 2\n\t**E:** 3\n").root.blocks
    assert [ln.line for ln in lst.items[0].blocks[0].lines] == [3, 4, 5]


def test_open_backtick_after_bracket():
    doc = parse_text("See [the `retry policy and [`a`b` and\n\n| a | b |\n|---|---|\n| [` | x |\n")
    para, table = doc.root.blocks
    assert para.lines[0].text == "See [the retry policy and [ab and" and table.rows == [["a", "b"], ["[`", "x"]]


@pytest.mark.parametrize(
    "text,message", [("> " * 100 + "x\n", "nesting deeper"), ("*a " * 300 + "x" + " b*" * 300 + "\n", "nested deeper")]
)
def test_hostile_nesting_is_refused(text, message):
    with pytest.raises(InputError, match=message):
        parse_text(text)


def test_text_merged_by_cgplan_equals_text_merged_by_pyromark():
    """pyromark 0.9 (the last with CPython 3.10 wheels) leaves adjacent text unmerged; cgplan merges it the same way."""
    from pathlib import Path

    from cgplan.load.markdown import _MD, _merged_text

    root = Path(__file__).resolve().parent.parent
    documents = sorted((root / "tests" / "fixtures").rglob("*.md")) + sorted((root / "data").rglob("*.md"))
    assert len(documents) > 40
    for path in documents:
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        ours = list(_merged_text(_MD.events_with_range(text)))
        try:
            theirs = list(_MD.events_with_range(text, merge_text=True))
        except TypeError:
            pytest.skip("this pyromark cannot merge text itself (0.9)")
        assert ours == theirs, path
