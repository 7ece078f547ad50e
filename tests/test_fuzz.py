"""Structure-aware fuzzing: mutated construction documents never crash cgplan.

Valid documents (the bundled example and the fixture folders) are cut into
sections and fields, then shuffled, dropped, duplicated and drifted (heading
levels, label styles, CRLF, BOM, emoji, HTML comments, hostile names, random
unicode). Loading, planning and checking the result may only raise cgplan's own
errors, never anything else.

Profiles: ``CGPLAN_FUZZ=ci`` (default, a few hundred examples in all, for CI)
or ``CGPLAN_FUZZ=long`` (run by hand; ``CGPLAN_FUZZ_EXAMPLES`` sets the number
of examples per property, default 20000). Show the figures with
``--hypothesis-show-statistics``.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from cgplan.errors import CgplanError
from cgplan.load.folder import load
from cgplan.load.markdown import parse_text

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT / "data"] + sorted(
    p for p in (ROOT / "tests" / "fixtures" / "folders").iterdir() if (p / "construction").is_dir()
)
DOCS = {
    "map": "construction/requirements/constellation-map.md",
    "gaps": "construction/requirements/gap-analysis.md",
    "sketches": "construction/design/implementation-sketches.md",
}
#: Private parent of every folder an example writes (other test runs may share the temp dir).
BASE = tempfile.mkdtemp(prefix="cgplan-fuzz-")
atexit.register(shutil.rmtree, BASE, True)
TEXTS = {
    kind: [(f / rel).read_text(encoding="utf-8") for f in FOLDERS if (f / rel).is_file()] for kind, rel in DOCS.items()
}

_common = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile("cgplan-ci", max_examples=120, derandomize=True, **_common)
settings.register_profile("cgplan-long", max_examples=int(os.environ.get("CGPLAN_FUZZ_EXAMPLES", "20000")), **_common)
FUZZ = settings.get_profile("cgplan-long" if os.environ.get("CGPLAN_FUZZ", "ci") == "long" else "cgplan-ci")

# --------------------------------------------------------------------------- generation

HOSTILE = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "CON",
    "NUL",
    "aux",
    "🚀🔥✨",
    "",
    "   ",
    "`code` **bold** _em_ [link](http://x)",
    "a | b | c",
    "\"; import os; os.system('touch /tmp/pwned') #",
    "__import__('os').system('id')",
    "x" * 300,
    "\u202e\u200b\u0000\ufeff",
    "<!-- comment -->",
    "--",
    "# heading",
    "Ω≈ç√∫ 漢字 العربية",
]

#: Inline and block fragments known to upset Markdown parsers.
SNIPPETS = [
    "[a `x",
    "[`a`b`",
    "| [` |",
    "![`",
    "[x]: <",
    "<details>",
    "</details>",
    "```",
    "~~~",
    "> > >",
    "- - -",
    "1. 1.",
    "***a",
    "\\",
    "&#0;",
    "&bogus;",
    "<!--",
    "-->",
    "\t\t- x",
    "|---|",
    "[^1]",
    "<http://x",
    "<a href='",
    "\u2028",
    "\x0c",
]

_HEADING = re.compile(r"^(#{1,6})(\s.*)?$")
_LABEL = re.compile(r"\*\*([^*\n]{1,60}?):\*\*")


def sections(text: str) -> list[str]:
    """Cut a document at its headings (the first chunk is whatever precedes the first heading)."""
    out: list[list[str]] = [[]]
    fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and _HEADING.match(line) and out[-1]:
            out.append([])
        out[-1].append(line)
    return ["\n".join(s) for s in out]


def _relevel(chunk: str, delta: int) -> str:
    lines = chunk.split("\n")
    m = _HEADING.match(lines[0])
    if m:
        level = min(max(len(m.group(1)) + delta, 1), 6)
        lines[0] = "#" * level + (m.group(2) or "")
    return "\n".join(lines)


LABEL_STYLES = [
    lambda lab: f"**{lab}:**",
    lambda lab: f"**{lab}**:",
    lambda lab: f"{lab}:",
    lambda lab: f"- **{lab}:**",
    lambda lab: f"__{lab}:__",
    lambda lab: f"### {lab}\n",
    lambda lab: f"**{lab.upper()}:**",
    lambda lab: f"**✅ {lab}:**",
]


@st.composite
def mutated(draw, kind: str) -> str:
    """A valid document of ``kind`` after a few random structure-aware edits."""
    text = draw(st.sampled_from(TEXTS[kind]))
    chunks = sections(text)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(
            st.sampled_from(
                [
                    "shuffle",
                    "drop",
                    "dup",
                    "relevel",
                    "label",
                    "dropfield",
                    "emoji",
                    "comment",
                    "details",
                    "unicode",
                    "hostile",
                    "truncate",
                    "table",
                    "sep",
                    "checkbox",
                    "indent",
                ]
            )
        )
        if not chunks:
            break
        i = draw(st.integers(0, len(chunks) - 1))
        if op == "shuffle":
            head, rest = chunks[:1], chunks[1:]
            chunks = head + draw(st.permutations(rest))
        elif op == "drop" and len(chunks) > 1:
            del chunks[i]
        elif op == "dup":
            chunks.insert(i, chunks[i])
        elif op == "relevel":
            chunks[i] = _relevel(chunks[i], draw(st.sampled_from([-2, -1, 1, 2])))
        elif op == "label":
            style = draw(st.sampled_from(LABEL_STYLES))
            chunks[i] = _LABEL.sub(lambda m, style=style: style(m.group(1)), chunks[i], count=draw(st.integers(0, 5)))
        elif op == "dropfield":
            lines = chunks[i].split("\n")
            idx = [n for n, ln in enumerate(lines) if _LABEL.search(ln)]
            if idx:
                del lines[draw(st.sampled_from(idx))]
            chunks[i] = "\n".join(lines)
        elif op == "emoji":
            e = draw(st.sampled_from(["⭐", "🔴", "✅", "❌", "🚀", "👩‍💻", "🇺🇸", "\ufe0f"]))
            lines = chunks[i].split("\n")
            j = draw(st.integers(0, len(lines) - 1))
            lines[j] = lines[j].replace("# ", f"# {e} ", 1) if lines[j].startswith("#") else lines[j] + f" {e}"
            chunks[i] = "\n".join(lines)
        elif op == "comment":
            chunks.insert(
                i, draw(st.sampled_from(["<!-- note -->", "<!-- unclosed", "<!--\n**Type:** fake\n-->", "-->"]))
            )
        elif op == "details":
            chunks[i] = "<details>\n<summary>More</summary>\n\n" + chunks[i] + "\n\n</details>"
        elif op == "unicode":
            junk = draw(st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(SNIPPETS)))
            lines = chunks[i].split("\n")
            lines.insert(draw(st.integers(0, len(lines))), junk)
            chunks[i] = "\n".join(lines)
        elif op == "hostile":
            name = draw(st.sampled_from(HOSTILE))
            lines = chunks[i].split("\n")
            if _HEADING.match(lines[0]) and ":" in lines[0]:
                lines[0] = lines[0].split(":", 1)[0] + ": " + name
            else:
                lines.append(f"- **{name}** via {name}")
            chunks[i] = "\n".join(lines)
        elif op == "truncate":
            cut = draw(st.integers(0, len(chunks[i])))
            chunks[i] = chunks[i][:cut]
        elif op == "table":
            chunks[i] += "\n\n| Name | Value |\n|---|---|\n| **Type:** | x |\n"
        elif op == "sep":
            chunks[i] = re.sub(
                r"(Star|Gap|Sketch)( \d+)?: ",
                lambda m: m.group(1) + (m.group(2) or "") + draw(st.sampled_from([" - ", " — ", ": ", " ", ". "])),
                chunks[i],
                count=1,
            )
        elif op == "checkbox":
            chunks[i] = re.sub(
                r"^- \[ \] ", draw(st.sampled_from(["- ", "1. ", "- [x] ", "* [ ] "])), chunks[i], flags=re.M
            )
        elif op == "indent":
            chunks[i] = re.sub(r"^", draw(st.sampled_from(["  ", "    ", "> ", "\t"])), chunks[i], flags=re.M)
    out = "\n".join(chunks)
    if draw(st.booleans()):
        out = out.replace("\n", "\r\n")
    if draw(st.booleans()):
        out = "\ufeff" + out
    return out


def write_folder(base: Path, docs: dict[str, str]) -> Path:
    for kind, rel in DOCS.items():
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(docs[kind].encode("utf-8", "surrogatepass"))
    return base


folders = st.fixed_dictionaries({kind: st.one_of(mutated(kind), st.sampled_from(TEXTS[kind])) for kind in DOCS})


def _planner():
    try:
        from cgplan.plan.build import build_plan
        from cgplan.render.document import render_json, render_markdown
    except ImportError:
        return None
    return build_plan, render_markdown, render_json


def _checker():
    try:
        from cgplan.check import check_plan_text
    except ImportError:
        return None
    return check_plan_text


# --------------------------------------------------------------------------- properties


@FUZZ
@given(text=st.one_of(st.text(max_size=2000), mutated("map"), mutated("gaps"), mutated("sketches")))
def test_parse_text_raises_only_cgplan_errors(text):
    try:
        doc = parse_text(text, display="doc.md")
    except CgplanError as exc:
        assert "\n" not in str(exc) and "doc.md" in str(exc)
        return
    assert doc.root.level == 0


@FUZZ
@given(docs=folders)
def test_load_raises_only_cgplan_errors(docs):
    with tempfile.TemporaryDirectory(dir=BASE) as tmp:
        try:
            c = load(write_folder(Path(tmp), docs))
        except CgplanError as exc:
            assert "\n" not in str(exc)
            event(f"refused: {type(exc).__name__}")
            return
    event("loaded")
    slugs = [g.slug for g in c.gaps]
    assert len(slugs) == len(set(slugs)), "gap slugs must be unique: they become file names"
    for s in slugs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s), s


@FUZZ
@given(docs=folders)
def test_parse_plan_check_never_crashes(docs):
    planner, checker = _planner(), _checker()
    if planner is None:
        pytest.skip("the planner is not importable yet")
    build_plan, render_markdown, render_json = planner
    with tempfile.TemporaryDirectory(dir=BASE) as tmp:
        try:
            c = load(write_folder(Path(tmp), docs))
        except CgplanError:
            assume(False)
            return
        for gap in c.gaps:
            try:
                plan = build_plan(c, gap)
                text = render_markdown(plan)
                render_json(plan)
            except CgplanError:
                continue
            assert text.endswith("\n") and "cgplan:meta" in text.rstrip().splitlines()[-1]
            if checker is not None:
                try:
                    findings = checker(
                        c, text, str(Path(tmp) / "construction" / "design" / f"code-generation-plan-{gap.slug}.md")
                    )
                except CgplanError:
                    continue
                assert all(f.severity in ("error", "warning", "info") for f in findings)


@FUZZ
@given(docs=folders, noise=st.text(max_size=400))
def test_checker_on_mangled_plans(docs, noise):
    planner, checker = _planner(), _checker()
    if planner is None or checker is None:
        pytest.skip("the planner or checker is not importable yet")
    build_plan, render_markdown, _ = planner
    with tempfile.TemporaryDirectory(dir=BASE) as tmp:
        try:
            c = load(write_folder(Path(tmp), docs))
            text = render_markdown(build_plan(c, c.gaps[0]))
        except CgplanError:
            assume(False)
            return
        lines = text.split("\n")
        cut = len(noise) % max(len(lines), 1)
        mangled = "\n".join(lines[:cut] + [noise] + lines[cut + 1 :])
        for candidate in (mangled, _relevel(mangled, 1), mangled.replace("- [ ]", "-"), noise):
            try:
                checker(c, candidate, "plan.md")
            except CgplanError:
                pass


def test_mutator_really_mutates():
    """The generator is not a no-op: it reaches drifted and hostile documents."""
    seen = set()

    @settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(mutated("map"))
    def collect(text):
        seen.add(text)

    collect()
    originals = set(TEXTS["map"])
    assert len(seen - originals) > 50
    assert any(t.startswith("\ufeff") for t in seen) and any("\r\n" in t for t in seen)


@pytest.fixture(autouse=True, scope="module")
def _no_stray_files():
    yield
    # every example cleans up after itself
    leaked = os.listdir(BASE)
    shutil.rmtree(BASE, ignore_errors=True)
    assert not leaked
