"""Typed models of a construction folder.

Every parsed item keeps where it came from (:class:`Source`): the document, the
line, the heading of its section, and a hash of that section's text, so a plan
can cite it and later tell when it changed.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

MAP = "constellation-map.md"
GAPS = "gap-analysis.md"
SKETCHES = "implementation-sketches.md"


@dataclass(frozen=True)
class Source:
    """Where a parsed item was written."""

    file: str
    """Path of the document as shown to people (relative to the folder that holds ``construction/``)."""
    line: int
    """1-based line."""
    section: str = ""
    """Heading of the section the item belongs to, plain text (``Star: Redis Cache``)."""
    hash: str = ""
    """Short hash of that section's source text; changes when the section is edited."""

    @property
    def doc(self) -> str:
        """The document's file name (``constellation-map.md``)."""
        return os.path.basename(self.file)  # same as Path(...).name, without building a Path per citation

    def cite(self) -> str:
        """A citation such as ``constellation-map.md § Star: Redis Cache``."""
        return f"{self.doc} § {self.section}" if self.section else self.doc


@dataclass
class Text:
    """A piece of text with its source line (a constraint, an assumption, a bullet)."""

    text: str
    """Plain text."""
    line: int
    """1-based source line."""


@dataclass
class CodeBlock:
    """A fenced code block quoted in a document."""

    info: str
    """The fence's info string (language), possibly empty."""
    code: str
    """The block's content."""
    line: int
    """1-based line of the opening fence."""


@dataclass
class Contracts:
    """A star's exposed contracts."""

    api: list[Text] = field(default_factory=list)
    """``API:`` entries: endpoints, methods, commands."""
    schema: list[Text] = field(default_factory=list)
    """``Schema:`` entries: data structures."""
    dependencies: list[Text] = field(default_factory=list)
    """``Dependencies:`` entries."""
    other: list[Text] = field(default_factory=list)
    """Entries with no recognised prefix."""
    code: list[CodeBlock] = field(default_factory=list)
    """Code blocks under the contracts (schemas, interfaces)."""

    def all(self) -> list[Text]:
        """Every entry, API first."""
        return [*self.api, *self.schema, *self.dependencies, *self.other]


@dataclass
class Star:
    """A trusted component of the constellation."""

    name: str
    """Canonical name, as in its heading."""
    source: Source
    """Where its section starts."""
    aliases: list[str] = field(default_factory=list)
    """Other names it may be referred to by (stated, or derived from a parenthetical)."""
    type: str = ""
    """Library / Service / API / Framework / Database ..."""
    status: str = ""
    """Maturity as stated (``Proven in production``)."""
    assumptions: list[Text] = field(default_factory=list)
    """Core assumptions."""
    scaling: list[Text] = field(default_factory=list)
    """Scaling model."""
    contracts: Contracts = field(default_factory=Contracts)
    """Exposed contracts."""
    auth: list[Text] = field(default_factory=list)
    """Authentication pattern."""
    errors: list[Text] = field(default_factory=list)
    """Error handling: failure modes and recovery."""
    conflicts: list[Text] = field(default_factory=list)
    """Known conflicts / overlaps with other stars."""
    extra: dict[str, list[str]] = field(default_factory=dict)
    """Fields the template does not have, label -> texts."""

    def name_forms(self) -> list[str]:
        """Every name the star may be written as: its name, its aliases, its name without a trailing ``(...)``."""
        forms = [self.name, *self.aliases]
        base = base_name(self.name)
        if base != self.name:
            forms.append(base)
        return forms


@dataclass
class Integration:
    """An integration point between two stars."""

    between: tuple[str, str]
    """The two names as written in the heading."""
    source: Source
    """Where its section starts."""
    stars: tuple[str | None, str | None] = (None, None)
    """The canonical names they resolve to, ``None`` where unresolved."""
    connection_type: str = ""
    """``Connection Type``."""
    data_flow: str = ""
    """``Data Flow``."""
    failure_mode: str = ""
    """``Failure Mode``."""
    dependencies: str = ""
    """``Dependencies``."""


@dataclass
class Constellation:
    """The catalog of stars (``constellation-map.md``)."""

    system: str
    """System name from the title."""
    source: Source
    """The document."""
    overview: str = ""
    """Overview prose."""
    stars: list[Star] = field(default_factory=list)
    """Stars in document order (duplicates dropped, reported as problems)."""
    integrations: list[Integration] = field(default_factory=list)
    """Integration points."""
    seams: str = ""
    """Architectural seams prose."""


@dataclass
class StarRef:
    """A reference to a star written in a gap, non-gap or sketch."""

    text: str
    """The name as written, markup stripped."""
    source: Source
    """Where it was written."""
    via: str = ""
    """What follows the name (``via Express middleware``), for must-connect-to references."""
    star: str | None = None
    """Canonical star name it resolves to; ``None`` if unknown or ambiguous."""
    candidates: list[str] = field(default_factory=list)
    """For an ambiguous reference: the stars it could mean."""


@dataclass
class Criterion:
    """A success criterion of a gap."""

    id: str
    """Stable id: ``SC<gap number>.<n>`` (``SC1.2``)."""
    text: str
    """Plain text, checkbox removed."""
    line: int
    """1-based source line."""
    checked: bool | None = None
    """Checkbox state when written as one."""


@dataclass
class IntegrationPoints:
    """A gap's integration points."""

    input: list[Text] = field(default_factory=list)
    """``Input:`` entries."""
    output: list[Text] = field(default_factory=list)
    """``Output:`` entries."""
    errors: list[Text] = field(default_factory=list)
    """``Error handling:`` entries."""
    other: list[Text] = field(default_factory=list)
    """Entries with another prefix."""


@dataclass
class Gap:
    """A missing capability from ``gap-analysis.md``."""

    number: int
    """The written number, or the 1-based position where none is written."""
    name: str
    """Name from the heading, decoration stripped."""
    slug: str
    """File-name slug: lower-case ASCII words joined by ``-``."""
    source: Source
    """Where its section starts."""
    numbered: bool = True
    """Whether the heading carried a number."""
    status: str = ""
    """Status as written (``Missing``), emoji dropped."""
    priority: str | None = None
    """Critical / High / Medium / Low, or ``None`` if absent or unrecognised."""
    priority_note: str = ""
    """The rest of the priority text (``High - blocks launch``)."""
    missing_capability: str = ""
    """What is missing."""
    why: str = ""
    """Why existing stars do not cover it."""
    reasons: list[Text] = field(default_factory=list)
    """The same, one entry per bullet (or one for a paragraph)."""
    constraints: list[Text] = field(default_factory=list)
    """Constraints that must shape it."""
    connects_to: list[StarRef] = field(default_factory=list)
    """Must-connect-to star references."""
    integration_points: IntegrationPoints = field(default_factory=IntegrationPoints)
    """Input / output / error handling."""
    success_criteria: list[Criterion] = field(default_factory=list)
    """Measurable success criteria."""
    stakeholder_need: str = ""
    """Which stakeholder need it addresses."""
    extra: dict[str, list[str]] = field(default_factory=dict)
    """Fields the template does not have."""


@dataclass
class NonGap:
    """A capability first thought missing but covered by a star."""

    name: str
    """The capability."""
    source: Source
    """Where its section starts."""
    covered_by: StarRef | None = None
    """The star that covers it."""
    why: str = ""
    """Why no new code is needed."""


@dataclass
class SketchStar:
    """A star a sketch connects to, with how."""

    ref: StarRef
    """The reference (resolved to the catalog)."""
    connection: str = ""
    """``Connection:`` how we integrate."""
    reuse: str = ""
    """``What we reuse:``."""
    integration_point: str = ""
    """``Integration point:``."""

    @property
    def note(self) -> str:
        """The whole usage note as one text: connection, what we reuse, integration point."""
        return f"{self.connection} {self.reuse} {self.integration_point}"


@dataclass
class Component:
    """A key component of a sketch's design."""

    name: str
    """Component name (``RateLimitMiddleware``)."""
    description: str
    """What it does."""
    line: int
    """1-based source line."""


@dataclass
class Alternative:
    """An alternative the sketch considered."""

    name: str
    """The approach."""
    why_rejected: str = ""
    """Why it was rejected."""


@dataclass
class Sketch:
    """A rough design for one gap (``implementation-sketches.md``)."""

    title: str
    """Title from the heading."""
    source: Source
    """Where its section starts."""
    number: int | None = None
    """The written number, if any."""
    gap_reference: str = ""
    """The ``Gap Reference`` text."""
    gap: str | None = None
    """Slug of the gap it belongs to, ``None`` if it matches none."""
    priority: str | None = None
    """Normalized priority."""
    complexity: str = ""
    """Estimated complexity."""
    new_functionality: str = ""
    """New functionality needed."""
    why: str = ""
    """Why the gap exists (recap)."""
    stars: list[SketchStar] = field(default_factory=list)
    """Stars this connects to."""
    seams: str = ""
    """Architectural seams."""
    core_decision: str = ""
    """Core design decision."""
    components: list[Component] = field(default_factory=list)
    """Key components."""
    data_flow: str = ""
    """The data-flow block's text."""
    data_flow_line: int = 0
    """1-based line of the data-flow block."""
    reuse: list[Text] = field(default_factory=list)
    """What is reused."""
    generate: list[Text] = field(default_factory=list)
    """What must be generated."""
    constraints_gap: list[Text] = field(default_factory=list)
    """Constraints from the gap analysis."""
    constraints_constellation: list[Text] = field(default_factory=list)
    """Constraints from the constellation."""
    pros: list[Text] = field(default_factory=list)
    """Trade-off pros."""
    cons: list[Text] = field(default_factory=list)
    """Trade-off cons."""
    alternatives: list[Alternative] = field(default_factory=list)
    """Alternatives considered."""


@dataclass
class Problem:
    """A finding about the folder itself."""

    kind: str
    """``unknown-star``, ``gap-without-sketch``, ``sketch-without-gap``, ``duplicate-star``, ``missing-field`` ..."""
    severity: str
    """``error`` or ``warning``."""
    message: str
    """One readable sentence."""
    file: str
    """Document path as shown to people."""
    line: int
    """1-based line."""
    fields: dict[str, object] = field(default_factory=dict)
    """Kind-specific fields (``name``, ``gap``, ``sketch``, ``candidates``)."""

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            **self.fields,
        }


@dataclass
class Construction:
    """A whole construction folder, parsed and resolved."""

    root: Path
    """The folder that holds ``construction/``."""
    dir: Path
    """The ``construction/`` folder."""
    constellation: Constellation
    """The star catalog."""
    system: str
    """System name (from the map, else the gap analysis)."""
    gaps: list[Gap] = field(default_factory=list)
    """Gaps in document order."""
    non_gaps: list[NonGap] = field(default_factory=list)
    """Non-gaps."""
    sketches: list[Sketch] = field(default_factory=list)
    """Sketches in document order."""
    problems: list[Problem] = field(default_factory=list)
    """Findings about the folder."""
    hashes: dict[str, str] = field(default_factory=dict)
    """Full-document hashes by file name."""

    @property
    def stars(self) -> list[Star]:
        return self.constellation.stars

    def star(self, name: str) -> Star | None:
        """The star with this canonical name."""
        s = self._lookup("_star_index", self.constellation.stars, lambda s: s.name).get(name)
        if s is not None and s.name == name:
            return s
        for s in self.constellation.stars:  # renamed since the index was built
            if s.name == name:
                return s
        return None

    def sketch_for(self, gap: Gap) -> Sketch | None:
        """The sketch that belongs to a gap (the first, if several)."""
        sk = self._lookup("_sketch_index", self.sketches, lambda sk: sk.gap).get(gap.slug)
        if sk is not None and sk.gap == gap.slug:
            return sk
        for sk in self.sketches:
            if sk.gap == gap.slug:
                return sk
        return None

    def _lookup(self, attr: str, items: list, key) -> dict:
        """A first-wins index of ``items`` by ``key``, rebuilt when the list is replaced or changes length."""
        cached = self.__dict__.get(attr)
        if cached is None or cached[0] is not items or cached[1] != len(items):
            index: dict = {}
            for it in items:
                index.setdefault(key(it), it)
            cached = (items, len(items), index)
            self.__dict__[attr] = cached
        return cached[2]

    @property
    def design_dir(self) -> Path:
        return self.dir / "design"

    def display(self, path: Path) -> str:
        """How messages show ``path``: relative to the folder that holds ``construction/``."""
        return display_path(self.root, path)


def base_name(name: str) -> str:
    """A name without a trailing ``(...)`` (``API Gateway (Express)`` -> ``API Gateway``), or the name itself
    when nothing else is left."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", name).strip() or name


def display_path(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` (the folder that holds ``construction/``) when inside it, else as given."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def to_jsonable(obj):
    """Dataclasses to plain JSON-ready structures."""
    if hasattr(obj, "__dataclass_fields__"):
        return {k: to_jsonable(v) for k, v in asdict(obj).items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, Path):
        return str(obj)
    return obj
