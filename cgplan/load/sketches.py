"""Load ``implementation-sketches.md``: one design sketch per gap."""

from __future__ import annotations

import re

from cgplan.load.fields import (
    FieldMap,
    Vocabulary,
    collect_fields,
    flat_items,
    looks_like,
    match_heading,
    split_label,
    strip_decoration,
)
from cgplan.load.gaps import normalize_priority, ref_from_entry
from cgplan.load.markdown import Block, Document, Section
from cgplan.model.construction import Alternative, Component, Problem, Sketch, SketchStar, Source, Text

SKETCH_FIELDS = Vocabulary(
    {
        "gap_reference": ("gap reference", "gap ref", "addresses gap", "implements gap", "gap"),
        "priority": (),
        "complexity": ("estimated complexity", "complexity", "effort"),
        "new_functionality": (
            "new functionality needed",
            "new functionality",
            "what we re building",
            "what we are building",
        ),
        "why": ("why this gap exists", "why"),
        "stars": ("stars this connects to", "stars this integrates with", "connects to", "stars"),
        "alignment": ("constellation alignment",),
        "seams": ("architectural seams", "seams"),
        "core_decision": ("core design decision", "design decision", "core decision"),
        "components": ("key components", "components", "new components"),
        "data_flow": ("data flow", "dataflow", "flow"),
        "reuse_generate": ("reuse vs generate", "reuse vs. generate", "reuse versus generate", "reuse or generate"),
        "from_gap": ("from gap analysis", "from the gap analysis", "gap constraints"),
        "from_constellation": (
            "from constellation",
            "from the constellation",
            "from constellation map",
            "from stars",
            "constellation constraints",
        ),
        "approach": ("this approach",),
        "alternative": ("alternative considered", "alternatives considered", "alternative", "alternatives"),
        "why_rejected": ("why rejected", "rejected because"),
        "validation": ("success validation", "how this closes the gap", "integration validation", "validation"),
        "tradeoffs": ("trade offs", "tradeoffs"),
        "design_approach": ("design approach",),
        "constraints": ("constraints shaping this design", "constraints"),
    }
)
SKETCH_LABELS = {
    "gap_reference": "Gap Reference",
    "priority": "Priority",
    "complexity": "Estimated Complexity",
    "new_functionality": "New Functionality Needed",
    "why": "Why This Gap Exists",
    "stars": "Stars This Connects To",
    "alignment": "Constellation Alignment",
    "seams": "Architectural Seams",
    "core_decision": "Core Design Decision",
    "components": "Key Components",
    "data_flow": "Data Flow",
    "reuse_generate": "Reuse vs Generate",
    "from_gap": "From Gap Analysis",
    "from_constellation": "From Constellation",
    "approach": "This Approach",
    "alternative": "Alternative Considered",
    "why_rejected": "Why rejected",
    "validation": "Success Validation",
    "tradeoffs": "Trade-offs",
    "design_approach": "Design Approach",
    "constraints": "Constraints Shaping This Design",
}
"""Each sketch field's label as the template writes it."""
REQUIRED_SKETCH_FIELDS = ("stars", "components", "data_flow")
_KNOWN = set(SKETCH_FIELDS._exact.values())

STAR_LINE_LABELS: dict[str, tuple[str, ...]] = {
    "connection": ("connection", "connects via", "protocol"),
    "reuse": ("what we reuse", "reuse", "reuses"),
    "integration_point": ("integration point", "interface"),
}
"""Labels of the sub-bullets under a star of ``Stars This Connects To`` (``  - Connection: ...``)."""
_SUB_KIND = {label: kind for kind, labels in STAR_LINE_LABELS.items() for label in labels}
_SUB = re.compile(
    r"(?i)^(" + "|".join(re.escape(x) for x in sorted(_SUB_KIND, key=len, reverse=True)) + r")\s*:\s*(.*)$"
)

REUSE_GENERATE_PREFIXES: dict[str, tuple[str, ...]] = {
    "reuse": ("reuse", "reuses", "reused"),
    "generate": ("generate", "generates", "generated", "build", "new", "create"),
}
"""Prefixes of Reuse vs Generate bullets (``- Reuse: ...``, the colon optional)."""
REUSE_GENERATE_MARKS: dict[str, tuple[str, ...]] = {"reuse": ("✅", "♻"), "generate": ("🔨", "🛠", "🆕")}
"""A Reuse vs Generate bullet without a prefix counts by the mark it starts with."""
_REUSE_GENERATE_KIND = {label: kind for kind, labels in REUSE_GENERATE_PREFIXES.items() for label in labels}
_REUSE_GENERATE = re.compile(
    r"(?i)^(" + "|".join(sorted(_REUSE_GENERATE_KIND, key=len, reverse=True)) + r")\s*:?\s*(.*)$"
)

TRADEOFF_PREFIXES: dict[str, tuple[str, ...]] = {
    "pro": ("pro", "pros", "benefit"),
    "con": ("con", "cons", "cost", "limitation"),
}
"""Prefixes of Trade-offs / This Approach bullets (``- Pro: ...``); a bullet with none is a pro."""
TRADEOFF_MARKS: dict[str, tuple[str, ...]] = {"con": ("❌", "⚠")}
"""A Trade-offs bullet starting with one of these is a con whatever its prefix."""
_TRADEOFF_KIND = {label: kind for kind, labels in TRADEOFF_PREFIXES.items() for label in labels}
_TRADEOFF = re.compile(r"(?i)^(" + "|".join(sorted(_TRADEOFF_KIND, key=len, reverse=True)) + r")\s*:\s*(.*)$")

#: A star line's parenthetical that only says where the star is documented, not what is used of it.
_SOURCE_NOTE = re.compile(r"(?i)\.md\b|^(?:from|see|in|per)\s+(?:the\s+)?constellation")


def load_sketches(doc: Document, problems: list[Problem]) -> list[Sketch]:
    """Parse the implementation sketches."""
    out: list[Sketch] = []
    flat = flat_items(doc.root, SKETCH_FIELDS, lambda s: match_heading(s.title, "Sketch") is not None)
    for sec in doc.root.walk():
        if sec.level == 0:
            continue
        hit = match_heading(sec.title, "Sketch") or _loose_heading(flat.get(id(sec), sec))
        if hit:
            out.append(_sketch(doc, flat.get(id(sec), sec), hit[0], hit[1], problems))
    return out


def _loose_heading(section: Section) -> tuple[int | None, str] | None:
    """``Sketch for Gap 1 — X`` / ``Sketch (Gap 2) X``: a heading that starts with
    "Sketch" in another phrasing counts when its section carries sketch fields."""
    m = re.match(r"(?i)^sketch\b\s*(\d+)?\s*(?:for|of|[:(\-\u2013\u2014])?\s*(.+)$", strip_decoration(section.title))
    if not m or not looks_like(section, SKETCH_FIELDS):
        return None
    name = strip_decoration(re.sub(r"(?i)^gap\s*#?\s*\d+\s*[:)\-\u2013\u2014]*\s*", "", m.group(2).rstrip(")")))
    return (int(m.group(1)) if m.group(1) else None), name or strip_decoration(m.group(2))


def _texts(fm: FieldMap, key: str) -> list[Text]:
    return [Text(e.text, e.line) for e in fm.entries(key)]


def _sketch(doc: Document, section: Section, number: int | None, title: str, problems: list[Problem]) -> Sketch:
    fields = collect_fields(section, SKETCH_FIELDS, skip=lambda child: match_heading(child.title, "Sketch") is not None)
    fm = FieldMap(fields)
    source = Source(doc.display, section.line, strip_decoration(section.title), doc.section_hash(section))
    sk = Sketch(title=title, source=source, number=number)
    sk.gap_reference = fm.text("gap_reference")
    sk.priority, _ = normalize_priority(fm.text("priority"))
    sk.complexity = strip_decoration(fm.text("complexity"))
    sk.new_functionality = fm.text("new_functionality")
    sk.why = fm.text("why")
    sk.seams = fm.text("seams")
    sk.core_decision = fm.text("core_decision")
    for e in fm.entries("stars"):
        ref = ref_from_entry(e, source)
        if ref is None:
            continue
        star = SketchStar(ref=ref)
        subs = []
        if e.item is not None:
            subs = [(it.text, it.line) for b in e.item.blocks if b.kind == "list" for it in b.items]
            subs += [(ln.text, ln.line) for ln in e.item.lines[1:]]
        for text, _line in subs:
            m = _SUB.match(strip_decoration(text))
            if not m:
                continue
            kind, value = _SUB_KIND[m.group(1).lower()], m.group(2).strip()
            if kind == "connection":
                star.connection = star.connection or value
            elif kind == "reuse":
                star.reuse = star.reuse or value
            else:
                star.integration_point = star.integration_point or value
        if not star.reuse and ref.via and not _SOURCE_NOTE.search(ref.via):
            star.reuse = ref.via  # "- Postgres Catalog DB: reads overdue loans": the line says what is used
        sk.stars.append(star)
    sk.components = _heading_components(section) or _components(fm)
    flow = fm.get("data_flow")
    fences = flow.fences() if flow else []
    if fences:
        sk.data_flow, sk.data_flow_line = fences[0].text.rstrip("\n"), fences[0].line
    elif flow and flow.text():
        sk.data_flow, sk.data_flow_line = "\n".join(flow.texts()), flow.line
    else:
        any_fence = _first_fence(section)
        if any_fence is not None:
            sk.data_flow, sk.data_flow_line = any_fence.text.rstrip("\n"), any_fence.line
    for e in fm.entries("reuse_generate"):
        text = strip_decoration(e.text)
        m = _REUSE_GENERATE.match(text)
        if m:
            target = sk.reuse if _REUSE_GENERATE_KIND[m.group(1).lower()] == "reuse" else sk.generate
            target.append(Text(m.group(2).strip(), e.line))
        elif e.text.startswith(REUSE_GENERATE_MARKS["reuse"]):
            sk.reuse.append(Text(text, e.line))
        elif e.text.startswith(REUSE_GENERATE_MARKS["generate"]):
            sk.generate.append(Text(text, e.line))
    sk.constraints_gap = _texts(fm, "from_gap")
    sk.constraints_constellation = _texts(fm, "from_constellation")
    for key in ("approach", "tradeoffs"):
        for e in fm.entries(key):
            text = strip_decoration(e.text)
            m = _TRADEOFF.match(text)
            is_con = e.text.startswith(TRADEOFF_MARKS["con"]) or (
                m is not None and _TRADEOFF_KIND[m.group(1).lower()] == "con"
            )
            value = m.group(2).strip() if m else text
            (sk.cons if is_con else sk.pros).append(Text(value, e.line))
    sk.alternatives = _alternatives(fields)
    problems.extend(
        fm.missing(
            REQUIRED_SKETCH_FIELDS,
            "sketch",
            title,
            (doc.display, section.line),
            "sketch",
            labels=SKETCH_LABELS,
            section="Sketch fields",
        )
    )
    return sk


def _first_fence(section: Section) -> Block | None:
    for s in section.walk():
        for b in s.blocks:
            if b.kind == "fence":
                return b
    return None


def _description(blocks: list[Block]) -> str:
    """Plain text of blocks up to the first known sketch label (which starts the next field)."""
    parts: list[str] = []
    for b in blocks:
        if b.kind == "para":
            for ln in b.lines:
                if split_label(ln, SKETCH_FIELDS, strict=True):
                    return " ".join(parts)
                parts.append(ln.text)
        elif b.kind in ("list", "quote"):
            parts.append(b.plain())
    return " ".join(parts)


def _heading_components(section: Section) -> list[Component]:
    """Components written as sub-headings of a ``Key Components`` heading (``#### 1. Name``)."""
    for s in section.walk():
        if s is section or SKETCH_FIELDS.key(s.title) != "components" or not s.children:
            continue
        out = []
        for child in s.children:
            name = strip_decoration(
                re.sub(r"^\s*(?:\d+\s*[.):\-]\s*|component\s*\d*\s*[:\-\u2013\u2014]\s*)", "", child.title, flags=re.I)
            )
            name = name.strip("`* ")
            desc = _description(child.blocks)
            if name:
                out.append(Component(name=name, description=" ".join(desc.split()), line=child.line))
        return out
    return []


def _components(fm: FieldMap) -> list[Component]:
    out: list[Component] = []
    for e in fm.entries("components"):
        segs = [s for s in e.first.segs if s.text.strip()]
        name = desc = ""
        if segs and (segs[0].strong or segs[0].code):
            flag = "strong" if segs[0].strong else "code"
            j = 0
            while j < len(segs) and getattr(segs[j], flag):
                j += 1
            name = "".join(s.text for s in segs[:j])
            desc = "".join(s.text for s in segs[j:])
        else:
            m = re.match(r"^(.+?)\s*(?::|\s[\u2013\u2014-]\s)\s*(.*)$", strip_decoration(e.text))
            name, desc = (m.group(1), m.group(2)) if m else (e.text, "")
        name = strip_decoration(name.strip().rstrip(":").strip().strip("`"))
        desc = strip_decoration(re.sub(r"^\s*[:\u2013\u2014-]\s*", "", desc))
        if e.item is not None:
            more = " ".join(it.text for b in e.item.blocks if b.kind == "list" for it in b.items)
            if more:
                desc = f"{desc} {more}".strip()
        if name:
            out.append(Component(name=name, description=" ".join(desc.split()), line=e.line))
    return out


def _alternatives(fields) -> list[Alternative]:
    out: list[Alternative] = []
    for f in fields:
        if f.key == "alternative":
            name = f.head_text
            why = ""
            for e in f.entries()[1 if name else 0 :]:
                m = re.match(r"(?i)^why rejected\s*:\s*(.*)$", strip_decoration(e.text))
                if m:
                    why = m.group(1)
                elif not name:
                    name = e.text
            out.append(Alternative(name=strip_decoration(name), why_rejected=why))
        elif f.key == "why_rejected" and out and not out[-1].why_rejected:
            out[-1].why_rejected = f.text()
    return out
