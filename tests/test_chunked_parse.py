"""Large documents are parsed in pieces split at headings; the result must equal a whole parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from cgplan import mdtree
from cgplan.report import summary

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = sorted(
    p
    for p in [*(FIXTURES / "folders").rglob("*.md"), *(FIXTURES / "seed-rate-limiter").rglob("*.md"), *(Path(__file__).parent.parent / "data").rglob("*.md")]
    if "construction" in p.parts and "code-generation-plan" not in p.name
)
FOLDERS = sorted({p.parents[2] for p in DOCS if p.parent.name in ("requirements", "design")})


def _dump(sec: mdtree.Section) -> list:
    out = []
    for s in sec.walk():
        out.append((s.title, s.level, s.line, s.end_line))
        for b in s.blocks:
            out.append((b.kind, b.line, b.plain(), [(i.line, i.checked, i.text) for i in b.items]))
    return out


@pytest.mark.parametrize("path", DOCS, ids=[str(p.relative_to(FIXTURES.parent.parent)) for p in DOCS])
def test_pieces_parse_like_the_whole(path, monkeypatch):
    text = mdtree.decode(path.read_bytes(), str(path))
    whole = _dump(mdtree.parse_text(text).root)
    monkeypatch.setattr(mdtree, "CHUNK_BYTES", 1)  # split at every heading allowed
    assert len(mdtree.chunks(text)) > 1 or text.count("\n#") == 0
    assert _dump(mdtree.parse_text(text).root) == whole


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_folder_loads_the_same_in_pieces(folder, monkeypatch):
    import cgplan

    monkeypatch.setenv("CGPLAN_CACHE", "off")
    whole = summary(cgplan.load(folder))
    monkeypatch.setattr(mdtree, "CHUNK_BYTES", 1)
    assert summary(cgplan.load(folder)) == whole


def test_no_split_inside_code_or_comments():
    text = "# A\n\npara\n\n```sh\n\n# not a heading\n```\n\n<!--\n\n# hidden\n-->\n\n## B\n\ntext\n"
    pieces = mdtree.chunks(text, 1)
    assert [t.split("\n", 1)[0] for t, _ in pieces] == ["# A", "## B"]
    assert "".join(t + "\n" for t, _ in pieces).rstrip("\n") == text.rstrip("\n")
