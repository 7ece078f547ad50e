"""Build the code-generation plan for one gap from the parsed folder.

Facts are quoted from the three documents with citations; what the documents
leave open (file paths, signatures, types) is proposed by :mod:`cgplan.propose`
and marked as such. A person's choices in the decisions file win over both.
"""

from __future__ import annotations

import difflib
import hashlib
import re

from .decisions import Decisions, decisions_path, load_decisions
from .errors import UnknownGap
from .fields import norm_key, slugify
from .flow import parse_flow
from .models import Construction, Gap
from .plan_model import Plan
from .resolve import StarIndex

__all__ = ["Plan", "build_plan", "find_gap", "plan_inputs", "star_pool"]

_INDEX: dict[int, tuple[Construction, StarIndex]] = {}


def _index(c: Construction) -> StarIndex:
    hit = _INDEX.get(id(c))
    if hit is None or hit[0] is not c:
        if len(_INDEX) > 8:
            _INDEX.clear()
        hit = _INDEX[id(c)] = (c, StarIndex(c.stars))
    return hit[1]


# --------------------------------------------------------------------------- finding a gap


def find_gap(c: Construction, key: str) -> Gap:
    """The gap a user means by a slug, a number or a name; :class:`UnknownGap` lists the closest ones."""
    text = key.strip()
    for g in c.gaps:
        if g.slug == text:
            return g
    m = re.fullmatch(r"(?i)(?:gap\s*[-#]?\s*)?(\d+)", text)
    if m:
        for g in c.gaps:
            if g.number == int(m.group(1)):
                return g
    nk, sk = norm_key(text), slugify(text)
    for g in c.gaps:
        if norm_key(g.name) == nk or g.slug == sk:
            return g
    choices = [g.slug for g in c.gaps]
    names = {norm_key(g.name): g.slug for g in c.gaps}
    close = [s for s in choices if sk and sk in s][:3]
    for s in difflib.get_close_matches(sk or text.lower(), choices, n=3, cutoff=0.5):
        if s not in close:
            close.append(s)
    for n in difflib.get_close_matches(nk, list(names), n=3, cutoff=0.5):
        if names[n] not in close:
            close.append(names[n])
    raise UnknownGap(key, close[:3])


# --------------------------------------------------------------------------- inputs


def star_pool(c: Construction, gap: Gap, decisions: Decisions | None = None) -> list[str]:
    """Every star the plan for this gap may name: the gap's, the sketch's, the data flow's, the decisions'."""
    index = _index(c)
    out: list[str] = []

    def add(name: str | None) -> None:
        if name and name not in out and c.star(name) is not None:
            out.append(name)

    sk = c.sketch_for(gap)
    if sk is not None:
        for st in sk.stars:
            add(st.ref.star)
    for ref in gap.connects_to:
        add(ref.star)
    if sk is not None and sk.data_flow:
        for node in parse_flow(sk.data_flow).nodes:
            add(index.resolve(node).star)
    if decisions is not None:
        for cd in decisions.components.values():
            for s in cd.stars or []:
                add(s)
    return out


def plan_inputs(c: Construction, gap: Gap, decisions: Decisions | None = None) -> dict[str, str]:
    """Citation -> section hash for every input the plan draws on (what the meta line records)."""
    if decisions is None:
        decisions = load_decisions(c, gap)
    out = {gap.source.cite(): gap.source.hash}
    sk = c.sketch_for(gap)
    if sk is not None:
        out[sk.source.cite()] = sk.source.hash
    for name in star_pool(c, gap, decisions):
        star = c.star(name)
        if star is not None:
            out[star.source.cite()] = star.source.hash
    path = decisions_path(c, gap)
    if path.is_file():
        rel = f"decisions/{path.name}"
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- building


def build_plan(c: Construction, gap: Gap, decisions: Decisions | None = None) -> Plan:
    """The plan for ``gap``; ``decisions`` None means read the gap's decisions file if present."""
    from . import __version__
    from .plan_parts import Builder

    if decisions is None:
        decisions = load_decisions(c, gap)
    sk = c.sketch_for(gap)
    plan = Plan(
        version=__version__,
        gap=gap.slug,
        gap_name=gap.name,
        gap_number=gap.number,
        gap_cite=gap.source.cite(),
        system=c.system,
        priority=gap.priority or "",
        sketch_title=sk.title if sk else "",
        sketch_cite=sk.source.cite() if sk else "",
    )
    Builder(c, gap, sk, decisions, _index(c), plan).build()
    plan.inputs = plan_inputs(c, gap, decisions)
    return plan
