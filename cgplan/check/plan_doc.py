"""Parse any code-generation plan (generated, or written by a person) into a :class:`ParsedPlan`.

Plans come in many layouts, so nothing here depends on exact bytes or heading
levels: sections are recognised by the words of their titles, components by a
``Component``-style heading, tests by ``Integration with <Star>`` /
``Failure Mode from <Star>`` headings, and citations by the document names they
carry. What the parser cannot recognise it leaves out, so a checker built on it
misses findings rather than inventing them.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from cgplan.load.fields import match_heading, norm_key, split_label, strip_decoration
from cgplan.load.markdown import Block, Document, Line, Section, clean, parse_text
from cgplan.render import meta as meta_mod

DOC_NAMES = ("constellation-map.md", "gap-analysis.md", "implementation-sketches.md")
"""The three documents a plan cites."""

# Words that stand for the documents when a person cites them without file names.
_DOC_WORDS = {
    "constellation-map.md": re.compile(r"(?i)constellation[- ]map"),
    "gap-analysis.md": re.compile(r"(?i)gap[- ]analysis"),
    "implementation-sketches.md": re.compile(r"(?i)implementation[- ]sketch|\bsketch\s*\d"),
}

#: Component sub-sections of the seed's format, key -> title.
COMPONENT_PARTS = {
    "purpose": "Purpose",
    "context": "Constellation Context",
    "files": "File Structure",
    "signatures": "Function/Class Signatures",
    "data": "Data Structures",
    "integration": "Integration Points",
    "constraints": "Constraints Shaping This Implementation",
}

#: Plan-level sections of the seed's format, key -> title.
PLAN_PARTS = {
    "overview": "Overview",
    "tests": "Test Strategy",
    "validation": "Success Criteria Validation",
    "checklist": "Implementation Checklist",
    "guidance": "Code Generation Guidance",
}


@dataclass
class TextLine:
    """One line of plain text in a plan."""

    text: str
    """Plain text, markup removed."""
    line: int
    """1-based source line."""
    code: bool = False
    """Inside a fenced code block."""


@dataclass
class Part:
    """A recognised section (or labelled field acting as one)."""

    key: str
    """Canonical key (``purpose``, ``tests`` ...)."""
    title: str
    """The title as written."""
    line: int
    """1-based line."""
    empty: bool = False
    """Nothing is written under it."""


@dataclass
class Mention:
    """A star named in a plan."""

    text: str
    """The name as written, markup stripped."""
    line: int
    """1-based line."""
    where: str
    """``stars-list``, ``test-heading`` or ``citation``."""
    component: str | None = None
    """Name of the component it appears in, if any."""


@dataclass
class Citation:
    """A citation of a source document (``constellation-map.md § Star: Redis Cache``)."""

    doc: str
    """Document file name."""
    section: str
    """Cited section, empty when only the document is named."""
    line: int
    """1-based line."""


@dataclass
class Signature:
    """A function/class signature the plan specifies."""

    kind: str
    """``function``, ``class``, ``method`` or ``code`` (a signature-like code line)."""
    name: str
    """Name as written."""
    line: int
    """1-based line."""


@dataclass
class PlanComponent:
    """One ``Component`` section of a plan."""

    name: str
    """Component name from its heading."""
    line: int
    """1-based line of the heading."""
    parts: dict[str, Part] = field(default_factory=dict)
    """Recognised sub-sections by key (see :data:`COMPONENT_PARTS`)."""
    stars: list[Mention] = field(default_factory=list)
    """Stars named in its ``Stars This Integrates With`` list."""
    signatures: list[Signature] = field(default_factory=list)
    """Signatures found in it."""
    cited_docs: list[str] = field(default_factory=list)
    """Documents its constellation context cites (the whole component when it has none), sorted."""
    lines: list[TextLine] = field(default_factory=list)
    """Its text lines."""
    citations: list[Citation] = field(default_factory=list)
    """Citations written in it (file names with sections, and links into the documents)."""
    implements: TextLine | None = None
    """Its ``Implements:`` line, if it has one (with the line below when the label stands alone)."""
    implements_lines: tuple[int, int] | None = None
    """First and last source line of ``implements`` when it spans two lines."""
    end_line: int = 0
    """Its last line."""


@dataclass
class PlanTest:
    """A test section (a heading naming a test)."""

    title: str
    """Heading text."""
    line: int
    """1-based line."""
    kind: str
    """``integration``, ``failure`` or ``other``."""
    star: str | None = None
    """The star named by an ``Integration with`` / ``Failure Mode from`` heading."""
    text: str = ""
    """Heading and body as plain text (for matching criteria and stars)."""
    number: int | None = None
    """Its number (``Test 18``, or its position in a numbered list of tests)."""
    names: list[str] = field(default_factory=list)
    """Names it is given: a ``Test Name`` field, names in its code (``it('...')``, ``def test_...``)."""
    anchor: str = ""
    """The anchor a link to its heading uses (``#test-4-integration-with-redis-cache``)."""
    claims: list[str] = field(default_factory=list)
    """Lines of its body that say which criterion it validates (``Validates ...``, ``SC1.2``)."""
    component: str | None = None
    """The component it is written in, when a layout puts tests inside components."""


@dataclass
class TestRef:
    """A reference from a validation entry to a test: a number, a name or a link."""

    kind: str
    """``number``, ``name`` or ``link``."""
    value: str
    """The number, the name as written, or the link's anchor."""
    label: str = ""
    """How it is written (``Test 18``, ``[Test 4](#test-4)``)."""


@dataclass
class ValidationItem:
    """One entry of the success-criteria validation."""

    text: str
    """The criterion as written, with the test part removed."""
    line: int
    """1-based line."""
    criterion_id: str | None = None
    """A criterion id written in it (``SC1.2``)."""
    criterion_number: int | None = None
    """A criterion's number within its gap written in it (``SC2``, ``Success Criterion 2``)."""
    test: str | None = None
    """The test it names, if any."""
    refs: list[TestRef] = field(default_factory=list)
    """Every reference to a test it makes (numbers, names, links)."""


@dataclass
class ParsedPlan:
    """What a plan says, structurally."""

    display: str
    """Path shown in findings."""
    title: str = ""
    """The document title."""
    title_line: int = 1
    """1-based line of the title."""
    gap: str = ""
    """The gap it addresses (from the title or ``Gap Being Addressed``)."""
    parts: dict[str, Part] = field(default_factory=dict)
    """Recognised plan-level sections by key (see :data:`PLAN_PARTS`)."""
    components: list[PlanComponent] = field(default_factory=list)
    """Components in order."""
    tests: list[PlanTest] = field(default_factory=list)
    """Test sections in order."""
    validation: list[ValidationItem] = field(default_factory=list)
    """Success-criteria validation entries."""
    mentions: list[Mention] = field(default_factory=list)
    """Every star mention (lists, test headings, citations)."""
    citations: list[Citation] = field(default_factory=list)
    """Every citation of a source document."""
    lines: list[TextLine] = field(default_factory=list)
    """Every text line."""
    empty_sections: list[Part] = field(default_factory=list)
    """Recognised sections with nothing under them."""
    meta: meta_mod.PlanMeta | None = None
    """The cgplan:meta record, for a generated plan."""
    line_numbers: list[int] = field(default_factory=list, repr=False)
    """Line number of each entry of ``lines`` (for range look-ups)."""
    raw: list[str] = field(default_factory=list, repr=False)
    """The source lines (``raw[n - 1]`` is line ``n``)."""
    citation_lines: list[int] = field(default_factory=list, repr=False)
    """Line of each entry of ``citations`` (for range look-ups)."""

    def lines_between(self, start: int, end: int) -> list[TextLine]:
        """Text lines with ``start <= line <= end``."""
        lo = bisect.bisect_left(self.line_numbers, start)
        hi = bisect.bisect_right(self.line_numbers, end)
        return self.lines[lo:hi]


# --------------------------------------------------------------------------- classification

_COMPONENT_PART_WORDS = (
    ("data", re.compile(r"(?i)\bdata (?:structures?|models?|types?)\b|^(?:types|schemas?|models)\b")),
    ("signatures", re.compile(r"(?i)signatures?\b|^(?:functions?|methods?|classes|api|interfaces?)\b")),
    ("context", re.compile(r"(?i)constellation context|^context\b|constellation alignment")),
    ("files", re.compile(r"(?i)file structure|^files?\b|^modules?\b")),
    ("integration", re.compile(r"(?i)integration points?")),
    ("constraints", re.compile(r"(?i)constraints?")),
    ("purpose", re.compile(r"(?i)^purpose\b|^goal\b|^responsibilit")),
)

_PLAN_PART_WORDS = (
    ("validation", re.compile(r"(?i)success criteria|criteria (?:validation|mapping|coverage)|traceability")),
    ("tests", re.compile(r"(?i)test(?:ing)? (?:strategy|plan)|^tests?$|^testing$|integration tests")),
    ("checklist", re.compile(r"(?i)checklist")),
    ("guidance", re.compile(r"(?i)generation guidance|^guidance")),
    ("overview", re.compile(r"(?i)^overview\b|^summary$")),
)

_TITLE_RE = re.compile(
    r"(?i)^(?:code[- ]generation|implementation|code)\s+plan\s*(?:[:\-\u2013\u2014]\s*|\s+for\s+)(.+)$"
)
_SIG_HEAD = re.compile(r"(?i)^(function|class|method|interface|type|endpoint)\s*[:\-\u2013\u2014]\s*(.+)$")
_INLINE_SIG = re.compile(
    r"^[\w.$]+\s*(?:<[^>]*>)?\s*\((?:[^()]*\w\s*:\s*\w[^()]*|\s*)\)\s*(?::|->)\s*\S|^[\w.$]+\s*(?:<[^>]*>)?\s*\([^()]*\w\s*:\s*\w[^()]*\)"
)
_DECL_KEYWORD = re.compile(
    r"^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:def|function\*?|fn|func|fun|sub|proc)\s*[\w(<]"
    r"|^(?:export\s+)?(?:const|let|var)\s+\w+\s*(?::[^=]+)?=\s*(?:async\s*)?(?:function\b|\([^()]*\)\s*(?::[^=]+)?=>)"
)
_MODIFIERS = (
    r"(?:(?:public|private|protected|internal|static|final|abstract|override|virtual|async|readonly|synchronized"
    r"|export|default|open|suspend|pub(?:\(crate\))?|unsafe|extern|inline|const|def)\s+)*"
)
_METHOD = re.compile(
    r"^(?P<mods>" + _MODIFIERS + r")(?:(?P<rt>[\w$.<>\[\],?*&:]+(?:<[^()]*>)?)\s+)?(?P<name>[A-Za-z_$][\w$]*)\s*[?!]?"
    r"\s*(?:<[^()]*>)?\s*\((?P<rest>.*)$"
)
_NOT_DECL = frozenset(
    "if for while switch return catch await new throw else elif assert print expect describe it test context "
    "beforeeach aftereach beforeall afterall with try do yield typeof sizeof super this self raise del lambda "
    "class interface struct record type enum trait protocol data object select insert update delete create alter "
    "drop values where from import require include using namespace package module".split()
)
_TYPED_PARAM = re.compile(r"\w\s*[?]?:\s*[\w\[{(<'\"]|\w[\w<>\[\].,?*&]*\s+[*&]?\w+\s*(?:[,)=]|$)")


def declares(code: str) -> bool:
    """Whether a line of code declares a function or method (not a call, a field or a type with fields only).

    ``def f(...)``, ``function f(...)``, ``func (s *S) F(...)``, ``const f = (...) =>``, and method lines such as
    ``charge(req: ChargeRequest): Promise<Charge>;`` or ``public Charge charge(ChargeRequest req);`` inside an
    interface, protocol or class body count; ``class Foo:``, ``interface Foo {``, ``id: string;`` and
    ``client.charge(x);`` do not. Test functions (``def test_...``, ``func TestX``) are not the component's.
    """
    s = code.strip()
    if not s or s[0] in "/#*-<>|@'\"" or s.startswith(("--", "{", "}", ")")):
        return False
    if _DECL_KEYWORD.match(s):
        return not re.match(r"^(?:async\s+)?(?:def|func|fn)\s+(?:test_|Test[A-Z_])", s)
    m = _METHOD.match(s)
    if not m:
        return False
    name, rt, mods, rest = m.group("name"), m.group("rt"), m.group("mods"), m.group("rest")
    if name.lower() in _NOT_DECL or (rt and rt.lower() in _NOT_DECL | {"return", "await", "new", "yield", "throw"}):
        return False
    if name.startswith("test_") or (rt and rt.endswith(".")):
        return False
    if not rest.strip():
        return not rt or bool(mods)  # ``verifySignature(`` opening a signature over several lines
    close = rest.rfind(")")
    params, tail = (rest[:close], rest[close + 1 :].strip()) if close >= 0 else (rest, "")
    if re.match(r"^(?::\s*[\w{\[(<'\"]|->|=>)", tail) or re.match(r"^[\w\[*(][\w.\[\]*<>, ()]*\s*(?:\{|;)?$", tail):
        return True  # a return type: ``): Promise<X>``, ``) -> int``, Go's ``) error``
    typed = bool(_TYPED_PARAM.search(params))
    if tail.startswith(("{", ";")) or tail in ("", "throws"):
        return bool(mods or rt) or typed and bool(tail)
    return False


_INTEG_HEAD = re.compile(r"(?i)\bintegration (?:tests? )?(?:with|against) (.+)$")
_FAIL_HEAD = re.compile(r"(?i)\bfailure[- ]modes? (?:from|of|for|in|with) (.+)$")
_STARS_LABEL = re.compile(
    r"(?i)^(?:stars?\b.*\b(?:integrat|connect|use|depend)|integrates? with|stars?$|constellation stars?$)"
)
_FAILURE_WORDS = re.compile(
    r"(?i)fail|outage|unavailable|unreachable|\bdown\b|time(?:s|d)? ?out|error|degrad|\b(?:429|5xx|50[0-4])\b"
    r"|reject|declin|evict|\blost\b|\bloss\b|crash|throttl|retr(?:y|ies)|backoff|back off|partition|expired"
)
_CRIT_ID = re.compile(r"\bSC\s?(\d+)\.(\d+)\b")
_CRIT_NUM = re.compile(r"(?i)^\W*(?:SC\s?-?(\d+)\b(?!\.\d)|(?:success )?criterion\s*#?\s*(\d+)\b)")
_CITE_SECT = re.compile(r"(constellation-map\.md|gap-analysis\.md|implementation-sketches\.md)\s*(?:§|&sect;)\s*")
_CITE_SEED = re.compile(
    r"(constellation-map\.md|gap-analysis\.md|implementation-sketches\.md),?\s*section\s*[\"\u201c]([^\"\u201d]+)[\"\u201d]"
)
_CITE_DOC = re.compile(r"(constellation-map\.md|gap-analysis\.md|implementation-sketches\.md)")
_CITE_LOOSE = re.compile(
    r"(constellation-map\.md|gap-analysis\.md|implementation-sketches\.md)"
    r"(?:\s*/\s*|,\s*(?:section|§)\s+|\s+section\s+|\s*#\s*|\s*>\s*|:\s+)(?=[\w\"\u201c`*])"
)
_IMPLEMENTS = re.compile(r"(?i)^(?:[-*]\s*)?implements\s*(?:gap\s*)?:")
_STAR_SECTION = re.compile(r"(?i)^star\s*[:\-\u2013\u2014]\s*(.+)$")
_SEED_STAR_SECTION = re.compile(r"(?i)^(.+?)\s+star$")


@functools.lru_cache(maxsize=4096)
def _classify(title: str, table) -> str | None:
    # a pure function of the title: plans repeat the same few dozen titles
    t = strip_decoration(re.sub(r"^\s*\d+[.)]\s*", "", title))
    for key, rx in table:
        if rx.search(t):
            return key
    return None


_COMPONENTS_GROUP = re.compile(
    r"(?i)^(?:\d+(?:\.\d+)*[.)]?\s*)?(?:key |implementation |new |code )?components?"
    r"(?:\s+(?:design|to build|breakdown|plan|overview|and signatures))?$"
)


def _member_name(title: str) -> str | None:
    """The component a heading under ``Components`` names (``2.1 EtaSlipConsumer``, ```EtaSlipConsumer```)."""
    name = _component_name(title)
    if name is None:
        name = re.sub(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[A-Z][.)])\s+", "", strip_decoration(title)).strip("`*_ ")
    if not name or len(name.split()) > 6 or _classify(name, _PLAN_PART_WORDS) or _classify(name, _COMPONENT_PART_WORDS):
        return None
    return name


def _component_name(title: str) -> str | None:
    hit = match_heading(title, "Component")
    if hit:
        return hit[1].strip("`*_ ")
    return None


# --------------------------------------------------------------------------- text walking


def _lines(lines: list[Line], out: list[TextLine]) -> None:
    for ln in lines:
        text = ln.text  # a property that joins and cleans: computed once per line
        if text:
            out.append(TextLine(text, ln.line))


def _block_lines(block: Block, out: list[TextLine]) -> None:
    if block.kind == "para":
        _lines(block.lines, out)
    elif block.kind == "list":
        for it in block.items:
            _lines(it.lines, out)
            for sub in it.blocks:
                _block_lines(sub, out)
    elif block.kind == "fence":
        for i, raw in enumerate(block.text.split("\n")):
            if raw.strip():
                out.append(TextLine(raw.rstrip(), block.line + 1 + i, code=True))
    elif block.kind == "table":
        for r, row in enumerate(block.rows):
            text = clean(" | ".join(c for c in row if c))
            if text:
                out.append(TextLine(text, block.line + (r + 1 if r else 0)))
    elif block.kind == "quote":
        for sub in block.blocks:
            _block_lines(sub, out)


def _section_lines(section: Section, *, heading: bool = True) -> list[TextLine]:
    out: list[TextLine] = []
    for s in section.walk():
        if heading and s.level and s.title:
            out.append(TextLine(s.title, s.line))
        for b in s.blocks:
            _block_lines(b, out)
    return out


def _is_empty(section: Section) -> bool:
    return not section.children and not any(b.plain().strip() for b in section.blocks)


_LABELS: dict[int, tuple[Line, str | None]] = {}
"""Labels found during the current parse, by line object (cleared by :func:`parse_plan`)."""


def _para_label(ln: Line) -> str | None:
    """The label of a line that starts in bold (``**Purpose:** ...``), or ``None``."""
    segs = ln.segs
    if not segs or not (segs[0].strong or (len(segs) > 1 and segs[1].strong)):
        return None
    seen = _LABELS.get(id(ln))
    if seen is not None and seen[0] is ln:
        return seen[1]
    hit = split_label(ln, None, strict=False)
    label = hit[0] if hit else None
    _LABELS[id(ln)] = (ln, label)
    return label


def _lead_name(ln: Line) -> str | None:
    """The bold or code name an item starts with (``**Redis Cache** (...)``)."""
    segs = [s for s in ln.segs if s.text.strip()]
    if not segs:
        return None
    first = segs[0]
    if not (first.strong or first.code):
        if strip_decoration(first.text) == "":
            segs = segs[1:]
            if not segs or not (segs[0].strong or segs[0].code):
                return None
            first = segs[0]
        else:
            return None
    parts = []
    for s in ln.segs[ln.segs.index(first) :]:
        if s.strong == first.strong and s.code == first.code and (s.strong or s.code):
            parts.append(s.text)
        else:
            break
    name = clean("".join(parts)).strip(" :")
    return name or None


def _star_items(blocks: list[Block], raw: list[str]) -> list[tuple[str, int]]:
    out = []
    for b in blocks:
        if b.kind == "table":
            out.extend(_star_rows(b))
        if b.kind != "list":
            continue
        for it in b.items:
            name = _lead_name(it.first) or _map_link(raw, it.line)
            if name:
                out.append((name, it.line))
    return out


def _map_link(raw: list[str], line: int) -> str | None:
    """The text of a link into constellation-map.md that starts a list item
    (``- [Redis Cache](...#star-redis-cache)``)."""
    text = raw[line - 1] if 0 < line <= len(raw) else ""
    m = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?\**\[", text)
    if not m:
        return None
    found = links(text[m.end() - 1 :])
    if found and "constellation-map.md" in found[0][1]:
        return clean(found[0][0].replace("**", "").replace("`", "")) or None
    return None


_STAR_COLUMN = re.compile(r"(?i)^(?:constellation )?stars?(?: name)?$")


def _star_rows(b: Block, *, any_header: bool = True) -> list[tuple[str, int]]:
    """Names in the first column of a table of stars (its header ``Star``, or any header under a stars label)."""
    if len(b.rows) < 2 or not b.rows[0]:
        return []
    if not any_header and not _STAR_COLUMN.match(norm_key(b.rows[0][0])):
        return []
    out = []
    for r, row in enumerate(b.rows[1:], start=1):
        cell = clean(row[0]) if row else ""
        name = re.split(
            r"\s+\((?=[^)]*(?:\.md|constellation|from |see |source))|\s+[\u2014\u2013]\s+|\s+-\s+", cell, maxsplit=1
        )[0]
        name = name.strip(" *_`:")
        if name:
            out.append((name, b.line + r + 1))
    return out


_NOT_STAR_HEADING = re.compile(
    r"(?i)^(?:notes?|summary|overview|details|usage|patterns?|integration(?: points?)?|constraints?|contracts?"
    r"|error handling|failure modes?|dependencies|other|see also)$"
)


def _heading_name(title: str) -> str | None:
    """A star named by a heading under *Stars This Integrates With*, citation and ``Star:`` prefix removed."""
    name = strip_decoration(title)
    name = re.sub(r"(?i)^(?:\d+[.)]\s*)?star\s*[:\-\u2013\u2014]\s*", "", name)
    name = re.split(r"\s+\((?=[^)]*(?:\.md|constellation|from |see |source))|\s+[\u2014\u2013]\s+|\s+-\s+", name)[0]
    name = name.strip(" *_`:")
    if not name or len(name.split()) > 6 or _NOT_STAR_HEADING.match(name):
        return None
    return name


def _plain_label(text: str) -> str | None:
    """``Stars this integrates with:`` written without bold."""
    text = text.strip()
    if text.endswith(":") and len(text) < 60:
        return text[:-1].strip()
    return None


def _stars_in(section: Section, raw: list[str]) -> list[tuple[str, int]]:
    """Names listed under a ``Stars This Integrates With`` label or heading in a section tree
    (a list of bold or code names, or a table), and the first column of tables headed ``Star``."""
    found: list[tuple[str, int]] = []
    for s in section.walk():
        if s is not section and _STARS_LABEL.search(strip_decoration(s.title)):
            found.extend(_star_items(s.blocks, raw))
            for child in s.children:  # ``#### Redis Cache (constellation-map.md § Star: Redis Cache)``
                name = _heading_name(child.title)
                if name:
                    found.append((name, child.line))
            continue
        armed = False
        for b in s.blocks:
            if b.kind == "para":
                for ln in b.lines:  # ``**Stars:** API Gateway (Express), Redis Cache`` on one line
                    found.extend(_inline_stars(ln))
                last = b.lines[-1] if b.lines else None
                label = (_para_label(last) or _plain_label(last.text)) if last else None
                armed = bool(label and _STARS_LABEL.search(label))
            elif b.kind in ("list", "table"):
                if armed:
                    found.extend(_star_items([b], raw))
                    armed = False
                    continue
                if b.kind == "table":
                    found.extend(_star_rows(b, any_header=False))
                    continue
                for it in b.items:
                    label = _para_label(it.first) or (_plain_label(it.first.text) if it.blocks else None)
                    if label and _STARS_LABEL.search(label):
                        found.extend(_star_items(it.blocks, raw))
            else:
                armed = False
    return found


def _inline_stars(ln: Line) -> list[tuple[str, int]]:
    """Stars listed after a stars label on the label's own line, separated by commas or ``and``."""
    if not ln.segs or not ln.segs[0].strong:
        return []
    lead = ln.segs[0].text.lower()
    if "star" not in lead and "integrat" not in lead and "connect" not in lead and "depend" not in lead:
        return []
    hit = split_label(ln, None, strict=False)
    if not hit or not _STARS_LABEL.search(hit[0]):
        return []
    rest = clean("".join(seg.text for seg in hit[2].segs))
    rest = re.sub(r"\((?:[^()]|\([^()]*\))*(?:\.md|constellation)(?:[^()]|\([^()]*\))*\)", "", rest)
    out = []
    for part in re.split(r"\s*(?:,|;|\band\b)\s*(?![^()]*\))", rest):
        name = part.strip(" .*_`")
        if name and len(name.split()) <= 6 and not re.match(r"(?i)^(?:none|n/?a|see below)$", name):
            out.append((name, ln.line))
    return out


_PLACEHOLDER_NAME = re.compile(
    r"(?i)^\W*$|^\[.*\]$|^<.*>$|^\{.*\}$|\u2026|\.\.\.|^(?:star|stars|star names?|name|names?|x|y|n)$"
    r"|\bstar name\b|\bname of\b"
)


def is_placeholder(name: str) -> bool:
    """A template placeholder written where a star name goes (``…``, ``[Star Name]``, ``<Star names>``)."""
    name = name.strip(" `*_\"'")
    if len(name) > 5 and not any(ch in name for ch in "[<{.\u2026") and "name" not in name.lower():
        return False  # the common case, decided without the pattern
    return bool(_PLACEHOLDER_NAME.search(name))


# --------------------------------------------------------------------------- citations


_TAIL = re.compile(r"[^()\n;\u2014]*(?:\([^()\n]*\)[^()\n;\u2014]*)*")
_LINK = re.compile(
    r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)"
)


def _citations(lines: list[TextLine]) -> list[Citation]:
    out: list[Citation] = []
    for tl in lines:
        text = tl.text
        if ".md" not in text or "-" not in text:
            continue
        spans = []
        if "\u00a7" in text or "&sect;" in text:
            for m in _CITE_SECT.finditer(text):
                end = m.end()
                sect = clean(_TAIL.match(text, end, end + 200).group(0).strip("`*_\"' ,."))
                out.append(Citation(m.group(1), sect, tl.line))
                spans.append(m.start())
        if "section" in text:
            for m in _CITE_SEED.finditer(text):
                out.append(Citation(m.group(1), clean(m.group(2)), tl.line))
                spans.append(m.start())
        docs = list(_CITE_DOC.finditer(text))
        if all(m.start() in spans for m in docs):
            continue
        for m in _CITE_LOOSE.finditer(text):
            if m.start() in spans:
                continue
            end = m.end()
            sect = clean(_TAIL.match(text, end, end + 200).group(0).strip("`*_\"' ,.)"))
            if sect:
                out.append(Citation(m.group(1), sect, tl.line))
                spans.append(m.start())
        for m in docs:
            if m.start() not in spans:
                out.append(Citation(m.group(1), "", tl.line))
    return out


def anchor_slug(title: str) -> str:
    """The anchor GitHub gives a heading (``Test 4: Integration with Redis`` -> ``test-4-integration-with-redis``)."""
    text = re.sub(r"[^\w\- ]", "", strip_decoration(title).lower())
    return text.replace(" ", "-")


def links(raw: str) -> list[tuple[str, str]]:
    """``(text, destination)`` of every inline Markdown link in one source line."""
    if "](" not in raw:
        return []
    return [(m.group(1), m.group(2)) for m in _LINK.finditer(raw)]


def _link_citations(raw: list[str], code: set[int]) -> list[Citation]:
    """Links into the three documents (``[Redis Cache](../requirements/constellation-map.md#star-redis-cache)``)."""
    out: list[Citation] = []
    for n, line in enumerate(raw, start=1):
        if "](" not in line or ".md" not in line or n in code:
            continue
        for _, dest in links(line):
            path, _, anchor = dest.partition("#")
            doc = next((d for d in DOC_NAMES if path.endswith(d)), None)
            if doc is None:
                continue
            words = " ".join(anchor.replace("-", " ").replace("_", " ").split())
            m = re.match(r"(?i)^(star|gap|sketch)\s+(.+)$", words)
            section = f"{m.group(1).capitalize()}: {m.group(2)}" if m else words
            out.append(Citation(doc, section, n))
    return out


def cited_star(c: Citation) -> str | None:
    """The star a constellation-map citation names, if it names one."""
    if c.doc != "constellation-map.md" or not c.section:
        return None
    m = _STAR_SECTION.match(c.section)
    if m:
        return m.group(1).strip()
    m = _SEED_STAR_SECTION.match(c.section)
    if m and not re.search(r"(?i)integration|seam|checklist|overview", m.group(1)):
        return m.group(1).strip()
    return None


def docs_cited(lines: list[TextLine]) -> list[str]:
    """Source documents named in some lines, by file name or in words."""
    found = set()
    for tl in lines:
        for doc in DOC_NAMES:
            if doc in tl.text or _DOC_WORDS[doc].search(tl.text):
                found.add(doc)
    return sorted(found)


# --------------------------------------------------------------------------- tests and validation


def _heading_star(rx: re.Pattern, title: str) -> str | None:
    m = rx.search(strip_decoration(title))
    if not m:
        return None
    name = re.split(r"\s*(?::\s|\s[\u2013\u2014]\s|\s-\s)", m.group(1), maxsplit=1)[0]
    name = name.strip(" `*_\"'.")
    return name or None


_TEST_PART = (
    re.compile(r"(?i)\(?\btests?\s*[:=]\s*[\"\u201c`']?(.+?)[\"\u201d`']?\s*\)?\s*$"),
    re.compile(r"(?:\u2192|->|=>)\s*(.+)$"),
    re.compile(r"(?i)\b(?:validated|covered|checked|verified) by\s*:?\s*(.+)$"),
    re.compile(r"\s[\u2014\u2013]\s+[\"\u201c`'](.+?)[\"\u201d`']\s*$"),
)


def split_test(text: str) -> tuple[str, str | None]:
    """``(criterion text, test name or None)`` for one validation entry."""
    for rx in _TEST_PART:
        m = rx.search(text)
        if m:
            test = m.group(1).strip(" \"'`\u201c\u201d[]")
            while test.endswith(")") and test.count(")") > test.count("("):
                test = test[:-1].rstrip(" \"'`\u201d")
            while test.startswith("(") and test.count("(") > test.count(")"):
                test = test[1:].lstrip(" \"'`\u201c")
            if test and not re.fullmatch(r"(?i)(?:none|n/?a|tbd|todo|-+|\?+|test that validates this)", test):
                return text[: m.start()].strip(" \u2014\u2013-:(").strip(), test
            return text[: m.start()].strip(" \u2014\u2013-:("), None
    return text, None


def _validation_items(plan: ParsedPlan, section: Section) -> list[ValidationItem]:
    out: list[ValidationItem] = []
    for s in section.walk():
        for b in s.blocks:
            if b.kind == "list":
                for it in b.items:
                    sub = [TextLine(x.text, x.line) for blk in it.blocks for x in _collect(blk)]
                    end = max([it.line + len(it.lines) - 1] + [x.line for x in sub])
                    out.append(_validation_item(plan, it.text, it.line, sub, end))
            elif b.kind == "table" and len(b.rows) > 1:
                header = [norm_key(h) for h in b.rows[0]]
                tcol = next((i for i, h in enumerate(header) if _TEST_COLUMN.search(h)), None)
                for r, row in enumerate(b.rows[1:], start=1):
                    crit = " ".join(cell for i, cell in enumerate(row) if i != tcol)
                    test = row[tcol].strip() if tcol is not None and tcol < len(row) else ""
                    line = b.line + r + 1
                    item = _validation_item(plan, crit, line, [], line, test_cell=test if tcol is not None else None)
                    out.append(item)
            elif b.kind == "para":
                # a criterion per paragraph line (``**SC2** ... : Test 18``)
                for ln in b.lines:
                    if _CRIT_ID.search(ln.text) or _CRIT_NUM.match(ln.text):
                        out.append(_validation_item(plan, ln.text, ln.line, [], ln.line))
    return out


_TEST_COLUMN = re.compile(r"test|covered|verified|validated|checked|proved|evidence")


def _collect(block: Block) -> list[TextLine]:
    out: list[TextLine] = []
    _block_lines(block, out)
    return out


_NUM_REF = re.compile(r"(?i)\btests?\s*#?\s*(\d+)\b((?:\s*(?:,|&|\band\b|\bor\b|/|\+|-|\u2013|\bto\b)\s*#?\s*\d+\b)*)")
_T_REF = re.compile(r"\bT-?(\d+)\b")
_RANGE = re.compile(r"(\d+)\s*(?:-|\u2013|\bto\b)\s*#?\s*(\d+)")


def _refs(text: str, test: str | None, raws: list[str]) -> list[TestRef]:
    """References to tests in a validation entry: numbers (``Test 18``, ``Tests 3 and 4``), links to
    anchors (``[Test 4](#test-4-...)``) and the test name its test part gives."""
    refs: list[TestRef] = []
    for raw in raws:
        for label, dest in links(raw):
            if dest.startswith("#") and len(dest) > 1:
                refs.append(TestRef("link", dest[1:].lower(), f"[{clean(label)}]({dest})"))
    linked = " ".join(r.label for r in refs)
    for m in _T_REF.finditer(text):
        refs.append(TestRef("number", m.group(1), m.group(0)))
    for m in _NUM_REF.finditer(text):
        if m.group(0) in linked:
            continue
        numbers = [m.group(1)] + re.findall(r"\d+", m.group(2) or "")
        for a, b in _RANGE.findall(m.group(0)):
            if int(a) < int(b) <= int(a) + 50:
                numbers += [str(n) for n in range(int(a) + 1, int(b))]
        for n in numbers:
            refs.append(TestRef("number", n, f"Test {n}"))
    if test and not _NUM_REF.search(test) and not _T_REF.search(test) and not any(r.kind == "link" for r in refs):
        refs.append(TestRef("name", test, test))
    seen = set()
    out = []
    for r in refs:
        if (r.kind, r.value) not in seen:
            seen.add((r.kind, r.value))
            out.append(r)
    return out


def _validation_item(
    plan: ParsedPlan, text: str, line: int, sub: list[TextLine], end: int, test_cell: str | None = None
) -> ValidationItem:
    crit, test = (text, None) if test_cell is not None else split_test(text)
    if test is None:
        for tl in sub:
            _, t = split_test(tl.text)
            if t:
                test = t
                break
    raws = plan.raw[line - 1 : end]
    refs = _refs(" ".join([text] + [tl.text for tl in sub]), test, raws) if test_cell is None else []
    if test_cell is not None:
        refs = [r for r in _refs(text, None, raws) if r.kind == "link"]
        if re.fullmatch(r"\s*#?\d+(?:\s*(?:,|&|\band\b|/|-|\u2013)\s*#?\d+)*\s*", test_cell):
            test_cell = f"Tests {test_cell}"  # a Test column of bare numbers
        cell_test = split_test(f"Test: {test_cell}")[1]
        if test is None:
            test = cell_test
        refs += [r for r in _refs(test_cell, cell_test, []) if r not in refs]
    m = _CRIT_ID.search(text)
    cid = f"SC{m.group(1)}.{m.group(2)}" if m else None
    if m:
        crit = clean(_CRIT_ID.sub("", crit).strip(" :\u2014\u2013-"))
    num = None
    if not m:
        n = _CRIT_NUM.match(text)
        if n:
            num = int(n.group(1) or n.group(2))
            crit = clean(crit[n.end() :].strip(" :\u2014\u2013-*)(")) if crit.startswith(text[: n.end()]) else crit
    return ValidationItem(text=crit, line=line, criterion_id=cid, criterion_number=num, test=test, refs=refs)


# --------------------------------------------------------------------------- the parser


def parse_plan(text: str, display: str = "<plan>") -> ParsedPlan:
    """Parse a plan's Markdown text. Raises :class:`~cgplan.errors.InputError` only for unusable text."""
    _LABELS.clear()
    doc: Document = parse_text(text, display=display)
    plan = ParsedPlan(display=display, meta=meta_mod.read(doc.text))
    plan.raw = doc.text.split("\n")
    plan.lines = sorted(_section_lines(doc.root), key=lambda tl: tl.line)
    plan.line_numbers = [tl.line for tl in plan.lines]
    code = {tl.line for tl in plan.lines if tl.code}
    plan.citations = sorted(_citations(plan.lines) + _link_citations(plan.raw, code), key=lambda c: c.line)
    plan.citation_lines = [c.line for c in plan.citations]
    _title(plan, doc.root)
    _walk(plan, doc.root, in_component=None, in_tests=False)
    for cit in plan.citations:
        name = cited_star(cit)
        if name:
            comp = _component_at(plan, cit.line)
            plan.mentions.append(Mention(name, cit.line, "citation", comp))
    plan.mentions.sort(key=lambda m: (m.line, m.where, m.text))
    _LABELS.clear()
    return plan


def _title(plan: ParsedPlan, root: Section) -> None:
    heads = [s for s in root.walk() if s.level]
    if heads:
        first = min(heads, key=lambda s: (s.level, s.line))
        plan.title, plan.title_line = first.title, first.line
        m = _TITLE_RE.match(strip_decoration(first.title))
        if m:
            plan.gap = strip_decoration(m.group(1)).strip("`\"'")
    for tl in plan.lines[:80]:
        m = re.match(r"(?i)^gap(?: being)? addressed\s*:\s*(.+)$", tl.text)
        if m:
            value = re.sub(r"\s*\(.*$", "", m.group(1)).strip(" \"'`")
            value = re.sub(r"(?i)^gap\s*\d+\s*[:\-\u2013\u2014]?\s*", "", value)
            if value and not plan.gap:
                plan.gap = value
            break


def _component_at(plan: ParsedPlan, line: int) -> str | None:
    for comp in reversed(plan.components):
        if comp.line <= line and any(tl.line >= line for tl in comp.lines[-1:]):
            return comp.name
    return None


def _walk(plan: ParsedPlan, section: Section, *, in_component: PlanComponent | None, in_tests: bool) -> None:
    for child in section.children:
        title = child.title
        name = _component_name(title) if in_component is None else None
        if name is not None:
            comp = _component(plan, child, name)
            plan.components.append(comp)
            _tests_in(plan, child, comp)
            continue
        if in_component is None and not in_tests and _COMPONENTS_GROUP.match(strip_decoration(title)):
            # ``## Components`` with ``### 2.1 EtaSlipConsumer`` under it
            for sub in child.children:
                sub_name = _member_name(sub.title)
                if sub_name is None:
                    continue
                comp = _component(plan, sub, sub_name)
                plan.components.append(comp)
                _tests_in(plan, sub, comp)
            continue
        if in_component is None:
            key = _classify(title, _PLAN_PART_WORDS)
            if key and key not in plan.parts:
                part = Part(key, title, child.line, _is_empty(child))
                plan.parts[key] = part
                if part.empty:
                    plan.empty_sections.append(part)
            if key == "validation":
                plan.validation.extend(_validation_items(plan, child))
                continue
            if key == "tests" or in_tests:
                if _test_heading(plan, child, in_tests=in_tests) is None:
                    _block_tests(plan, child)
                _walk(plan, child, in_component=None, in_tests=True)
                continue
            _test_heading(plan, child)
        _walk(plan, child, in_component=in_component, in_tests=in_tests)
    if in_tests and "validation" not in plan.parts:
        _label_validation(plan, section)


def _label_validation(plan: ParsedPlan, section: Section) -> None:
    """A ``**Success Criteria Validation:**`` label followed by a list, in a test section."""
    armed = False
    for b in section.blocks:
        if b.kind == "para" and b.lines:
            label = _para_label(b.lines[-1])
            armed = bool(
                label
                and re.search(r"(?i)success criteria (?:validation|mapping)|criteria (?:validation|mapping)", label)
            )
            if armed:
                plan.parts["validation"] = Part("validation", label, b.line)
        elif b.kind == "list" and armed:
            plan.validation.extend(_validation_items(plan, Section(title="", level=7, line=b.line, blocks=[b])))
            armed = False


def _test_heading(plan: ParsedPlan, section: Section, *, in_tests: bool = False) -> PlanTest | None:
    """A heading that names a test; in a test section, also a heading without sub-headings whose code
    names tests (``it('...')``, ``def test_...``)."""
    title = section.title
    test = _new_test(plan, title, section.line, section.end_line, heading=True)
    if test is None and in_tests and not section.children:
        code = [tl.text for tl in plan.lines_between(section.line + 1, section.end_line) if tl.code]
        if any(_CODE_TEST_NAME.search(c) for c in code):
            test = _new_test(plan, title, section.line, section.end_line, heading=True, listed=True)
    if test is not None:
        test.anchor = anchor_slug(title)
    return test


_TEST_TITLE = re.compile(
    r"(?i)^\W*(?:test\s*#?\s*\d+\b|t-?\d+\s*[:.\-\u2013\u2014]|tests?\s*[:\-\u2013\u2014]"
    r"|integration (?:tests? )?(?:with|against)\b"
    r"|failure[- ]modes? (?:from|of|for|in|with)\b|scenario\b)"
)
_TEST_NUMBER = re.compile(r"(?i)^\W*(?:test|t)\s*[-#]?\s*(\d+)\b|^\s*(\d+)[.)]\s")
_TEST_NAME_FIELD = re.compile(r"(?i)^(?:[-*]\s*)?test(?: function)? name\s*:\s*(.+)$")
_CODE_TEST_NAME = re.compile(
    r"""\b(?:it|test|specify|scenario|describe|context)\s*(?:\.\w+\s*)?\(\s*['"`]([^'"`]{3,})['"`]"""
    r"|\bdef\s+(test_\w+)|\bfunc\s+(Test\w+)|\bfn\s+(test_\w+)|\bvoid\s+(test\w*|\w+)\s*\(\s*\)\s*(?:throws|\{)"
)
_CLAIM = re.compile(
    r"(?i)^(?:[-*]\s*)?(?:validates|covers|verifies|proves|checks|maps to|success criteri\w*|criteri(?:on|a))\b"
    r"|\bSC\s?\d+(?:\.\d+)?\b"
)


_CLAIM_FIRST = frozenset("VvCcPpMmSs-*")


def _new_test(
    plan: ParsedPlan,
    title: str,
    line: int,
    end: int,
    *,
    heading: bool,
    number: int | None = None,
    listed=False,
    first: str = "",
):
    """A test whose title is ``title`` and whose body runs to ``end``, or ``None`` when the title names no test."""
    if not listed:
        low = title.lower()
        if "test" not in low and "scenario" not in low and "integration" not in low and "failure" not in low:
            return None  # most headings: decided without the patterns
    star = _heading_star(_FAIL_HEAD, title)
    kind = "failure" if star else None
    if star is None:
        star = _heading_star(_INTEG_HEAD, title)
        kind = "integration" if star else None
    if kind is None:
        if not listed and (not re.search(r"(?i)\btest\b|\bscenario\b", title) or _classify(title, _PLAN_PART_WORDS)):
            return None
        if heading and not _TEST_TITLE.search(strip_decoration(title)) and re.search(r"(?i)\btests$", title):
            return None  # ``### Integration Tests``, ``### Unit tests``: a group, not a test
        # a test of a gap constraint ("Test 14: Constraint: ... within 15 minutes") is no failure-mode test
        constraint = re.search(r"(?i)^\W*(?:test\s+[\w.-]+\s*[:.\-—–]\s*)?constraint\b", title)
        kind = "failure" if _FAILURE_WORDS.search(title) and not constraint else "other"
    body = plan.lines_between(line + 1, end)
    names, claims = [], []
    for tl in body:
        t = tl.text
        if tl.code:
            if "(" in t:
                for m in _CODE_TEST_NAME.finditer(t):
                    names.append(next(g for g in m.groups() if g))
            continue
        if "ame" in t:
            m = _TEST_NAME_FIELD.match(t)
            if m:
                names.append(m.group(1).strip(" `\"'*"))
        if (t[:1] in _CLAIM_FIRST or "SC" in t) and _CLAIM.search(t):
            claims.append(t)
    m = _TEST_NUMBER.match(strip_decoration(title))
    if m:
        number = int(m.group(1) or m.group(2))
    text = " ".join([first] + [tl.text for tl in body if not tl.code])
    test = PlanTest(
        title=strip_decoration(title),
        line=line,
        kind=kind,
        star=star,
        text=clean(f"{title} {text}"),
        number=number,
        names=names,
        claims=claims,
    )
    plan.tests.append(test)
    if star and (star[:1].isupper() or star[:1] in "`*"):
        plan.mentions.append(Mention(star, line, "test-heading", None))
    return test


def _table_tests(plan: ParsedPlan, b: Block) -> None:
    """A table of tests: a column headed ``Test`` (or ``Name``/``Scenario``) gives each row's title; a ``#`` /
    ``No``/``ID`` column its number, a ``Star`` column and a ``Type``/``Kind`` column its star and kind."""
    if len(b.rows) < 2:
        return
    head = [norm_key(h) for h in b.rows[0]]

    def col(*words: str) -> int | None:
        return next((i for i, h in enumerate(head) if h in words), None)

    name = col("test", "tests", "test name", "name", "scenario", "test case", "what to test")
    if name is None or any("criteri" in h for h in head):
        return  # no test column, or a criteria-to-tests table
    num, star, kind = col("", "no", "id", "number", "test no", "test id"), col("star", "stars"), col("type", "kind")
    for r, row in enumerate(b.rows[1:], start=1):
        cells = [clean(c) for c in row] + [""] * len(head)

        def cell(i: int | None, cells: list[str] = cells) -> str:
            return cells[i] if i is not None else ""

        title = cell(name)
        if not title:
            continue
        number = None
        m = re.match(r"(?i)^\W*(?:test|t)?\s*[-#]?\s*(\d+)\b", cell(num)) if num is not None else None
        if m:
            number = int(m.group(1))
        if star is not None and cell(star) and not _FAIL_HEAD.search(title) and not _INTEG_HEAD.search(title):
            typed = cell(kind).lower()
            failure = "fail" in typed or ("integ" not in typed and bool(_FAILURE_WORDS.search(title)))
            what = "Failure Mode from" if failure else "Integration with"
            title = f"{what} {cell(star)}: {title}"
        line = b.line + r + 1
        _new_test(plan, title, line, line, heading=False, number=number, listed=True, first=" ".join(cells))


_TEST_GROUP = re.compile(
    r"(?i)\b(?:failure|integration|acceptance|load|performance)[- ]?(?:modes? )?tests?\b|\btest cases\b|\bscenarios\b"
)

_CODE_NAME = re.compile(r"(?i)^(?:test[_A-Z]\w*|\w+_\w+)$")


def _block_tests(plan: ParsedPlan, section: Section) -> None:
    """Tests written as bold paragraphs (``**Test 3: Failure Mode from Redis Cache**``) or as items of a
    numbered list (``3. **Integration with Stripe API** ...``) in a test section."""
    own_end = section.children[0].line - 1 if section.children else section.end_line
    starts: list[tuple[int, Line, int | None]] = []
    for b in section.blocks:
        if b.kind == "para" and b.lines:
            ln = b.lines[0]
            lead = _lead_name(ln)
            if lead and _TEST_TITLE.match(lead):
                starts.append((ln.line, ln, None))
        elif b.kind == "table":
            _table_tests(plan, b)
        elif b.kind == "list" and not b.ordered:
            group = bool(_TEST_GROUP.search(strip_decoration(section.title)))
            for it in b.items:
                lead = _lead_name(it.first) or ""
                if lead and (_TEST_TITLE.match(lead) or group):
                    starts.append((it.line, it.first, None))
        elif b.kind == "list" and b.ordered:
            leads = [_lead_name(it.first) or "" for it in b.items]
            named = any(
                _TEST_TITLE.match(lead) or _TEST_TITLE.match(it.text) for lead, it in zip(leads, b.items, strict=True)
            )
            if not named and not (len(b.items) >= 2 and all(leads)):
                continue
            for it in b.items:
                m = re.match(r"^\s*(\d+)[.)]", plan.raw[it.line - 1]) if it.line <= len(plan.raw) else None
                starts.append((it.line, it.first, int(m.group(1)) if m else None))
    for i, (line, ln, number) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else own_end
        title = _lead_name(ln) or re.split(r"\s[\u2014\u2013]\s|\s-\s|:\s", ln.text, maxsplit=1)[0]
        if not title.strip():
            continue
        test = _new_test(plan, title.rstrip(" :"), line, end, heading=False, number=number, listed=True, first=ln.text)
        if test is not None and test.kind == "other" and re.search(r"(?i)\bfailure", section.title):
            test.kind = "failure"
        if test is not None:
            test.names[:0] = [seg.text for seg in ln.segs if seg.code and _CODE_NAME.match(seg.text.strip())]


_TESTS_TITLE = re.compile(r"(?i)\btest(?:s|ing)?\b|\bscenarios\b")


def _tests_in(plan: ParsedPlan, comp_sec: Section, comp: PlanComponent) -> None:
    """Tests written inside a component (some layouts put them there): headings, and bold paragraphs,
    numbered lists or tables under a ``Tests`` heading."""

    def visit(sec: Section, in_tests: bool) -> None:
        for s in sec.children:
            before = len(plan.tests)
            t = _test_heading(plan, s, in_tests=in_tests)
            if t and plan.mentions and plan.mentions[-1].line == s.line:
                plan.mentions[-1].component = comp.name
            inner = in_tests or bool(_TESTS_TITLE.search(strip_decoration(s.title)))
            if t is None and inner:
                _block_tests(plan, s)
            for test in plan.tests[before:]:
                test.component = comp.name
            visit(s, inner and t is None)

    visit(comp_sec, False)


def _component(plan: ParsedPlan, section: Section, name: str) -> PlanComponent:
    comp = PlanComponent(name=name, line=section.line, end_line=section.end_line)
    comp.lines = plan.lines_between(section.line, section.end_line)
    lo = bisect.bisect_left(plan.citation_lines, section.line)
    hi = bisect.bisect_right(plan.citation_lines, section.end_line)
    comp.citations = plan.citations[lo:hi]
    for i, tl in enumerate(comp.lines):
        m = None if tl.code else _IMPLEMENTS.match(tl.text)
        if m:
            comp.implements = tl
            if not tl.text[m.end() :].strip() and i + 1 < len(comp.lines):
                nxt = comp.lines[i + 1]  # ``**Implements:**`` with the gap on the line below
                comp.implements = TextLine(f"{tl.text} {nxt.text}", tl.line)
                comp.implements_lines = (tl.line, nxt.line)
            break
    context_lines: list[TextLine] | None = None
    for s in section.walk():
        if s is section:
            continue
        m = _SIG_HEAD.match(strip_decoration(s.title))
        if m and m.group(1).lower() in ("function", "class", "method", "endpoint"):
            comp.signatures.append(Signature(m.group(1).lower(), m.group(2).strip("`*_ "), s.line))
        key = _classify(s.title, _COMPONENT_PART_WORDS)
        if key and key not in comp.parts:
            comp.parts[key] = Part(key, s.title, s.line, _is_empty(s))
            if key == "context":
                context_lines = plan.lines_between(s.line, s.end_line)
    # labelled fields acting as sub-sections (``**Purpose:** ...``)
    for tl_sec in section.walk():
        for b in tl_sec.blocks:
            lines = b.lines if b.kind == "para" else [it.first for it in b.items] if b.kind == "list" else []
            for ln in lines:
                label = _para_label(ln)
                if not label:
                    continue
                key = _classify(label, _COMPONENT_PART_WORDS)
                if key and key not in comp.parts and (key != "integration" or "point" in label.lower()):
                    comp.parts[key] = Part(key, label, ln.line)
    for tl in comp.lines:
        if tl.code and declares(tl.text):
            comp.signatures.append(Signature("code", tl.text.strip()[:60], tl.line))
    for s in section.walk():
        for b in s.blocks:
            for ln in _inline_lines(b):
                for seg in ln.segs:
                    if seg.code and _INLINE_SIG.match(seg.text.strip()) and declares(seg.text):
                        comp.signatures.append(Signature("code", seg.text.strip()[:60], ln.line))
    comp.signatures.sort(key=lambda g: (g.line, g.kind, g.name))
    for text, line in _stars_in(section, plan.raw):
        comp.stars.append(Mention(text, line, "stars-list", name))
    comp.cited_docs = docs_cited(context_lines if context_lines is not None else comp.lines)
    return comp


def _inline_lines(block: Block) -> list[Line]:
    if block.kind == "para":
        return list(block.lines)
    if block.kind == "list":
        out: list[Line] = []
        for it in block.items:
            out.extend(it.lines)
            for sub in it.blocks:
                out.extend(_inline_lines(sub))
        return out
    if block.kind == "quote":
        return [ln for sub in block.blocks for ln in _inline_lines(sub)]
    return []


def all_mentions(plan: ParsedPlan) -> list[Mention]:
    """Star mentions from component star lists, test headings and citations, in line order."""
    out = [m for comp in plan.components for m in comp.stars] + plan.mentions
    out = [m for m in out if not is_placeholder(m.text)]
    return sorted(out, key=lambda m: (m.line, m.where, m.text))
