"""The typed code-generation plan: what :func:`cgplan.plan.build_plan` returns and the renderers read.

Every fact taken from a document is a :class:`Cited` (the quoted text and
where it came from); everything cgplan proposes itself carries ``proposed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cited:
    """A piece of document text, quoted, with its citation."""

    text: str
    """The text as written (markup removed)."""
    cite: str
    """Where it comes from: ``constellation-map.md § Star: Redis Cache``."""
    label: str = ""
    """The field it was found under (``Scaling Model``), if any."""


@dataclass
class StarUse:
    """How one component integrates with one star."""

    name: str
    """Canonical star name from the constellation map."""
    cite: str
    """The star's section: ``constellation-map.md § Star: <name>``."""
    uses: list[Cited] = field(default_factory=list)
    """What the component uses of the star (sketch reuse text, else its contracts)."""
    integration_point: list[Cited] = field(default_factory=list)
    """Where the component meets the star (sketch connection / integration point, gap via text)."""
    patterns: list[Cited] = field(default_factory=list)
    """Conventions to follow: naming, authentication, error handling."""


@dataclass
class Signature:
    """A proposed (or decided) function or class."""

    kind: str
    """``function`` or ``class``."""
    name: str
    """Identifier."""
    purpose: str
    """What it does, one sentence."""
    language: str
    """Fence info string for the signature block (``typescript``, ``python``, empty for pseudo-code)."""
    code: str
    """The signature itself."""
    proposed: bool = True
    """True unless the signature comes from a decisions file."""
    steps: list[str] = field(default_factory=list)
    """Implementation approach, one step per entry, pointing to the plan section that holds the facts."""
    errors: list[Cited] = field(default_factory=list)
    """Error cases to handle: the gap's error handling, then the failure modes of the stars it touches, each once."""
    patterns: list[Cited] = field(default_factory=list)
    """Constellation patterns to follow, one short excerpt per star and label (``Naming``, ``Auth``, ``Errors``)."""


@dataclass
class DataStructure:
    """A data structure the component works with."""

    name: str
    """Type name."""
    language: str
    """Fence info string."""
    code: str
    """The definition (quoted from a star, or proposed)."""
    proposed: bool
    """True when cgplan proposed it; False when quoted from a document."""
    alignment: list[Cited] = field(default_factory=list)
    """The documented schemas / contracts it follows."""


@dataclass
class Constraint:
    """A constraint that shapes a component, quoted with its source."""

    text: str
    """The constraint as written."""
    cite: str
    """Its citation."""
    origin: str
    """``gap``, ``star`` or ``sketch``."""
    star: str = ""
    """For star constraints: the star's canonical name."""
    label: str = ""
    """The star field it was found under (``Scaling Model``)."""
    kind: str = ""
    """What sort of limit it states: ``rate``, ``timeout``, ``pool``, ``size``, ``status``, ``count``, or empty."""


@dataclass
class Meaning:
    """An implementation consequence derived from the constraints of one kind (all rates, all timeouts, ...)."""

    kind: str
    """The kind of limit: ``rate``, ``pool``, ``timeout``, ``size``, ``status`` or ``count``."""
    values: list[str]
    """The figures those constraints state, as written (``100 req/sec``, ``30s``)."""
    sources: list[str]
    """Where the figures come from: ``gap`` or a star's canonical name, in order of first appearance."""
    choice: str
    """The implementation choice, phrased as derived from those figures."""


@dataclass
class FlowEdge:
    """One arrow of the sketch's data flow."""

    src: str
    """Label of the node the arrow leaves."""
    dst: str
    """Label of the node the arrow reaches."""
    label: str = ""
    """Text written on or beside the arrow."""
    both: bool = False
    """A two-way arrow."""


@dataclass
class Flow:
    """The sketch's data flow as a graph."""

    nodes: list[str] = field(default_factory=list)
    """Node labels in order of first appearance."""
    edges: list[FlowEdge] = field(default_factory=list)
    """Arrows in order."""
    cite: str = ""
    """Citation of the sketch section holding the block."""


@dataclass
class ComponentPlan:
    """One ``## Component N:`` section of the plan."""

    number: int
    """1-based position."""
    name: str
    """Component name from the sketch."""
    description: str
    """The sketch's description of it."""
    purpose: list[Cited] = field(default_factory=list)
    """What it does, quoted from the sketch (the gap's missing capability only when there is no sketch)."""
    stars: list[StarUse] = field(default_factory=list)
    """Stars it integrates with."""
    stars_decided: bool = False
    """True when the star list comes from the decisions file."""
    file: str = ""
    """Path of the file to create."""
    file_proposed: bool = True
    """True unless the path comes from the decisions file."""
    file_purpose: str = ""
    """What the file holds."""
    imports: list[Cited] = field(default_factory=list)
    """Dependencies taken from the stars' contracts."""
    signatures: list[Signature] = field(default_factory=list)
    """Functions / classes to write."""
    data_structures: list[DataStructure] = field(default_factory=list)
    """Types it defines or follows."""
    inputs: list[Cited] = field(default_factory=list)
    """What it receives (data-flow arrows in, gap inputs)."""
    outputs: list[Cited] = field(default_factory=list)
    """What it produces (data-flow arrows out, gap outputs)."""
    side_effects: list[Cited] = field(default_factory=list)
    """Stars it updates along the way."""
    constraints_gap: list[Constraint] = field(default_factory=list)
    """The gap's constraints that shape this component (its name, description, stars or figures)."""
    constraints_star: list[Constraint] = field(default_factory=list)
    """Limits stated by the stars it uses (and sketch notes about them)."""
    meanings: list[Meaning] = field(default_factory=list)
    """What those constraints mean for the implementation, one entry per kind of limit."""


@dataclass
class TestCase:
    """A planned test."""

    number: int
    """1-based position in the test strategy."""
    kind: str
    """``integration``, ``failure`` or ``criterion``."""
    title: str
    """Heading text after ``Test N:``."""
    name: str
    """The test's name (snake_case, or as decided)."""
    star: str = ""
    """The star it exercises, for integration and failure tests."""
    what: list[Cited] = field(default_factory=list)
    """What to test, quoted from the documents."""
    components: list[str] = field(default_factory=list)
    """Components under test."""
    approach: str = ""
    """Test skeleton (setup / action / assert) in the plan's language; empty when ``what`` says it in one line."""
    validates: list[str] = field(default_factory=list)
    """Criterion ids it validates."""


@dataclass
class CriterionCheck:
    """One line of the success-criteria validation list."""

    id: str
    """Criterion id (``SC1.2``)."""
    text: str
    """Criterion as written."""
    cite: str
    """The gap section."""
    test: str
    """Name of the test that validates it."""
    decided: bool = False
    """True when the test name comes from the decisions file."""


@dataclass
class Plan:
    """A code-generation plan for one gap."""

    version: str
    """cgplan version that built it."""
    gap: str
    """Gap slug."""
    gap_name: str
    """Gap name."""
    gap_number: int
    """Gap number."""
    gap_cite: str
    """``gap-analysis.md § Gap N: <name>``."""
    system: str
    """System name."""
    priority: str = ""
    """Gap priority."""
    sketch_title: str = ""
    """Title of the sketch, empty when the gap has none."""
    sketch_cite: str = ""
    """``implementation-sketches.md § Sketch N: <title>``."""
    language: str = ""
    """Language the signatures are written in (fence info), empty for pseudo-code."""
    missing_capability: list[Cited] = field(default_factory=list)
    """What the gap says is missing."""
    core_decision: list[Cited] = field(default_factory=list)
    """The sketch's core design decision."""
    why: list[Cited] = field(default_factory=list)
    """Why the gap exists (the gap's words, else the sketch's)."""
    do_not: list[Cited] = field(default_factory=list)
    """Approaches the sketch rejected, each with why, and the costs it accepts: what the code must not do."""
    accepted_costs: list[Cited] = field(default_factory=list)
    """The costs the sketch accepts for its design (its trade-off cons): what the code must live with."""
    gap_errors: list[Cited] = field(default_factory=list)
    """The gap's error-handling clauses that concern no single component (they shape the whole gap)."""
    gap_constraints: list[Cited] = field(default_factory=list)
    """The gap's constraints that concern no single component (they shape the whole gap)."""
    not_ready: list[str] = field(default_factory=list)
    """Why the plan is not ready for code generation; empty when it is."""
    flow: Flow = field(default_factory=Flow)
    """The sketch's data flow."""
    mermaid: str = ""
    """Mermaid ``flowchart LR`` source of the data flow (one node per component or star), empty if there is none."""
    not_in_flow: list[str] = field(default_factory=list)
    """Components and stars of the plan the data flow does not show."""
    components: list[ComponentPlan] = field(default_factory=list)
    """One per key component of the sketch."""
    stars: list[str] = field(default_factory=list)
    """Every star the plan names: those its components use, then any other the gap must connect to."""
    connects: list[StarUse] = field(default_factory=list)
    """The stars of the overview, each with the gap's ``via`` text when it states one."""
    test_file: str = ""
    """Proposed path of the test file."""
    tests: list[TestCase] = field(default_factory=list)
    """Planned tests."""
    criteria: list[CriterionCheck] = field(default_factory=list)
    """Every success criterion mapped to its test."""
    notes: list[str] = field(default_factory=list)
    """What the documents leave open (unresolved star names, a missing sketch)."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Cited input section -> hash, recorded in the meta line."""
