"""Trace every success criterion and every planned star test to a test in the code and its result.

``coverage`` is the planned view (which test the plan names for each criterion);
``trace`` adds where that test is defined (file:line, found by the naming rule of
:mod:`cgplan.reports.testnames` or a ``cgplan:`` marker comment) and how it ended
in the JUnit XML reports given (passed, failed, error, skipped, not run).

A criterion is **verified** only when every test mapped to it is found and passed.
Runs in the core install: pandas is imported only by :func:`trace`, which returns a
DataFrame for notebooks (``cgplan.trace(c, tests=[...], junit=[...])``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cgplan.errors import UsageError
from cgplan.model.construction import Construction
from cgplan.reports.junit import Case, NotJUnit, combine, junit_files, read_junit
from cgplan.reports.testnames import CodeTest, find_code_tests, name_key, name_words

if TYPE_CHECKING:
    from cgplan.reports.planned import GapPlan, PlannedTest

COLUMNS = ["gap", "kind", "criterion_id", "criterion", "test", "plan", "found", "code_name", "result"]
"""Columns of the trace table (``kind``: criterion, integration or failure)."""
SUMMARY_COLUMNS = ["gap", "plan", "criteria", "mapped", "found", "verified", "integration", "failure"]
"""Columns of the per-gap summary (``integration`` and ``failure``: planned tests passing / total)."""
FORMATS = ("table", "csv", "markdown", "json")
"""Output formats of ``cgplan trace``."""
LEVELS = ("mapped", "found", "passing")
"""What ``--require`` can ask of every criterion."""
WIDTH = 100
"""Widest line of the table format."""


@dataclass
class TraceRow:
    """One criterion × one mapped test, or one planned integration or failure test."""

    gap: str
    """Gap slug."""
    kind: str
    """``criterion``, ``integration`` or ``failure``."""
    criterion_id: str
    """``SC1.2`` for a criterion row, empty otherwise."""
    criterion: str
    """The criterion's text (criterion rows)."""
    test: str
    """The test as the plan names it (empty: the criterion has no test)."""
    plan: str
    """The plan file, or ``no plan``."""
    found: str = ""
    """``file:line`` of its definition in the code, empty when not found."""
    code_name: str = ""
    """Its name in the code (its ``it`` title for JavaScript and TypeScript)."""
    result: str = "not run"
    """``passed``, ``failed``, ``error``, ``skipped`` or ``not run``."""


@dataclass
class GapSummary:
    """Per gap: how many criteria are mapped, found and verified; planned star tests passing."""

    gap: str
    plan: str
    criteria: int = 0
    mapped: int = 0
    found: int = 0
    verified: int = 0
    integration_passing: int = 0
    integration_total: int = 0
    failure_passing: int = 0
    failure_total: int = 0

    def cells(self) -> list:
        return [
            self.gap,
            self.plan,
            self.criteria,
            self.mapped,
            self.found,
            self.verified,
            f"{self.integration_passing}/{self.integration_total}",
            f"{self.failure_passing}/{self.failure_total}",
        ]


@dataclass
class Trace:
    """What :func:`trace_rows` found."""

    rows: list[TraceRow]
    """The table."""
    summary: list[GapSummary]
    """One per gap."""
    notes: list[str] = field(default_factory=list)
    """One line per file that was not searched (a link out of the tree, too large)."""

    def failing(self, level: str) -> list[str]:
        """Criteria (``gap SC1.2``) that fall short of ``level`` (see :data:`LEVELS`)."""
        if level not in LEVELS:
            raise UsageError(f"unknown level {level!r}", hint="use " + ", ".join(LEVELS))
        by: dict[tuple[str, str], list[TraceRow]] = {}
        for r in self.rows:
            if r.kind == "criterion":
                by.setdefault((r.gap, r.criterion_id), []).append(r)
        out = []
        for (gap, cid), rows in by.items():
            if not _ok(rows, level):
                out.append(f"{gap} {cid}")
        return out


def _ok(rows: list[TraceRow], level: str) -> bool:
    if not rows or any(not r.test for r in rows):
        return False
    if level == "mapped":
        return True
    if level == "found":
        return all(r.found for r in rows)
    return all(r.found and r.result == "passed" for r in rows)


# --------------------------------------------------------------------------- matching


_CRIT_ID = re.compile(r"^SC\s?\d+\.\d+$")


def _file_key(path: str) -> str:
    stem = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = re.sub(r"\.[A-Za-z]+$", "", stem)
    w = name_words(stem)
    while len(w) > 1 and w[-1] in ("test", "tests", "spec"):
        w.pop()
    return "".join(w)


class _Index:
    """Code tests and JUnit cases, looked up by key."""

    def __init__(self, code: list[CodeTest], cases: list[Case]):
        self.by_name: dict[str, list[CodeTest]] = {}
        self.by_marker: dict[str, list[CodeTest]] = {}
        for t in code:
            self.by_name.setdefault(name_key(t.name), []).append(t)
            for m in t.markers:
                key = m.replace(" ", "").upper() if _CRIT_ID.match(m.strip()) else name_key(m)
                self.by_marker.setdefault(key, []).append(t)
        self.cases: dict[str, list[Case]] = {}
        for c in cases:
            self.cases.setdefault(name_key(c.name), []).append(c)

    def code_for(self, pt: PlannedTest, gp: GapPlan, leads: list[str]) -> list[CodeTest]:
        """Tests a marker links to ``pt`` (or to a criterion ``pt`` is the first test of) and tests named for it."""
        found: list[CodeTest] = []
        for k in pt.keys:
            found += self.by_marker.get(k, [])
        for cid in leads:
            found += self.by_marker.get(cid, [])
        named: list[CodeTest] = []
        for k in pt.keys:
            named += [t for t in self.by_name.get(k, []) if not _marked_elsewhere(t, pt)]
        found += _prefer(_unique(named), gp, pt)
        return sorted(_unique(found), key=lambda t: (t.file, t.line))

    def result_for(self, pt: PlannedTest, code: list[CodeTest], gp: GapPlan) -> str:
        """The result of each test found for ``pt`` (or of ``pt``'s own name when none is found), combined."""
        plan_keys = {gp.gap.slug.replace("-", "")} | ({_file_key(pt.file)} if pt.file else set())
        results: list[str] = []
        for keys, files in [({name_key(t.name)}, {_file_key(t.file)}) for t in code] or [(pt.keys, set())]:
            cases = [c for k in keys for c in self.cases.get(k, [])]
            close = [c for c in cases if _class_key(c.classname) in files | plan_keys]
            results += [c.result for c in (close or cases)] or ["not run"]
        return combine(results)


def _class_key(classname: str) -> str:
    last = re.split(r"[./\\]", classname.strip())[-1] if classname.strip() else ""
    return _file_key(last)


def _marked_elsewhere(t: CodeTest, pt: PlannedTest) -> bool:
    """A test whose marker names something else is linked there, not by its name."""
    return bool(t.markers) and not any(name_key(m) in pt.keys for m in t.markers)


def _unique(tests: list[CodeTest]) -> list[CodeTest]:
    seen, out = set(), []
    for t in tests:
        if (t.file, t.line) not in seen:
            seen.add((t.file, t.line))
            out.append(t)
    return out


def _prefer(tests: list[CodeTest], gp: GapPlan, pt: PlannedTest) -> list[CodeTest]:
    """Of several tests with one name, those in a file named for the gap or for the planned test file."""
    if len(tests) <= 1:
        return tests
    wanted = {gp.gap.slug.replace("-", "")}
    if pt.file:
        wanted.add(_file_key(pt.file))
    close = [t for t in tests if _file_key(t.file) in wanted]
    return close or tests


# --------------------------------------------------------------------------- the table


def trace_rows(
    construction: Construction,
    tests: list[str | Path] | None = None,
    junit: list[str | Path] | None = None,
    gaps: list[str] | None = None,
) -> Trace:
    """The trace table, its per-gap summary and notes.

    ``tests``: folders (or files) to search for test definitions (default: the folder
    that holds ``construction/``); ``junit``: JUnit XML files or folders of them;
    ``gaps``: slugs, numbers or names (default: every gap).
    """
    from cgplan.plan.build import select_gaps
    from cgplan.reports.planned import gap_plans

    chosen = select_gaps(construction, gaps) if gaps else None
    code, notes = find_code_tests(list(tests) if tests else [construction.root], base=Path.cwd())
    cases: list[Case] = []
    for f, named in junit_files(list(junit or [])):
        try:
            cases.extend(read_junit(f))
        except NotJUnit:
            if named:
                raise
            notes.append(f"{f}: not a JUnit report; not read")
    index = _Index(code, cases)
    rows: list[TraceRow] = []
    summary: list[GapSummary] = []
    for gp in gap_plans(construction, chosen):
        plan = gp.plan.display if gp.plan else "no plan"
        leads: dict[int, list[str]] = {}
        for pc in gp.criteria:
            if pc.tests:
                leads.setdefault(id(pc.tests[0]), []).append(pc.criterion.id)
        s = GapSummary(gp.gap.slug, plan, criteria=len(gp.criteria))
        for pc in gp.criteria:
            crit_rows = []
            if not pc.tests:
                crit_rows.append(TraceRow(gp.gap.slug, "criterion", pc.criterion.id, pc.criterion.text, "", plan))
            for pt in pc.tests:
                crit_rows.append(_row(index, gp, pt, leads, "criterion", pc.criterion.id, pc.criterion.text, plan))
            rows.extend(crit_rows)
            s.mapped += _ok(crit_rows, "mapped")
            s.found += _ok(crit_rows, "found")
            s.verified += _ok(crit_rows, "passing")
        for pt in gp.tests:
            if pt.kind in ("integration", "failure"):
                r = _row(index, gp, pt, leads, pt.kind, "", "", plan)
                rows.append(r)
                passed = bool(r.found) and r.result == "passed"
                if pt.kind == "integration":
                    s.integration_total += 1
                    s.integration_passing += passed
                else:
                    s.failure_total += 1
                    s.failure_passing += passed
        summary.append(s)
    return Trace(rows, summary, notes)


def _row(
    index: _Index, gp: GapPlan, pt: PlannedTest, leads: dict[int, list[str]], kind: str, cid: str, text: str, plan: str
) -> TraceRow:
    code = index.code_for(pt, gp, leads.get(id(pt), []))
    return TraceRow(
        gp.gap.slug,
        kind,
        cid,
        text,
        pt.name,
        plan,
        found=", ".join(t.where for t in code),
        code_name=code[0].name if code else "",
        result=index.result_for(pt, code, gp),
    )


def trace(construction, tests=None, junit=None, gaps=None):
    """A pandas DataFrame with one row per criterion × test and per planned star test (see :data:`COLUMNS`).

    ``construction`` is a :class:`~cgplan.model.construction.Construction` or a folder path.
    The per-gap summary is in ``df.attrs["summary"]`` (a list of dicts).
    """
    try:
        import pandas as pd
    except ImportError:
        raise UsageError(
            "cgplan.trace needs pandas", hint="install the notebook extra, or use trace_rows() / `cgplan trace`"
        ) from None
    if not isinstance(construction, Construction):
        from cgplan.load.folder import load

        construction = load(construction)
    t = trace_rows(construction, tests, junit, gaps)
    df = pd.DataFrame([[getattr(r, c) for c in COLUMNS] for r in t.rows], columns=COLUMNS)
    df.attrs["summary"] = [dict(zip(SUMMARY_COLUMNS, s.cells(), strict=True)) for s in t.summary]
    return df


# --------------------------------------------------------------------------- output


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _shorten(text: str, width: int, *, left: bool = False) -> str:
    text = _CONTROL.sub(" ", text)  # a name never moves the terminal's cursor or colours
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    return "\u2026" + text[-(width - 1) :] if left else text[: width - 1] + "\u2026"


def _fit(header: list[str], rows: list[list[str]], left: set[int], width: int = WIDTH - 2) -> str:
    cols = len(header)
    widths = [max([len(header[i])] + [len(r[i]) for r in rows]) for i in range(cols)]
    floor = [max(len(header[i]), 5) for i in range(cols)]
    while sum(widths) + 2 * (cols - 1) > width:
        i = max(range(cols), key=lambda k: widths[k] - floor[k])
        if widths[i] <= floor[i]:
            break
        widths[i] -= 1
    lines = []
    for r in [header, *rows]:
        cells = [_shorten(str(r[i]), widths[i], left=i in left).ljust(widths[i]) for i in range(cols)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _id(r: TraceRow) -> str:
    return r.criterion_id or r.kind


def render(t: Trace, fmt: str = "table") -> str:
    """The table followed by the per-gap summary, in one of :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint="use " + ", ".join(FORMATS))
    summ = [s.cells() for s in t.summary]
    if fmt == "json":
        return (
            json.dumps(
                {
                    "rows": [asdict(r) for r in t.rows],
                    "summary": [dict(zip(SUMMARY_COLUMNS, c, strict=True)) for c in summ],
                    "notes": t.notes,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in t.rows:
            w.writerow([getattr(r, c) for c in COLUMNS])
        buf.write("\n")
        w.writerow(SUMMARY_COLUMNS)
        w.writerows(summ)
        return buf.getvalue()
    if fmt == "markdown":
        head = ["gap", "criterion", "kind", "test", "plan", "found", "result"]
        body = [[r.gap, r.criterion_id, r.kind, r.test, r.plan, r.found, r.result] for r in t.rows]
        return _md(head, body) + "\n\n" + _md(SUMMARY_COLUMNS, summ) + "\n"
    head = ["id", "test", "found", "result"]
    body = [[_id(r), r.test or "(none)", r.found or "-", r.result] for r in t.rows]
    lines = _fit(head, body, left={2}).split("\n")
    out: list[str] = []
    gap = None
    for r, line in zip(t.rows, lines[1:], strict=True):
        if r.gap != gap:
            gap = r.gap
            out += ["" if out else None, _shorten(f"{r.gap}  ({r.plan})", WIDTH), "  " + lines[0]]
        out.append("  " + line)
    sh = ["gap", "criteria", "mapped", "found", "verified", "integration", "failure"]
    sbody = [[str(x) for i, x in enumerate(c) if i != 1] for c in summ]
    return "\n".join(x for x in out if x is not None) + "\n\n" + _fit(sh, sbody, left=set()) + "\n"


def _md_cell(value) -> str:
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return re.sub(r"([<>`*_\[\]])", r"\\\1", text)


def _md(head: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines.extend("| " + " | ".join(_md_cell(v) for v in r) + " |" for r in rows)
    return "\n".join(lines)
