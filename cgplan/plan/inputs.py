"""What a gap's plan is built from: the stars it may name and the input sections it cites."""

from __future__ import annotations

import hashlib

from cgplan.load.stars import StarIndex
from cgplan.model.construction import Construction, Gap
from cgplan.plan.decisions import Decisions, decisions_path, load_decisions
from cgplan.plan.flow import parse_flow


def star_pool(
    construction: Construction, gap: Gap, decisions: Decisions | None = None, index: StarIndex | None = None
) -> list[str]:
    """Every star the plan for this gap may name: the gap's, the sketch's, the data flow's, the decisions'.

    ``index``: the folder's star index, when the caller has built one (callers that go through many gaps do).
    """
    if index is None:
        index = StarIndex(construction.stars)
    out: list[str] = []

    def add(name: str | None) -> None:
        if name and name not in out and construction.star(name) is not None:
            out.append(name)

    sk = construction.sketch_for(gap)
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


def plan_inputs(
    construction: Construction, gap: Gap, decisions: Decisions | None = None, index: StarIndex | None = None
) -> dict[str, str]:
    """Citation -> section hash for every input the plan draws on (what the meta line records)."""
    if decisions is None:
        decisions = load_decisions(construction, gap)
    out = {gap.source.cite(): gap.source.hash}
    sk = construction.sketch_for(gap)
    if sk is not None:
        out[sk.source.cite()] = sk.source.hash
    for name in star_pool(construction, gap, decisions, index):
        star = construction.star(name)
        if star is not None:
            out[star.source.cite()] = star.source.hash
    path = decisions_path(construction, gap)
    if path.is_file():
        rel = f"decisions/{path.name}"
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return dict(sorted(out.items()))
