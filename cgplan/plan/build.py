"""Build the code-generation plan for one gap from the parsed folder.

Facts are quoted from the three documents with citations; what the documents
leave open (file paths, signatures, types) is proposed by :mod:`cgplan.propose`
and marked as such. A person's choices in the decisions file win over both.
"""

from __future__ import annotations

import difflib
import re

from cgplan.errors import AmbiguousGap, UnknownGap, UsageError
from cgplan.load.fields import norm_key, slugify
from cgplan.load.stars import StarIndex
from cgplan.model.construction import Construction, Gap
from cgplan.model.plan import Plan
from cgplan.plan.decisions import Decisions, load_decisions
from cgplan.plan.inputs import plan_inputs

__all__ = ["build_plan", "find_gap", "select_gaps"]

# --------------------------------------------------------------------------- finding a gap


def _partial_matches(construction: Construction, sk: str) -> list[Gap]:
    """Gaps whose slug or name holds ``sk`` at a word start: a word, a prefix, a run of words."""
    if not sk:
        return []
    needle = "-" + sk
    return [g for g in construction.gaps if needle in "-" + g.slug or needle in "-" + slugify(g.name)]


def find_gap(construction: Construction, key: str) -> Gap:
    """The gap a user means by a slug, a number, a name, or a word or prefix of exactly one gap's name or slug.

    :class:`AmbiguousGap` lists the gaps a word or prefix shared by several matches;
    :class:`UnknownGap` lists the closest ones when nothing matches.
    """
    text = key.strip()
    for g in construction.gaps:
        if g.slug == text:
            return g
    m = re.fullmatch(r"(?i)(?:gap\s*[-#]?\s*)?(\d+)", text)
    if m:
        for g in construction.gaps:
            if g.number == int(m.group(1)):
                return g
    nk, sk = norm_key(text), slugify(text)
    for g in construction.gaps:
        if norm_key(g.name) == nk or g.slug == sk:
            return g
    partial = _partial_matches(construction, sk)
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise AmbiguousGap(key, [g.slug for g in partial])
    choices = [g.slug for g in construction.gaps]
    names = {norm_key(g.name): g.slug for g in construction.gaps}
    close = [s for s in choices if sk and sk in s][:3]
    for s in difflib.get_close_matches(sk or text.lower(), choices, n=3, cutoff=0.5):
        if s not in close:
            close.append(s)
    for n in difflib.get_close_matches(nk, list(names), n=3, cutoff=0.5):
        if names[n] not in close:
            close.append(names[n])
    raise UnknownGap(key, close[:3])


# --------------------------------------------------------------------------- inputs


def select_gaps(construction: Construction, keys: list[str], *, all_gaps: bool = False) -> list[Gap]:
    """The gaps named by ``keys`` (slug, number or name; each once, in the order given), or every gap."""
    if all_gaps and keys:
        raise UsageError("give gap names or --all, not both", hint="run `cgplan plan --all` or `cgplan plan GAP...`")
    if not all_gaps and not keys:
        raise UsageError("no gap given", hint="name one or more gaps (slug, number or name), or pass --all")
    if all_gaps:
        return list(construction.gaps)
    chosen: list[Gap] = []
    for key in keys:
        gap = find_gap(construction, key)
        if gap not in chosen:
            chosen.append(gap)
    return chosen


# --------------------------------------------------------------------------- building


def build_plan(
    construction: Construction, gap: Gap, decisions: Decisions | None = None, index: StarIndex | None = None
) -> Plan:
    """The plan for ``gap``; ``decisions`` None means read the gap's decisions file if present.

    ``index``: the folder's star index, when the caller plans many gaps (build it once for all).
    """
    from cgplan.plan.components import Builder
    from cgplan.version import __version__

    if decisions is None:
        decisions = load_decisions(construction, gap)
    sk = construction.sketch_for(gap)
    plan = Plan(
        version=__version__,
        gap=gap.slug,
        gap_name=gap.name,
        gap_number=gap.number,
        gap_cite=gap.source.cite(),
        system=construction.system,
        priority=gap.priority or "",
        sketch_title=sk.title if sk else "",
        sketch_cite=sk.source.cite() if sk else "",
    )
    if index is None:
        index = StarIndex(construction.stars)
    Builder(construction, gap, sk, decisions, index, plan).build()
    plan.inputs = plan_inputs(construction, gap, decisions, index)
    return plan
