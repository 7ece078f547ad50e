"""Map a gap's success criteria to the tests a plan names for them.

An entry of the plan's success-criteria validation matches a criterion by its id
(``SC1.2``) or, failing that, by text similarity (difflib ratio and word
overlap). It counts as mapped only when it names a test. A test section that
mentions the criterion's id, or nearly all of its words, maps it too.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from cgplan.check.plan_doc import ParsedPlan, ValidationItem
from cgplan.load.fields import norm_key
from cgplan.model.construction import Criterion, Gap

THRESHOLD = 0.5
"""Lowest similarity at which an entry is taken to state a criterion."""

_STOP = {
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "to",
    "and",
    "or",
    "is",
    "are",
    "be",
    "by",
    "for",
    "with",
    "at",
    "any",
    "one",
    "no",
    "it",
    "its",
    "that",
    "this",
    "than",
    "every",
    "each",
    "all",
    "s",
    "from",
    "test",
}


@dataclass
class Mapping:
    """How one criterion is covered by a plan."""

    criterion: Criterion
    """The gap's criterion."""
    test: str | None
    """The test named for it, ``None`` if none."""
    item: ValidationItem | None
    """The validation entry that states it, if one does."""
    how: str
    """``id``, ``text``, ``test-section`` or ``none``."""


_ABBREV = {
    "req": "request",
    "reqs": "request",
    "rps": "request",
    "sec": "second",
    "secs": "second",
    "ms": "millisecond",
    "min": "minute",
    "mins": "minute",
    "p90": "90th",
    "p99": "99th",
    "dup": "duplicate",
    "dupe": "duplicate",
    "msg": "message",
    "db": "database",
}


def _tokens(text: str) -> set[str]:
    out = set()
    for w in norm_key(text).split():
        w = _ABBREV.get(w, w)
        if w in _STOP:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return out


def similarity(criterion: str, text: str) -> float:
    """How closely ``text`` states ``criterion``, 0..1."""
    a, b = _tokens(criterion), _tokens(text)
    if not a or not b:
        return 0.0
    common = len(a & b)
    ratio = difflib.SequenceMatcher(None, norm_key(criterion), norm_key(text), autojunk=False).ratio()
    cover = common / len(a)
    small = min(len(a), len(b))
    overlap = 0.9 * common / small if small >= 3 else 0.0
    return max(ratio, cover, overlap)


def map_criteria(gap: Gap, plan: ParsedPlan) -> list[Mapping]:
    """One :class:`Mapping` per success criterion of ``gap``, in the gap's order."""
    items = list(plan.validation)
    found: dict[str, Mapping] = {}
    used: set[int] = set()
    ids = {c.id for c in gap.success_criteria}
    for i, it in enumerate(items):
        if it.criterion_id in ids and it.criterion_id not in found:
            crit = next(c for c in gap.success_criteria if c.id == it.criterion_id)
            found[crit.id] = Mapping(crit, it.test, it, "id")
            used.add(i)
    pairs = []
    for c in gap.success_criteria:
        if c.id in found:
            continue
        for i, it in enumerate(items):
            if i in used or (it.criterion_id and it.criterion_id in ids):
                continue
            score = similarity(c.text, it.text)
            if score >= THRESHOLD:
                pairs.append((-score, c.id, i))
    for _, cid, i in sorted(pairs):
        if cid in found or i in used:
            continue
        crit = next(c for c in gap.success_criteria if c.id == cid)
        found[cid] = Mapping(crit, items[i].test, items[i], "text")
        used.add(i)
    out = []
    for c in gap.success_criteria:
        m = found.get(c.id)
        if m is None or m.test is None:
            test = _from_tests(c, plan)
            if test:
                m = Mapping(c, test, m.item if m else None, "test-section")
        out.append(m or Mapping(c, None, None, "none"))
    return out


def _from_tests(c: Criterion, plan: ParsedPlan) -> str | None:
    rx = re.compile(r"\b" + re.escape(c.id) + r"\b")
    for t in plan.tests:
        if rx.search(t.text):
            return t.title
    want = _tokens(c.text)
    if len(want) < 3:
        return None
    for t in plan.tests:
        have = _tokens(t.text)
        if len(want & have) / len(want) >= 0.8:
            return t.title
    return None
