"""What every rule gets: the folder, a star index built once, and the plans found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cgplan.check.plan_doc import ParsedPlan, parse_plan
from cgplan.load.fields import norm_key, slugify
from cgplan.load.markdown import read_text
from cgplan.load.stars import StarIndex
from cgplan.model.construction import Construction, Gap

PLAN_GLOB = "code-generation-plan-*.md"
"""Plan files, in ``construction/design/``."""
_PLAN_NAME = re.compile(r"^code-generation-plan-(.+)\.md$")


@dataclass
class PlanFile:
    """A plan and the gap it belongs to."""

    display: str
    """Path shown in findings."""
    parsed: ParsedPlan
    """Its structure."""
    gap: Gap | None
    """The gap it addresses, ``None`` if it matches none."""
    text: str = ""
    """Its text."""


@dataclass
class Context:
    """Shared state of one check run."""

    construction: Construction
    """The folder."""
    index: StarIndex
    """Star lookup, built once."""
    planned: set[str] = field(default_factory=set)
    """Slugs of the gaps that have a plan among those checked."""
    checked: int = 0
    """Number of plans checked."""
    discovered: bool = True
    """Whether ``plans`` are all plans of the folder (so missing ones mean unplanned gaps)."""
    _inputs: dict[str, dict[str, str]] = field(default_factory=dict)
    _sections: dict[str, str] | None = None

    @classmethod
    def of(cls, construction: Construction) -> Context:
        return cls(construction=construction, index=StarIndex(construction.stars))

    def section_hashes(self) -> dict[str, str]:
        """Current hash of every star, gap and sketch section, keyed by citation."""
        if self._sections is None:
            out: dict[str, str] = {}
            for s in self.construction.stars:
                out[s.source.cite()] = s.source.hash
            for g in self.construction.gaps:
                out[g.source.cite()] = g.source.hash
            for sk in self.construction.sketches:
                out[sk.source.cite()] = sk.source.hash
            self._sections = out
        return self._sections

    def plan_inputs(self, gap: Gap) -> dict[str, str] | None:
        """The planner's citation -> hash map for a gap, or ``None`` when no planner is installed."""
        if gap.slug not in self._inputs:
            try:
                from cgplan.plan.inputs import plan_inputs
            except ImportError:
                return None
            self._inputs[gap.slug] = dict(plan_inputs(self.construction, gap, index=self.index))
        return self._inputs[gap.slug]


def find_plans(construction: Construction) -> list[Path]:
    """Plan files of a folder, sorted (``.new.md`` copies left beside edited plans are skipped)."""
    design = construction.design_dir
    if not design.is_dir():
        return []
    return sorted(p for p in design.glob(PLAN_GLOB) if p.is_file() and not p.name.endswith(".new.md"))


def gap_for(construction: Construction, path: Path | None, parsed: ParsedPlan) -> Gap | None:
    """The gap a plan belongs to: the slug in its file name, else its title or ``Gap Being Addressed``."""
    if path is not None:
        m = _PLAN_NAME.match(path.name)
        if m:
            for g in construction.gaps:
                if g.slug == m.group(1):
                    return g
    name = parsed.gap
    if not name:
        return None
    key = norm_key(name)
    for g in construction.gaps:
        if norm_key(g.name) == key or g.slug == slugify(name):
            return g
    m = re.match(r"(?i)^gap\s*#?\s*(\d+)\b", name)
    if m:
        for g in construction.gaps:
            if g.number == int(m.group(1)):
                return g
    return None


def load_plan(ctx: Context, path: Path, text: str | None = None) -> PlanFile:
    """Read and parse one plan (an unreadable file raises :class:`~cgplan.errors.InputError`)."""
    display = ctx.construction.display(path)
    if text is None:
        text = read_text(path, display)
    parsed = parse_plan(text, display)
    return PlanFile(display=display, parsed=parsed, gap=gap_for(ctx.construction, path, parsed), text=text)
