"""The checker's faster paths give exactly what the straightforward code gave.

Each test keeps a copy of the plain version of a function (as it was before it
was made faster) and compares the two on every line, label and reference of the
fixture plans and folders, and on generated text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cgplan
from cgplan.check import context as cx
from cgplan.check.rules import vague
from cgplan.fields import norm_key, split_label
from cgplan.mdtree import Line, Seg, clean, parse_text
from cgplan.planparse import Citation, TextLine, _citations, _para_label, docs_cited, parse_plan
from cgplan.resolve import Resolution, StarIndex, _prefix_match, _result

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
FOLDERS = [ROOT / "data", FIXTURES / "seed-rate-limiter", *sorted(p for p in (FIXTURES / "folders").iterdir() if p.is_dir())]
PLAN_FILES = sorted((FIXTURES / "plans").glob("*.md")) + sorted(p for f in FOLDERS for p in f.glob("construction/design/code-generation-plan-*.md"))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _docs():
    return [parse_text(p.read_text(encoding="utf-8"), display=p.name) for p in PLAN_FILES]


def _all_lines(doc) -> list[Line]:
    out = []

    def blocks(bs):
        for b in bs:
            out.extend(b.lines)
            for it in b.items:
                out.extend(it.lines)
                blocks(it.blocks)
            blocks(b.blocks)

    for s in doc.root.walk():
        blocks(s.blocks)
    return out


@pytest.fixture(scope="module")
def docs():
    return _docs()


@pytest.fixture(scope="module")
def plan_lines() -> list[TextLine]:
    return [tl for p in PLAN_FILES for tl in parse_plan(p.read_text(encoding="utf-8"), p.name).lines]


# --------------------------------------------------------------------------- vague-text

_HINTS = ("implement", "test that", "sure it", "ensure it", "handle", "so on", "to be ")


def plain_vague_line(text: str, code: bool) -> str | None:
    """vague_line as it was."""
    if "TODO" in text or "TBD" in text or "FIXME" in text:
        m = vague._MARKER.search(text)
        if m:
            return f"placeholder {m.group(1)}"
    if code:
        return None
    if "[" in text:
        m = vague._PLACEHOLDER.search(text)
        if m:
            return f"template placeholder {m.group(0)}"
    low = text.lower()
    if any(h in low for h in _HINTS):
        m = vague._ANYWHERE.search(text)
        if m:
            return f"vague text {m.group(1)!r}"
    if len(text) > 80:
        return None
    rest = vague._LABEL.sub("", text.strip(), count=1).strip().rstrip(".")
    if rest and vague._WHOLE.match(rest):
        return f"vague text {rest!r}"
    return None


def test_folds_to_ascii_is_every_character_a_case_insensitive_pattern_matches_to_an_ascii_letter():
    letter = re.compile("(?i)[a-z]")
    found = {chr(cp) for cp in range(128, 0x110000) if letter.fullmatch(chr(cp))}
    assert found == set(vague._FOLDS_TO_ASCII)
    assert all(not vague._plain_case("\u00e9" + ch) for ch in found) and vague._plain_case("\u00e9 \u00a7 \u2014")


def test_vague_line_on_every_fixture_line(plan_lines):
    for tl in plan_lines:
        for code in (False, True):
            assert vague.vague_line(tl.text, code) == plain_vague_line(tl.text, code), tl.text


_PHRASES = [
    "implement the logic", "Implement business logic", "IMPLEMENT THE BUSINESS LOGIC", "test that it works", "make sure it works",
    "ensure it works", "handle errors appropriately", "Handle all the errors gracefully", "handle the error as needed", "and so on",
    "or so on", "to be decided", "To Be Determined", "to be defined", "TODO", "TBD", "FIXME", "todo", "tbd", "etc", "...", "\u2026",
    "placeholder", "add the logic", "Write tests", "create the code here", "build the feature", "handle edge cases", "test edge cases",
    "Step 1: ", "- ", "Purpose: ", "[Star Name]", "[path/to/file]", "implementation-sketches.md", "\u0130mplement the logic",
    "\u017fo on", "handle error\u017f properly", "ma\u212ae sure it works", "\u0131mplement logic", "Error Handling", "handles_x", " ",
]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(_PHRASES), st.text(alphabet="aeiklnorstTODBFXME .:-[]()\u0130\u0131\u017f\u212a\u2026", max_size=12)), max_size=8), st.booleans())
def test_vague_line_on_generated_text(parts, code):
    text = "".join(parts)
    assert vague.vague_line(text, code) == plain_vague_line(text, code)


# --------------------------------------------------------------------------- star resolution


class PlainIndex(StarIndex):
    """StarIndex with the last stage as it was (every name sharing a word prefix tried)."""

    def _resolve(self, text: str) -> Resolution:
        from cgplan.resolve import _STOP, _clean_ref

        ref = _clean_ref(text)
        key = norm_key(ref)
        if not key:
            return Resolution(None, [])
        for table in (self.exact, self.alias):
            found = table.get(key)
            if found:
                return _result(found)
        if " " not in key and len(key) >= 2:
            found = self.acronym.get(key)
            if found:
                return _result(found)
        ref_words = [w for w in key.split() if w not in _STOP] or key.split()
        pool = self.by_prefix.get(ref_words[0][:3], set())
        found = {name for name in pool if any(_prefix_match(ref_words, f) for f in self.words[name])}
        if found:
            return _result(found)
        padded = f" {key} "
        pool = set().union(*(self.by_prefix.get(w[:3], set()) for w in key.split()))
        found = {name for name in pool for f in self.words[name] if f and f" {' '.join(f)} " in padded and len(" ".join(f)) >= 4}
        if found:
            longest = max(len(norm_key(n)) for n in found)
            found = {n for n in found if len(norm_key(n)) == longest} if len(found) > 1 else found
            return _result(found)
        return Resolution(None, [])


_SMALL = ["MongoDB Atlas Cluster", "Google Kubernetes Engine", "Amazon SQS Order Queue", "Redis Cache (ElastiCache)", "API Gateway (Express)",
          "Stripe API", "Postgres Primary", "Postgres Replica", "API", "S3", "Cache <primary> & Co", "Orders/Returns API (v2)", "Stripe API"]


@pytest.fixture(scope="module")
def catalogs():
    from cgplan.models import Source, Star

    out = []
    for f in FOLDERS:
        c = cgplan.load(f)
        out.append(c.stars)
    small = [Star(name=n, source=Source("m.md", i + 1)) for i, n in enumerate(_SMALL)]
    small[1].aliases = ["k8s", "GKE cluster"]
    small[-1].aliases = ["pay"]  # a second star of the same name, with other aliases
    small[5].aliases = ["payments gateway"]
    out.append(small)
    return out


def test_resolve_on_every_fixture_mention(catalogs, plan_lines):
    refs = {tl.text for tl in plan_lines} | {w for tl in plan_lines for w in re.split(r"[(),;:]", tl.text)}
    for stars in catalogs:
        new, old = StarIndex(stars), PlainIndex(stars)
        names = [s.name for s in stars] + [a for s in stars for a in s.aliases]
        for ref in sorted(refs | set(names) | {f"the {n} cluster" for n in names} | {f"{a} and {b}" for a in names[:6] for b in names[:6]}):
            assert new.resolve(ref) == old.resolve(ref), ref


@SETTINGS
@given(st.data())
def test_resolve_on_generated_references(catalogs, data):
    stars = data.draw(st.sampled_from(catalogs))
    words = sorted({w for s in stars for w in re.findall(r"\w+", s.name + " " + " ".join(s.aliases))} | {"the", "star", "of", "x"})
    ref = " ".join(data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=6)))
    assert StarIndex(stars).resolve(ref) == PlainIndex(stars).resolve(ref)


# --------------------------------------------------------------------------- labels, citations, gaps


def plain_para_label(ln: Line) -> str | None:
    segs = ln.segs
    if not segs or not (segs[0].strong or (len(segs) > 1 and segs[1].strong)):
        return None
    hit = split_label(ln, None, strict=False)
    return hit[0] if hit else None


def test_para_label_on_every_fixture_line(docs):
    for doc in docs:
        for ln in _all_lines(doc):
            assert _para_label(ln) == plain_para_label(ln)


_SEG = st.builds(Seg, st.sampled_from(["Purpose:", "Purpose", ":", " : rest", "**", " ", "", "\u2b50 ", "Stars This Integrates With:", "x", " ✅:", "- "]), st.booleans(), st.booleans())


@SETTINGS
@given(st.lists(_SEG, max_size=5))
def test_para_label_on_generated_lines(segs):
    assert _para_label(Line(segs, 1)) == plain_para_label(Line(segs, 1))


_TAIL = re.compile(r"[^()\n;\u2014]*(?:\([^()\n]*\)[^()\n;\u2014]*)*")
_CITE_SECT = re.compile(r"(constellation-map\.md|gap-analysis\.md|implementation-sketches\.md)\s*(?:§|&sect;)\s*")
_CITE_SEED = re.compile(r"(constellation-map\.md|gap-analysis\.md|implementation-sketches\.md),?\s*section\s*[\"\u201c]([^\"\u201d]+)[\"\u201d]")
_CITE_DOC = re.compile(r"(constellation-map\.md|gap-analysis\.md|implementation-sketches\.md)")


def plain_citations(lines):
    out = []
    for tl in lines:
        text = tl.text
        if ".md" not in text or "-" not in text:
            continue
        spans = []
        for m in _CITE_SECT.finditer(text):
            sect = clean(_TAIL.match(text[m.end() : m.end() + 200]).group(0).strip("`*_\"' ,."))
            out.append(Citation(m.group(1), sect, tl.line))
            spans.append(m.start())
        for m in _CITE_SEED.finditer(text):
            out.append(Citation(m.group(1), clean(m.group(2)), tl.line))
            spans.append(m.start())
        for m in _CITE_DOC.finditer(text):
            if m.start() not in spans:
                out.append(Citation(m.group(1), "", tl.line))
    return out


def plain_docs_cited(lines):
    from cgplan.planparse import _DOC_WORDS, DOC_NAMES

    found = set()
    for tl in lines:
        for doc in DOC_NAMES:
            if doc in tl.text or _DOC_WORDS[doc].search(tl.text):
                found.add(doc)
    return sorted(found)


def test_citations_and_docs_cited_on_fixture_lines(plan_lines):
    assert _citations(plan_lines) == plain_citations(plan_lines)
    for i in range(0, len(plan_lines), 7):
        part = plan_lines[i : i + 7]
        assert docs_cited(part) == plain_docs_cited(part)


_CITE_BITS = ["constellation-map.md", "gap-analysis.md", "implementation-sketches.md", " § ", "&sect;", "§", " section ", ', section "X"', " \u201cY\u201d", "Star: Redis (v2)", " (", ")", "; ", " \u2014 ", "-", "Gap 1", "sketch 2", "Constellation Map", ".md", " "]


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(_CITE_BITS), max_size=8).map("".join), max_size=6))
def test_citations_on_generated_lines(texts):
    lines = [TextLine(t, i + 1) for i, t in enumerate(texts)]
    assert _citations(lines) == plain_citations(lines)
    assert docs_cited(lines) == plain_docs_cited(lines)


def test_gap_by_slug_finds_the_same_gap_as_the_scan(tmp_path):
    for f in FOLDERS:
        c = cgplan.load(f)
        ctx = cx.Context.of(c)
        names = [f"code-generation-plan-{g.slug}.md" for g in c.gaps] + ["code-generation-plan-nope.md", "other.md"]
        for name in names:
            parsed = parse_plan("# Code Generation Plan: " + (c.gaps[0].name if c.gaps else "x") + "\n", name)
            assert cx.gap_for(c, Path(name), parsed, ctx.gap_by_slug()) is cx.gap_for(c, Path(name), parsed)
