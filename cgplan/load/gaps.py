"""Load ``gap-analysis.md``: gaps and non-gaps (star references left unresolved here)."""

from __future__ import annotations

import re

from cgplan.load.fields import (
    Entry,
    FieldMap,
    Vocabulary,
    collect_fields,
    flat_items,
    looks_like,
    match_heading,
    norm_key,
    slugify,
    strip_decoration,
)
from cgplan.load.markdown import Document, Section
from cgplan.model.construction import Criterion, Gap, IntegrationPoints, NonGap, Problem, Source, StarRef, Text

GAP_FIELDS = Vocabulary(
    {
        "status": ("current status", "state"),
        "priority": ("severity",),
        "missing_capability": ("missing capability", "capability", "what is missing", "description"),
        "why": ("why this gap exists", "why", "why it exists", "rationale"),
        "constraints": ("constraints that must shape it", "constraints", "shaping constraints"),
        "connects_to": (
            "must connect to",
            "connects to",
            "must integrate with",
            "integrates with",
            "connected stars",
            "stars",
        ),
        "integration_points": ("integration points", "integration"),
        "criteria": ("success criteria", "acceptance criteria", "success metrics", "definition of done"),
        "stakeholder": ("stakeholder need", "stakeholder needs", "stakeholder", "stakeholders"),
    }
)
GAP_LABELS = {
    "status": "Status",
    "priority": "Priority",
    "missing_capability": "Missing Capability",
    "why": "Why This Gap Exists",
    "constraints": "Constraints That Must Shape It",
    "connects_to": "Must Connect To",
    "integration_points": "Integration Points",
    "criteria": "Success Criteria",
    "stakeholder": "Stakeholder Need",
}
"""Each gap field's label as the template writes it."""
REQUIRED_GAP_FIELDS = ("priority", "missing_capability", "constraints", "connects_to", "criteria")
KNOWN = set(GAP_FIELDS._exact.values())

NON_GAP_FIELDS = Vocabulary(
    {
        "covered_by": ("actually covered by", "covered by"),
        "why": ("why we don t need new code", "why we do not need new code", "why no new code", "why"),
    }
)

NON_GAP_LABELS = {"covered_by": "Actually Covered By", "why": "Why We Don't Need New Code"}
"""Each non-gap field's label as the template writes it."""

PRIORITY_WORDS = {
    "critical": "Critical",
    "blocker": "Critical",
    "urgent": "Critical",
    "p0": "Critical",
    "high": "High",
    "p1": "High",
    "medium": "Medium",
    "med": "Medium",
    "moderate": "Medium",
    "p2": "Medium",
    "low": "Low",
    "p3": "Low",
    "minor": "Low",
}


def normalize_priority(text: str) -> tuple[str | None, str]:
    """``High - blocks launch`` -> ``("High", "blocks launch")``."""
    words = norm_key(text).split()
    for w in words:
        if w in PRIORITY_WORDS:
            value = PRIORITY_WORDS[w]
            rest = re.sub(r"(?i)\b" + re.escape(w) + r"\b", "", strip_decoration(text), count=1)
            rest = strip_decoration(rest.strip(" -:–—()[]/,.;"))
            return value, rest
    return None, strip_decoration(text)


def _gaps_container(section: Section) -> bool:
    key = norm_key(section.title)
    return key.startswith("identified gaps") or key == "gaps"


def _non_gaps_container(section: Section) -> bool:
    key = norm_key(section.title)
    return key.startswith("non gaps") or key.startswith("nongaps") or key.startswith("already covered")


def load_gaps(doc: Document, problems: list[Problem]) -> tuple[str, list[Gap], list[NonGap]]:
    """Parse the gap analysis into ``(system, gaps, non_gaps)``."""
    system = ""
    for sec in doc.root.walk():
        if sec.level == 1:
            system = _after_colon(sec.title)
            break
    gaps: list[Gap] = []
    non_gaps: list[NonGap] = []
    under_gaps = {id(c) for s in doc.root.walk() if _gaps_container(s) for c in s.children}
    flat = flat_items(doc.root, GAP_FIELDS, lambda s: match_heading(s.title, "Gap") is not None)
    under_non = {id(c) for s in doc.root.walk() if _non_gaps_container(s) for c in s.children}
    for sec in doc.root.walk():
        if sec.level == 0:
            continue
        hit = match_heading(sec.title, "Gap")
        if hit is None and id(sec) in under_gaps and id(sec) not in under_non and looks_like(sec, GAP_FIELDS):
            m = re.match(r"^(\d+)\s*[.):\-\u2013\u2014]\s*(.+)$", strip_decoration(sec.title))
            hit = (int(m.group(1)), strip_decoration(m.group(2))) if m else (None, strip_decoration(sec.title))
        if hit is not None:
            gaps.append(_gap(doc, flat.get(id(sec), sec), hit[0], hit[1], len(gaps) + 1, problems))
            continue
        ng = _non_gap_name(sec, id(sec) in under_non)
        if ng:
            non_gaps.append(_non_gap(doc, sec, ng))
    return system, gaps, non_gaps


def _after_colon(title: str) -> str:
    for sep in (":", " - ", " — ", " – "):
        if sep in title:
            return strip_decoration(title.split(sep, 1)[1])
    return strip_decoration(title)


def _non_gap_name(section: Section, listed: bool) -> str | None:
    t = strip_decoration(section.title)
    m = re.match(r"(?i)^(?:initially\s+)?thought\s+(?:to\s+be\s+)?missing\s*[:\-\u2013\u2014]\s*(.+)$", t)
    if m:
        return strip_decoration(m.group(1))
    m = re.match(r"(?i)^non[\s-]?gap\s*\d*\s*[:\-\u2013\u2014]\s*(.+)$", t)
    if m:
        return strip_decoration(m.group(1))
    return t if listed and looks_like(section, NON_GAP_FIELDS, minimum=1) else None


def ref_from_entry(entry: Entry, source: Source) -> StarRef | None:
    """``**Redis Cache** via sorted sets`` -> a reference with its ``via`` text."""
    segs = [s for s in entry.first.segs if s.text]
    i = 0
    while i < len(segs) and not segs[i].strong and not segs[i].code and not strip_decoration(segs[i].text.strip("-* ")):
        i += 1
    name = ""
    rest = ""
    if i < len(segs) and (segs[i].strong or segs[i].code):
        flag = "strong" if segs[i].strong else "code"
        j = i
        while j < len(segs) and getattr(segs[j], flag):
            j += 1
        name = "".join(s.text for s in segs[i:j])
        rest = "".join(s.text for s in segs[j:])
    else:
        text = strip_decoration(entry.text)
        m = re.match(
            r"^(.+?)(?:\s+(?:via|through|using|over|by)\s+|\s+[\u2013\u2014|-]\s+|\s*(?:\u2192|->|=>|\u21d2)\s*|\s*:\s+|\s*\()(.*)$",
            text,
        )
        if m:
            name, rest = m.group(1), m.group(2)
            if text[len(m.group(1)) :].lstrip().startswith("("):
                rest = "(" + rest
        else:
            name = text
    name = strip_decoration(name.strip().rstrip(":").strip())
    if not name:
        return None
    via = re.sub(r"(?i)^\s*(?:[:\-\u2013\u2014]\s*)?(?:via|through|using|over|by)\s+", "", rest).strip(
        " :-\u2013\u2014"
    )
    if via.startswith("(") and via.endswith(")") and via.count("(") == 1:
        via = via[1:-1].strip()
    return StarRef(text=name, source=Source(source.file, entry.line, source.section, source.hash), via=via)


def _texts(fm: FieldMap, key: str) -> list[Text]:
    """The field's entries; a line that starts in lower case continues the line above it (a paragraph wrapped
    by hand: ``No star sends anything`` / ``to patrons on a schedule.`` is one sentence)."""
    out: list[Text] = []
    for e in fm.entries(key):
        if out and e.item is None and e.text[:1].islower() and not re.search(r"[.!?]$", out[-1].text):
            out[-1] = Text(f"{out[-1].text} {e.text}", out[-1].line)
        else:
            out.append(Text(e.text, e.line))
    return out


INTEGRATION_POINT_KINDS: dict[str, tuple[str, ...]] = {
    "input": ("input", "inputs"),
    "output": ("output", "outputs"),
    "error_handling": ("error handling", "error", "errors", "failure", "failures"),
}
"""Prefixes of a gap's Integration Points bullets (``- Input: ...``); a bullet with none is kept as other."""
_IP_KIND = {label: kind for kind, labels in INTEGRATION_POINT_KINDS.items() for label in labels}
_IP = re.compile(
    r"(?i)^("
    + "|".join(re.escape(x).replace(r"\ ", r"\s*") for x in sorted(_IP_KIND, key=len, reverse=True))
    + r")\s*:\s*(.*)$"
)


def _integration_points(fm: FieldMap) -> IntegrationPoints:
    ip = IntegrationPoints()
    for e in fm.entries("integration_points"):
        m = _IP.match(strip_decoration(e.text))
        if not m:
            ip.other.append(Text(e.text, e.line))
            continue
        kind, rest = _IP_KIND.get(" ".join(m.group(1).lower().split()), "error_handling"), m.group(2).strip()
        bucket = ip.input if kind == "input" else ip.output if kind == "output" else ip.errors
        bucket.append(Text(rest, e.line))
    return ip


def _gap(doc: Document, section: Section, number: int | None, name: str, position: int, problems: list[Problem]) -> Gap:
    fm = FieldMap(collect_fields(section, GAP_FIELDS, skip=lambda child: match_heading(child.title, "Gap") is not None))
    source = Source(doc.display, section.line, strip_decoration(section.title), doc.section_hash(section))
    num = number if number is not None else position
    gap = Gap(number=num, name=name, slug=slugify(name) or f"gap-{num}", source=source, numbered=number is not None)
    gap.status = strip_decoration(fm.text("status"))
    gap.priority, gap.priority_note = normalize_priority(fm.text("priority"))
    gap.missing_capability = fm.text("missing_capability")
    gap.why = fm.text("why")
    gap.reasons = _texts(fm, "why")
    gap.constraints = _texts(fm, "constraints")
    gap.connects_to = [r for r in (ref_from_entry(e, source) for e in fm.entries("connects_to")) if r]
    gap.integration_points = _integration_points(fm)
    gap.success_criteria = [
        Criterion(id=f"SC{num}.{i}", text=e.text, line=e.line, checked=e.item.checked if e.item else None)
        for i, e in enumerate((e for e in fm.entries("criteria") if e.text), start=1)
    ]
    gap.stakeholder_need = fm.text("stakeholder")
    gap.extra = fm.extras(KNOWN)
    problems.extend(
        fm.missing(
            REQUIRED_GAP_FIELDS,
            "gap",
            name,
            (doc.display, section.line),
            "gap",
            labels=GAP_LABELS,
            section="Gap fields",
        )
    )
    return gap


def _non_gap(doc: Document, section: Section, name: str) -> NonGap:
    fm = FieldMap(collect_fields(section, NON_GAP_FIELDS))
    source = Source(doc.display, section.line, strip_decoration(section.title), doc.section_hash(section))
    ng = NonGap(name=name, source=source, why=fm.text("why"))
    entries = fm.entries("covered_by")
    if entries:
        ng.covered_by = ref_from_entry(entries[0], source)
    return ng
