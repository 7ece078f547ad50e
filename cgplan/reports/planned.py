"""What a plan asks to be built and tested, read through the checker's parser.

Works on any plan ``cgplan check`` can parse, generated or written by a person or
an LLM: test names come from a ``Test Name:`` line, else from the ``it('…')`` /
``def test_…`` / ``func Test…`` of the test's code block, else from its heading;
test files from ``Test File:`` lines; component files from ``File:`` lines;
signatures from the code under a component's signatures heading. The gap's
decisions file (``construction/design/decisions/<gap>.yaml``) renames a criterion's test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cgplan.check.context import Context, PlanFile, find_plans, load_plan
from cgplan.check.criteria import map_criteria
from cgplan.check.plan_doc import ParsedPlan, PlanTest, TextLine
from cgplan.model.construction import Construction, Criterion, Gap
from cgplan.plan.decisions import load_decisions
from cgplan.plan.naming import guess_language
from cgplan.reports.testnames import EXTENSIONS, name_key


@dataclass
class PlannedTest:
    """A test the plan names."""

    name: str
    """Its name (the decisions file's, when it renames it)."""
    kind: str
    """``integration``, ``failure``, ``criterion`` or ``other``."""
    title: str
    """The heading it is planned under (empty for a name only the validation list gives)."""
    line: int
    """1-based line in the plan."""
    file: str | None = None
    """The test file the plan names for it."""
    criteria: list[str] = field(default_factory=list)
    """Ids of the criteria it is mapped to."""
    aliases: list[str] = field(default_factory=list)
    """Other names it goes by (the plan's own name when the decisions file renames it)."""
    star: str | None = None
    """The star an integration or failure test is about."""

    @property
    def keys(self) -> set[str]:
        return {k for k in (name_key(n) for n in [self.name, *self.aliases]) if k}


@dataclass
class PlannedComponent:
    """A component of the plan."""

    name: str
    """Its name."""
    line: int
    """1-based line of its heading."""
    file: str | None
    """The file the plan names for it."""
    signatures: list[list[str]]
    """Each signature's code lines, as written."""
    stars: list[str]
    """The stars it integrates with."""


@dataclass
class PlannedCriterion:
    """A success criterion and the tests mapped to it."""

    criterion: Criterion
    """The gap's criterion."""
    tests: list[PlannedTest]
    """Mapped tests, the one the validation list names first; empty when unmapped."""


@dataclass
class GapPlan:
    """One gap, its plan (if any) and what the plan says about code and tests."""

    gap: Gap
    """The gap."""
    plan: PlanFile | None
    """Its plan, ``None`` when it has none."""
    lang: str = ""
    """The language the plan's files are in (``python``, ``typescript`` …), ``""`` when it shows none."""
    tests: list[PlannedTest] = field(default_factory=list)
    """Every planned test, in plan order (criterion tests included)."""
    criteria: list[PlannedCriterion] = field(default_factory=list)
    """One per success criterion, in the gap's order."""
    components: list[PlannedComponent] = field(default_factory=list)
    """Components in plan order."""
    context_block: list[str] = field(default_factory=list)
    """The plan's CONSTELLATION CONTEXT block for generated files, if it writes one."""


_TEST_NAME = re.compile(r"(?i)^test(?: case)? name\s*[:\-\u2013\u2014]\s*[`\"']?(.+?)[`\"']?\s*(?:\(proposed\))?$")
_TEST_FILE = re.compile(r"(?i)^test files?\s*[:\-\u2013\u2014]\s*[`\"']?([^\s`\"']+)")
_FILE = re.compile(r"(?i)^(?:source )?file\s*[:\-\u2013\u2014]\s*[`\"']?([^\s`\"']+)")
_CODE_NAME = (
    re.compile(r"""(?<![\w.$])(?:it|test)\s*\(\s*(['"`])((?:\\.|(?!\1).)+)\1"""),
    re.compile(r"\bdef\s+(test\w+)"),
    re.compile(r"\bfunc\s+(Test\w+)"),
)
_CRIT = re.compile(r"\bSC\s?(\d+)\.(\d+)\b")
_HEAD_NUM = re.compile(r"(?i)^(?:test|scenario)\s*\d+\s*[:.)\-\u2013\u2014]\s*")


def plan_language(parsed: ParsedPlan, files: list[str]) -> str:
    """The plan's language: its files' extensions first, else the words of its text."""
    counts: dict[str, int] = {}
    for f in files:
        m = re.search(r"(\.[A-Za-z]+)$", f)
        lang = EXTENSIONS.get(m.group(1).lower()) if m else None
        if lang:
            counts[lang] = counts.get(lang, 0) + 1
    if counts:
        return max(sorted(counts), key=lambda k: counts[k])
    guess = guess_language([tl.text for tl in parsed.lines if tl.code])
    return guess if guess in ("python", "typescript", "go", "java") else ""


def _test_ranges(parsed: ParsedPlan) -> list[tuple[PlanTest, int]]:
    stops = sorted(
        {t.line for t in parsed.tests}
        | {p.line for p in parsed.parts.values()}
        | {c.line for c in parsed.components}
        | {10**9}
    )
    out = []
    for t in parsed.tests:
        end = next(s for s in stops if s > t.line) - 1
        out.append((t, end))
    return out


def _name_of(test: PlanTest, lines: list[TextLine]) -> str:
    for tl in lines:
        if not tl.code:
            m = _TEST_NAME.match(tl.text)
            if m:
                return m.group(1).strip("`\"' ")
    for tl in lines:
        if tl.code:
            for rx in _CODE_NAME:
                m = rx.search(tl.text)
                if m:
                    return m.group(m.lastindex)
    return _HEAD_NUM.sub("", test.title).strip() or test.title


def _files_before(parsed: ParsedPlan) -> list[tuple[int, str]]:
    out = []
    for tl in parsed.lines:
        if not tl.code:
            m = _TEST_FILE.match(tl.text)
            if m:
                out.append((tl.line, m.group(1)))
    return out


def _components(parsed: ParsedPlan) -> list[PlannedComponent]:
    out = []
    for comp in parsed.components:
        file = None
        for tl in comp.lines:
            if not tl.code:
                m = _FILE.match(tl.text)
                if m and "." in m.group(1).rsplit("/", 1)[-1]:
                    file = m.group(1)
                    break
        sigs: list[list[str]] = []
        part = comp.parts.get("signatures")
        if part is not None:
            later = [p.line for p in comp.parts.values() if p.line > part.line]
            end = min(later) - 1 if later else (comp.lines[-1].line if comp.lines else part.line)
            block: list[str] = []
            last = -1
            for tl in parsed.lines_between(part.line, end):
                if tl.code and (last < 0 or tl.line <= last + 2):
                    block.append(tl.text)
                elif tl.code:
                    sigs.append(block)
                    block = [tl.text]
                elif block:
                    sigs.append(block)
                    block = []
                last = tl.line if tl.code else -1
            if block:
                sigs.append(block)
        stars = []
        for m in comp.stars:
            name = m.text.strip("*_` ")
            if name not in stars:
                stars.append(name)
        out.append(PlannedComponent(comp.name, comp.line, file, sigs, stars))
    return out


def _context_block(parsed: ParsedPlan) -> list[str]:
    lines = parsed.lines
    for i, tl in enumerate(lines):
        if tl.code and tl.text.strip().upper() == "CONSTELLATION CONTEXT":
            block = [tl.text.strip()]
            for nxt in lines[i + 1 :]:
                if not nxt.code or nxt.line != tl.line + len(block):
                    break
                block.append(nxt.text.strip())
            return block
    return []


def gap_plan(ctx: Context, gap: Gap, plan: PlanFile | None) -> GapPlan:
    """What ``plan`` says about ``gap``'s code and tests (an empty :class:`GapPlan` without a plan)."""
    if plan is None:
        return GapPlan(gap, None, criteria=[PlannedCriterion(c, []) for c in gap.success_criteria])
    parsed = plan.parsed
    comps = _components(parsed)
    test_files = _files_before(parsed)
    tests: list[PlannedTest] = []
    by_title: dict[str, PlannedTest] = {}
    for t, end in _test_ranges(parsed):
        body = parsed.lines_between(t.line + 1, end)
        name = _name_of(t, body)
        file = None
        for at, f in test_files:
            if at <= end:
                file = f
        crits = []
        for m in _CRIT.finditer(t.text):
            cid = f"SC{m.group(1)}.{m.group(2)}"
            if cid not in crits:
                crits.append(cid)
        kind = t.kind if t.kind in ("integration", "failure") else "criterion" if crits else "other"
        pt = PlannedTest(name, kind, t.title, t.line, file, crits, star=t.star)
        tests.append(pt)
        by_title[t.title] = pt
    default_file = test_files[0][1] if test_files else None
    decisions = load_decisions(ctx.construction, gap)
    criteria: list[PlannedCriterion] = []
    by_key: dict[str, PlannedTest] = {}
    for pt in tests:
        by_key.setdefault(name_key(pt.name), pt)
    for m in map_criteria(gap, parsed):
        cid = m.criterion.id
        mapped: list[PlannedTest] = []
        named = m.test
        if named is not None:
            named = by_title[named].name if named in by_title else named
        renamed = decisions.tests.get(cid)
        if renamed and named and name_key(renamed) != name_key(named):
            pt = by_key.get(name_key(named))
            if pt is not None and pt.kind != "criterion":
                pt = None
            if pt is None:
                pt = PlannedTest(renamed, "criterion", "", m.item.line if m.item else 0, default_file, [cid])
                tests.append(pt)
            else:
                pt.aliases.append(pt.name)
                pt.name = renamed
            by_key[name_key(renamed)] = pt
            named = renamed
        elif renamed and not named:
            named = renamed
        if named:
            pt = by_key.get(name_key(named))
            if pt is None:
                pt = PlannedTest(named, "criterion", "", m.item.line if m.item else 0, default_file, [cid])
                tests.append(pt)
                by_key[name_key(named)] = pt
            if cid not in pt.criteria:
                pt.criteria.insert(0, cid)
            mapped.append(pt)
        for pt in tests:
            if cid in pt.criteria and pt not in mapped:
                mapped.append(pt)
        criteria.append(PlannedCriterion(m.criterion, mapped))
    files = [c.file for c in comps if c.file] + [f for _, f in test_files]
    return GapPlan(
        gap,
        plan,
        lang=plan_language(parsed, files),
        tests=tests,
        criteria=criteria,
        components=comps,
        context_block=_context_block(parsed),
    )


def plans_by_gap(construction: Construction, ctx: Context | None = None) -> dict[str, PlanFile]:
    """The plan of each gap that has one, by gap slug (the first file found, in file-name order)."""
    ctx = ctx or Context.of(construction)
    by_gap: dict[str, PlanFile] = {}
    for path in find_plans(construction):
        pf = load_plan(ctx, path)
        if pf.gap is not None and pf.gap.slug not in by_gap:
            by_gap[pf.gap.slug] = pf
    return by_gap


def gap_plans(construction: Construction, gaps: list[Gap] | None = None) -> list[GapPlan]:
    """:func:`gap_plan` for ``gaps`` (default: every gap), with the plans found in ``construction/design/``."""
    ctx = Context.of(construction)
    by_gap = plans_by_gap(construction, ctx)
    return [gap_plan(ctx, g, by_gap.get(g.slug)) for g in (gaps if gaps is not None else construction.gaps)]
