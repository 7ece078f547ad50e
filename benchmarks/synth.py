"""A deterministic generator of synthetic construction folders.

``generate(dest, stars=N, gaps=M, seed=S)`` writes ``dest/construction/`` with
the three documents FORMATS.md describes: a constellation map of N stars (with
integration points), a gap analysis of M gaps (plus a few non-gaps) and M
implementation sketches. Text, criteria, constraints and components vary;
star references use the canonical name, other case, backticks, stated
aliases, acronyms, word prefixes and ``the ... star`` phrasing; documents show
the drift real folders have (heading levels, separators, label styles, list
styles, emoji, HTML comments, ``<details>`` blocks, tables, and optionally
Windows line endings with a byte-order mark).

Every reference resolves to exactly one star unless ``unknown_refs`` asks for
references to stars that are not in the map. The same arguments always give
byte-identical files.

Run directly to write a folder::

    python benchmarks/synth.py OUT --stars 2000 --gaps 1000 --seed 1
"""

from __future__ import annotations

import argparse
import bisect
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

CONSONANTS = "bcdfghklmnprstvz"
VOWELS = "aeiou"
DOMAINS = (
    "Billing",
    "Ledger",
    "Orders",
    "Inventory",
    "Identity",
    "Payments",
    "Catalog",
    "Shipping",
    "Search",
    "Pricing",
    "Notification",
    "Audit",
    "Session",
    "Analytics",
    "Reporting",
    "Metering",
    "Scheduling",
    "Claims",
    "Returns",
    "Loyalty",
    "Fraud",
    "Tax",
    "Consent",
    "Media",
    "Messaging",
    "Routing",
    "Settlement",
    "Onboarding",
    "Support",
    "Forecast",
    "Warehouse",
    "Contract",
)
KINDS = (
    ("Service", "Service"),
    ("API", "API"),
    ("Database", "Database"),
    ("Queue", "Service"),
    ("Cache", "Database"),
    ("Gateway", "Framework"),
    ("Store", "Database"),
    ("SDK", "Library"),
    ("Bus", "Service"),
    ("Warehouse", "Database"),
    ("Engine", "Service"),
    ("Registry", "Service"),
    ("Scheduler", "Service"),
    ("Index", "Database"),
    ("Portal", "Framework"),
    ("Library", "Library"),
)
SPECIAL_NAMES = ("{c} {d} & {k}", "{c} Read/Write {k}", "{c} {d} {k} (v{n})", "{c} {d} {k} (<{n}ms)")
TECH = (
    "PostgreSQL 15",
    "Redis 7",
    "Kafka 3.6",
    "Node.js 20",
    "Go 1.22",
    "Java 21",
    "gRPC",
    "S3",
    "DynamoDB",
    "RabbitMQ",
    "Elasticsearch 8",
    "Python 3.11",
)
PROTOCOLS = (
    "REST over HTTPS",
    "gRPC streams",
    "SQL over a pooled connection",
    "AMQP messages",
    "a signed webhook",
    "the official SDK",
    "Kafka topics",
    "SFTP drops",
    "GraphQL queries",
    "a Lua script via EVALSHA",
)
VERBS = (
    "accepts",
    "publishes",
    "stores",
    "validates",
    "throttles",
    "aggregates",
    "replays",
    "reconciles",
    "routes",
    "expires",
)
NOUNS = ("events", "requests", "records", "batches", "tokens", "snapshots", "invoices", "messages", "reads", "jobs")
ADJ = (
    "Distributed",
    "Nightly",
    "Idempotent",
    "Tiered",
    "Streaming",
    "Adaptive",
    "Audited",
    "Incremental",
    "Regional",
    "Batched",
    "Priority",
    "Self-Service",
    "Real-Time",
    "Cross-Region",
    "Resilient",
    "Delegated",
)
THINGS = (
    "Rate Limiter",
    "Reconciliation Job",
    "Approval Workflow",
    "Deduplication Guard",
    "Backfill Worker",
    "Retention Sweeper",
    "Export Pipeline",
    "Consent Tracker",
    "Quota Enforcer",
    "Retry Coordinator",
    "Schema Migrator",
    "Alert Router",
    "Snapshot Archiver",
    "Webhook Relay",
    "Access Reviewer",
    "Cache Warmer",
    "Drift Detector",
    "Usage Meter",
    "Replay Console",
    "Fan-out Notifier",
)
COMPLEXITY = ("Simple", "Moderate", "Complex")
PRIORITY_FORMS = {
    "Critical": ("Critical", "Critical - blocks launch", "P0"),
    "High": ("High", "High (blocks the Q3 release)", "P1"),
    "Medium": ("Medium", "Moderate", "P2"),
    "Low": ("Low", "Low - nice to have", "P3"),
}
COMP_SUFFIX = (
    "Middleware",
    "Worker",
    "Client",
    "Repository",
    "Handler",
    "Scheduler",
    "Validator",
    "Publisher",
    "Adapter",
    "Controller",
)
STOP = {"the", "a", "an", "of", "for", "and", "to", "in", "on", "star", "stars"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@dataclass
class StarSpec:
    """One synthetic star."""

    name: str
    """Canonical name as written in its heading."""
    code: str
    """Its unique codename word (the first word of the name)."""
    domain: str
    """Business domain word."""
    kind: str
    """Kind word (Queue, Cache ...)."""
    type: str
    """Star type (Service, Database ...)."""
    aliases: list[str] = field(default_factory=list)
    """Stated aliases."""
    acronym: str | None = None
    """A unique acronym that resolves to it, if one exists."""
    prefix: str | None = None
    """A unique word prefix that resolves to it."""


@dataclass
class Synth:
    """What was generated: names, counts and the references written."""

    root: Path
    """The folder that holds ``construction/``."""
    stars: list[str]
    """Canonical star names in map order."""
    gaps: list[str]
    """Gap names in document order."""
    criteria: int
    """Total success criteria written."""
    refs: list[tuple[str, str]] = field(default_factory=list)
    """Every star reference written in gaps and sketches.

    Each is (text as written, canonical star), the star "" for an injected unknown reference.
    """
    non_gaps: int = 0
    """Non-gap sections written."""
    aliases: dict[str, list[str]] = field(default_factory=dict)
    """Stated aliases by canonical star name (stars without any left out)."""
    bytes: int = 0
    """Total size of the three documents."""


class _Gen:
    def __init__(self, n_stars: int, n_gaps: int, seed: int, drift: bool, unknown_refs: int):
        self.rng = random.Random(seed)
        self.n_stars, self.n_gaps, self.drift, self.unknown = n_stars, n_gaps, drift, unknown_refs
        self.stars = self._make_stars()
        self.refs: list[tuple[str, str]] = []

    # ------------------------------------------------------------------ names

    def _codenames(self, n: int) -> list[str]:
        seen: set[str] = set()
        out: list[str] = []
        while len(out) < n:
            syl = [self.rng.choice(CONSONANTS) + self.rng.choice(VOWELS) for _ in range(3)]
            word = "".join(syl) + self.rng.choice(CONSONANTS)
            if word[:5] not in seen and word[:4] not in STOP:
                seen.add(word[:5])
                out.append(word.capitalize())
        return out

    def _make_stars(self) -> list[StarSpec]:
        rng = self.rng
        names = self._codenames(self.n_stars + self.n_stars // 2)
        codes, spare = names[: self.n_stars], names[self.n_stars :]
        stars: list[StarSpec] = []
        for i, code in enumerate(codes):
            domain = rng.choice(DOMAINS)
            kind, typ = rng.choice(KINDS)
            if self.drift and i % 37 == 5:
                name = SPECIAL_NAMES[(i // 37) % len(SPECIAL_NAMES)].format(
                    c=code, d=domain, k=kind, n=rng.randint(2, 9)
                )
            else:
                name = f"{code} {domain} {kind}"
            s = StarSpec(name=name, code=code, domain=domain, kind=kind, type=typ)
            if i % 3 == 0 and spare:
                s.aliases.append(spare.pop())
                if i % 2 == 0:
                    s.aliases.append(f"{s.aliases[0]} {kind}")
            stars.append(s)
        self._pick_short_forms(stars)
        return stars

    def _pick_short_forms(self, stars: list[StarSpec]) -> None:
        """Find, per star, an acronym and a word prefix that name no other star."""
        acronyms: dict[str, int] = {}
        keys: set[str] = set()
        all_words: list[str] = []
        for s in stars:
            forms = [s.name, *s.aliases]
            base = re.sub(r"\s*\([^()]*\)\s*$", "", s.name)
            if base != s.name:
                forms += [base, s.name[len(base) :].strip(" ()")]
            mine: set[str] = set()
            for f in forms:
                ws = _words(f)
                keys.add(" ".join(ws))
                all_words.extend(ws)
                for variant in (ws, [w for w in ws if w not in STOP]):
                    if len(variant) >= 2:
                        mine.add("".join(w[0] for w in variant))
            for a in mine:
                acronyms[a] = acronyms.get(a, 0) + 1
        all_words.sort()
        for s in stars:
            ws = [w for w in _words(s.name) if w not in STOP]
            a = "".join(w[0] for w in ws)
            own = {"".join(w[0] for w in _words(s.name))}
            if len(own | {a}) == 1 and acronyms.get(a) == 1 and a not in keys and len(a) >= 3:
                s.acronym = a.upper()
            code = s.code.lower()
            for n in range(4, len(code) + 1):
                p = code[:n]
                lo = bisect.bisect_left(all_words, p)
                hi = bisect.bisect_left(all_words, p + "\uffff")
                if len(set(all_words[lo:hi])) == 1 and p not in acronyms and p not in keys:
                    s.prefix = p.capitalize()
                    break

    def ref(self, s: StarSpec, k: int) -> str:
        """A reference to star ``s`` in one of several forms (markup included)."""
        forms = [
            f"**{s.name}**",
            f"**{s.name.lower()}**",
            f"`{s.name}`",
            f"**the {s.name} star**",
            f"**{s.name.upper()}**",
        ]
        if s.aliases:
            forms.append(f"**{s.aliases[k % len(s.aliases)]}**")
        if s.acronym:
            forms.append(f"**{s.acronym}**")
        if s.prefix:
            forms.append(f"**{s.prefix}**")
        if not self.drift:
            forms = forms[:1]
        text = forms[k % len(forms)]
        self.refs.append((text.strip("*`"), s.name))
        return text

    # ------------------------------------------------------------------ text

    def sentence(self, *names: str) -> str:
        r = self.rng
        who = r.choice(names) if names else "The platform"
        templates = (
            "{who} {verb} about {n:,} {noun} per {unit} at peak, and the rest of the system assumes it never stalls.",
            "Today {who} {verb} {noun} without any ordering guarantee, "
            "so downstream consumers see duplicates within {m} minutes.",
            "Operators reconcile {noun} by hand every {m} days because {who} keeps no history beyond {h} hours.",
            "{who} was sized for {n:,} {noun} a day; growth since then is {p}% a quarter.",
            "When {who} is unavailable for more than {m} minutes, "
            "{noun} pile up and the backlog takes {h} hours to drain.",
        )
        return r.choice(templates).format(
            who=who,
            verb=r.choice(VERBS),
            noun=r.choice(NOUNS),
            unit=r.choice(("second", "minute")),
            n=r.randint(20, 90000),
            m=r.randint(2, 59),
            h=r.randint(2, 96),
            p=r.randint(3, 60),
        )

    def constraint(self) -> str:
        r = self.rng
        return r.choice(
            (
                "Must handle {n} requests per second at peak",
                "Latency under {m} ms at the 95th percentile",
                "Must reuse the existing {d} infrastructure, no new clusters",
                "Must finish within the {m} s request timeout",
                "Personal data must never appear in logs",
                "Retries must be idempotent for {h} hours",
                "Must run in {n} regions with no cross-region writes",
            )
        ).format(n=r.randint(10, 5000), m=r.randint(20, 900), h=r.randint(1, 72), d=r.choice(DOMAINS).lower())

    def criterion(self) -> str:
        r = self.rng
        return r.choice(
            (
                "Sustains {n} {noun} per second for {m} minutes without dropping one",
                "p99 latency stays under {ms} ms during the load test",
                "Zero duplicate {noun} over a {d}-day production window",
                "{p}% of seeded faults in the test fixture are reported, with zero false positives",
                "A failed run raises an alert within {m} minutes",
                "Replaying the same {noun} {n} times produces exactly one record",
            )
        ).format(
            n=r.randint(10, 5000),
            noun=r.choice(NOUNS),
            m=r.randint(1, 60),
            ms=r.randint(20, 900),
            d=r.randint(7, 90),
            p=r.choice((95, 99, 100)),
        )

    # ------------------------------------------------------------------ layout helpers

    def label(self, name: str, value: str = "", style: int = 0) -> str:
        """A labelled field in one of the drift styles."""
        if not self.drift:
            style = 0
        sep = " " if value else ""
        return (f"**{name}:**{sep}{value}", f"**{name}**:{sep}{value}", f"{name}:{sep}{value}")[style % 3]

    def bullets(self, items: list[str], style: int = 0, checkbox: bool = False) -> list[str]:
        if not self.drift:
            style = 0
        if checkbox and style % 3 != 2:
            return [f"- [{'x' if (style % 3 == 1 and i == 0) else ' '}] {t}" for i, t in enumerate(items)]
        if style % 3 == 2:
            return [f"{i}. {t}" for i, t in enumerate(items, 1)]
        return [f"- {t}" for t in items]

    def heading(self, level: int, word: str, number: int | None, name: str, i: int) -> str:
        if not self.drift:
            return f"{'#' * level} {word} {number}: {name}" if number is not None else f"{'#' * level} {word}: {name}"
        seps = (": ", " - ", " — ", ": ")
        sep = seps[i % len(seps)]
        num = f" {number}" if number is not None and i % 11 != 7 else ""
        emoji = ("", "", "⭐ ", "", "🔶 ")[i % 5]
        lvl = level - 1 if i % 13 == 4 else level
        return f"{'#' * lvl} {emoji}{word}{num}{sep}{name}"

    # ------------------------------------------------------------------ documents

    def constellation_map(self, system: str) -> str:
        r = self.rng
        out = [
            f"# System Constellation Map: {system}",
            "",
            "## Overview",
            f"{system} runs on {len(self.stars)} trusted components. " + self.sentence(),
            "",
            "## Stars (Trusted Components)",
            "",
        ]
        for i, s in enumerate(self.stars):
            st = i % 3
            out.append(self.heading(3, "Star", None, s.name, i))
            if s.aliases:
                out.append(self.label("Aliases", ", ".join(s.aliases), st))
            out.append(self.label("Type", f"{s.type} ({r.choice(TECH)})", st))
            out.append(self.label("Status", f"Proven in production ({r.randint(1, 9)} years)", st))
            out.append("")
            if self.drift and i % 17 == 3:
                out += ["<!-- reviewed by the platform group -->", ""]
            out += [
                self.label("Core Assumptions", "", st),
                *self.bullets([self.sentence(s.name) for _ in range(r.randint(3, 5))]),
                "",
            ]
            out += [
                self.label("Scaling Model", "", st),
                *self.bullets(
                    [
                        f"Horizontal: {r.randint(2, 12)} to {r.randint(13, 64)} instances, "
                        f"autoscaled at {r.randint(50, 80)}% CPU"
                    ]
                ),
                "",
            ]
            verb = r.choice(("GET", "POST", "PUT"))
            path = f"/v{r.randint(1, 3)}/{s.domain.lower()}/{r.choice(NOUNS)}"
            out += [
                self.label("Exposed Contracts", "", st),
                *self.bullets(
                    [
                        f"API: {r.choice(PROTOCOLS)} — `{verb} {path}`, `{s.code.lower()}.{r.choice(VERBS)}()`",
                        f"Schema: JSON `{s.domain}{r.choice(NOUNS).capitalize()[:-1]}` objects "
                        "with `id`, `createdAt`, `status`",
                        f"Dependencies: {r.choice(TECH)}, TLS in transit",
                    ]
                ),
                "",
            ]
            out += [
                self.label("Authentication Pattern", "", st),
                *self.bullets(
                    [
                        r.choice(
                            (
                                "JWT bearer tokens (RS256)",
                                "mTLS between services",
                                "API key from the secrets manager",
                                "OAuth2 client credentials",
                            )
                        )
                    ]
                ),
                "",
            ]
            out += [
                self.label("Error Handling", "", st),
                *self.bullets(
                    [
                        f"{r.choice(('Timeouts', 'Throttling (429)', 'Failover', 'Pool exhaustion'))}: "
                        f"retry with backoff up to {r.randint(2, 6)} times",
                        f"Recovery: {r.choice(('fail open', 'fail closed', 'park in a dead-letter queue'))} "
                        f"after {r.randint(5, 120)} seconds",
                    ]
                ),
                "",
            ]
            out += [
                self.label("Known Conflicts/Overlaps" if i % 4 else "Known Conflicts", "", st),
                *self.bullets([self.sentence(s.name) for _ in range(r.randint(1, 3))]),
                "",
            ]
            if self.drift and i % 29 == 11:
                out += [
                    "<details><summary>Capacity notes</summary>",
                    "",
                    f"Peak observed: {r.randint(100, 9000)} ops/s.",
                    "",
                    "</details>",
                    "",
                ]
            if self.drift and i % 31 == 13:
                out += ["| Metric | Limit |", "| --- | --- |", f"| ops/s | {r.randint(100, 9000)} |", ""]
            out += ["---", ""]
        out += ["## Integration Points", ""]
        for _ in range(len(self.stars)):
            a, b = r.sample(self.stars, 2) if len(self.stars) > 1 else (self.stars[0], self.stars[0])
            out += [
                f"### Integration: {a.name} ↔ {b.name}",
                f"**Connection Type:** {r.choice(PROTOCOLS)}",
                f"**Data Flow:** {a.code} {r.choice(VERBS)} {r.choice(NOUNS)} to {b.code}",
                f"**Failure Mode:** {r.choice(('timeouts', 'duplicates', 'lost messages', 'stale reads'))} "
                f"when {b.code} is degraded",
                f"**Dependencies:** {r.choice(TECH)}",
                "",
            ]
        out += [
            "## Architectural Seams",
            self.sentence(),
            "",
            "## Star Identification Checklist",
            "- [x] Every star is proven in production",
            "- [x] Contracts are documented",
            "",
        ]
        return "\n".join(out)

    def gap_analysis(self, system: str, gaps: list[tuple[str, list[StarSpec], str]]) -> tuple[str, int]:
        r = self.rng
        out = [
            f"# Gap Analysis: {system}",
            "",
            "## Executive Summary",
            self.sentence(),
            "",
            "## Constellation Review",
            "",
            "### Existing Stars",
        ]
        out += [f"- Star {i}: {s.name} — {s.domain.lower()} {s.kind.lower()}" for i, s in enumerate(self.stars[:20], 1)]
        out += ["", "## Identified Gaps", ""]
        criteria = 0
        unknown_left = self.unknown
        for i, (name, stars, priority) in enumerate(gaps, 1):
            st = i % 3
            out.append(self.heading(3, "Gap", i, name, i))
            out += [
                self.label("Status", "🔴 Missing", st),
                self.label("Priority", r.choice(PRIORITY_FORMS[priority]), st),
                "",
            ]
            out += [
                self.label("Missing Capability", "", st),
                f"A {name.lower()} that " + self.sentence(*(s.name for s in stars)).lower() + " " + self.sentence(),
                "",
            ]
            out += [
                self.label("Why This Gap Exists", "", st),
                *self.bullets([self.sentence(s.name) for s in stars[:3]]),
                "",
            ]
            out += [
                self.label("Constraints That Must Shape It", "", st),
                *self.bullets([self.constraint() for _ in range(r.randint(2, 6))], st),
                "",
            ]
            refs = [f"{self.ref(s, i + j)} via {r.choice(PROTOCOLS)}" for j, s in enumerate(stars)]
            if unknown_left > 0:
                ghost = f"Ghost {r.choice(DOMAINS)} Service {i}"
                refs.append(f"**{ghost}** via {r.choice(PROTOCOLS)}")
                self.refs.append((ghost, ""))
                unknown_left -= 1
            out += [self.label("Must Connect To", "", st), *self.bullets(refs), ""]
            out += [
                self.label("Integration Points", "", st),
                *self.bullets(
                    [
                        f"Input: {r.choice(NOUNS)} from {stars[0].name}",
                        f"Output: {r.choice(NOUNS)} written to {stars[-1].name}",
                        f"Error handling: {r.choice(('retry with backoff', 'fail open', 'dead-letter the message'))}",
                    ]
                ),
                "",
            ]
            crit = [self.criterion() for _ in range(r.randint(2, 6))]
            criteria += len(crit)
            out += [self.label("Success Criteria", "", st), *self.bullets(crit, st, checkbox=True), ""]
            out += [self.label("Stakeholder Need", "", st), self.sentence() + " " + self.sentence(), ""]
            if self.drift and i % 19 == 2:
                out += ["<!-- TODO: confirm the numbers with finance -->", ""]
            out += ["---", ""]
        out += ["## Non-Gaps (Already Covered)", ""]
        n_non = max(1, len(gaps) // 10)
        for k in range(n_non):
            s = self.stars[(k * 7) % len(self.stars)]
            out += [
                f"### ❌ Initially Thought Missing: {s.domain} {r.choice(NOUNS)} handling {k + 1}",
                f"**Actually Covered By:** Star {s.name}",
                "**Why We Don't Need New Code:**",
                self.sentence(s.name),
                "",
            ]
        out += [
            "## Gap Validation Checklist",
            "- [x] Closes a real need",
            "- [x] No existing star satisfies this",
            "",
            "## Summary",
            "",
            f"**Total Gaps Identified:** {len(gaps)}",
            "",
        ]
        self.non_gaps = n_non
        return "\n".join(out), criteria

    def sketches(self, system: str, gaps: list[tuple[str, list[StarSpec], str]]) -> str:
        r = self.rng
        out = [
            f"# Implementation Sketches: {system}",
            "",
            "## Overview",
            "",
            f"**Gaps to Sketch:** {len(gaps)} (from construction/requirements/gap-analysis.md)",
            "",
            "---",
            "",
        ]
        for i, (name, stars, priority) in enumerate(gaps, 1):
            st = (i + 1) % 3
            out.append(self.heading(2, "Sketch", i, name, i + 3))
            out += [
                self.label("Gap Reference", f"Gap {i} from construction/requirements/gap-analysis.md", st),
                self.label("Priority", priority, st),
                self.label("Estimated Complexity", r.choice(COMPLEXITY), st),
                "",
            ]
            out += [
                "### What We're Building",
                "",
                self.label("New Functionality Needed", "", st),
                self.sentence(*(s.name for s in stars)) + " " + self.sentence(),
                "",
            ]
            out += ["### Constellation Alignment", "", self.label("Stars This Connects To", "", st)]
            for j, s in enumerate(stars):
                out += [
                    f"- {self.ref(s, i + j + 1)} (from construction/requirements/constellation-map.md)",
                    f"  - Connection: {r.choice(PROTOCOLS)}",
                    f"  - What we reuse: the {s.domain.lower()} {r.choice(NOUNS)} contract",
                    f"  - Integration point: `{s.code.lower()}.{r.choice(VERBS)}()`",
                ]
                if j + 1 < len(stars):
                    out.append("")
            out += ["", self.label("Architectural Seams", "", st), self.sentence(), ""]
            stem = "".join(w.capitalize() for w in _words(name)[-2:])
            comps = [f"{stem}{suf}" for suf in r.sample(COMP_SUFFIX, r.randint(2, 4))]
            out += [
                "### Design Approach",
                "",
                self.label("Core Design Decision", "", st),
                self.sentence(*(s.name for s in stars)),
                "",
                self.label("Key Components", "", st),
            ]
            out += [
                f"{k}. **{c}**: {r.choice(VERBS)} {r.choice(NOUNS)} for {stars[k % len(stars)].name}"
                for k, c in enumerate(comps, 1)
            ]
            out += [
                "",
                self.label("Data Flow", "", st),
                "```",
                f"{stars[0].name} → {' → '.join(comps)} → {stars[-1].name}",
                "```",
                "",
            ]
            out += [
                self.label("Reuse vs Generate", "", st),
                f"- ✅ **Reuse:** {stars[0].name} {r.choice(NOUNS)}",
                f"- 🔨 **Generate:** {', '.join(comps)}",
                "",
            ]
            out += [
                "### Constraints Shaping This Design",
                "",
                "**From Gap Analysis:**",
                *self.bullets([self.constraint()]),
                "",
                "**From Constellation:**",
                *self.bullets([f"{s.name}: {self.constraint().lower()}" for s in stars[:2]]),
                "",
            ]
            out += [
                "### Trade-offs",
                "",
                "**This Approach:**",
                f"- ✅ Pro: {self.sentence()}",
                f"- ✅ Pro: {self.sentence()}",
                f"- ❌ Con: {self.sentence()}",
                "",
                f"**Alternative Considered:** {r.choice(ADJ)} {r.choice(THINGS).lower()}",
                f"- Why rejected: {self.sentence()}",
                "",
            ]
            out += [
                "### Success Validation",
                "",
                "**How This Closes the Gap:**",
                *self.bullets([self.criterion() for _ in range(r.randint(2, 4))], checkbox=True),
                "",
                "**Integration Validation:**",
                "- [x] All referenced stars exist in construction/requirements/constellation-map.md",
                "- [x] Integration points match documented contracts",
                "",
                "---",
                "",
            ]
        out += [
            "## Cross-Sketch Concerns",
            self.sentence(),
            "",
            "## Validation Checklist",
            "- [x] All referenced stars exist",
            "",
        ]
        return "\n".join(out)

    def gap_list(self) -> list[tuple[str, list[StarSpec], str]]:
        r = self.rng
        names: set[str] = set()
        out = []
        prios = ("Critical", "High", "High", "Medium", "Medium", "Low")
        while len(out) < self.n_gaps:
            name = f"{r.choice(ADJ)} {r.choice(DOMAINS)} {r.choice(THINGS)}"
            key = " ".join(_words(name))
            if key in names:
                continue
            names.add(key)
            k = min(len(self.stars), r.randint(2, 5))
            out.append((name, r.sample(self.stars, k), r.choice(prios)))
        return out


def generate(
    dest: str | Path,
    *,
    stars: int = 50,
    gaps: int = 20,
    seed: int = 0,
    drift: bool = True,
    unknown_refs: int = 0,
    crlf: bool = False,
    system: str = "Synthetic Commerce Platform",
) -> Synth:
    """Write a synthetic ``construction/`` folder under ``dest`` and describe what it holds."""
    if stars < 2 or gaps < 1:
        raise ValueError("need at least 2 stars and 1 gap")
    g = _Gen(stars, gaps, seed, drift, unknown_refs)
    gap_list = g.gap_list()
    docs = {
        Path("construction/requirements/constellation-map.md"): g.constellation_map(system),
    }
    gap_text, criteria = g.gap_analysis(system, gap_list)
    docs[Path("construction/requirements/gap-analysis.md")] = gap_text
    docs[Path("construction/design/implementation-sketches.md")] = g.sketches(system, gap_list)
    root = Path(dest)
    total = 0
    for rel, text in docs.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        if crlf:
            data = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
        path.write_bytes(data)
        total += len(data)
    return Synth(
        root=root,
        stars=[s.name for s in g.stars],
        gaps=[n for n, _, _ in gap_list],
        criteria=criteria,
        refs=g.refs,
        non_gaps=g.non_gaps,
        bytes=total,
        aliases={s.name: s.aliases for s in g.stars if s.aliases},
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a synthetic construction folder.")
    p.add_argument("dest", help="folder to create construction/ in")
    p.add_argument("--stars", type=int, default=50)
    p.add_argument("--gaps", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-drift", action="store_true", help="template-clean documents only")
    p.add_argument("--unknown-refs", type=int, default=0, help="inject this many references to stars not in the map")
    p.add_argument("--crlf", action="store_true", help="Windows line endings and a byte-order mark")
    a = p.parse_args(argv)
    s = generate(
        a.dest, stars=a.stars, gaps=a.gaps, seed=a.seed, drift=not a.no_drift, unknown_refs=a.unknown_refs, crlf=a.crlf
    )
    print(
        f"{len(s.stars)} stars, {len(s.gaps)} gaps, {s.criteria} criteria, "
        f"{s.bytes / 1e6:.1f} MB in {s.root / 'construction'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
