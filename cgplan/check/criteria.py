"""Map a gap's success criteria to the tests a plan names for them.

An entry of the plan's success-criteria validation matches a criterion by its id
(``SC1.2``, or ``SC2`` / ``Success Criterion 2`` for the gap's second) or, failing
that, by text similarity (difflib ratio and word overlap). It counts as mapped
only when it names a test of the plan: by number (``Test 18``), by a link to the
test's heading, or by the test's name (its heading title, its ``Test Name`` field
or the name in its code, ``it('...')`` / ``def test_...``). A reference that
resolves to no test of the plan is reported as such. A test whose body says it
validates the criterion (its id, or a ``Validates ...`` line stating it) maps it
too; the criterion's words elsewhere in the plan do not.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from cgplan.check.plan_doc import ParsedPlan, PlanTest, TestRef, ValidationItem
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
    unresolved: list[TestRef] = field(default_factory=list)
    """References of its entry that name no test of the plan (``test`` may then be a name the entry gives
    that the plan does not define)."""


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
    keys = [_keys(t) for t in plan.tests] if any(r.kind == "name" for it in items for r in it.refs) else None
    found: dict[str, Mapping] = {}
    used: set[int] = set()
    ids = {c.id for c in gap.success_criteria}
    for i, it in enumerate(items):
        cid = it.criterion_id
        if cid is None and it.criterion_number is not None:
            cid = f"SC{gap.number}.{it.criterion_number}"
            by_number = next((c for c in gap.success_criteria if c.id == cid), None)
            if by_number is not None and it.text:
                own = similarity(by_number.text, it.text)
                if any(similarity(c.text, it.text) > own + 0.2 for c in gap.success_criteria if c is not by_number):
                    continue  # ``SC2`` counted in another order than the gap's: match by wording instead
        if cid in ids and cid not in found:
            crit = next(c for c in gap.success_criteria if c.id == cid)
            found[crit.id] = _mapped(crit, it, plan, "id", keys)
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
        found[cid] = _mapped(crit, items[i], plan, "text", keys)
        used.add(i)
    out = []
    for c in gap.success_criteria:
        m = found.get(c.id)
        if (m is None or m.test is None) and not (m and m.unresolved):
            test = _from_tests(c, plan)
            if test:
                m = Mapping(c, test, m.item if m else None, "test-section")
        out.append(m or Mapping(c, None, None, "none"))
    return out


def shown_name(t: PlanTest) -> str:
    """How a test is shown: its first name, else its title."""
    return t.names[0] if t.names else t.title


def _mapped(crit: Criterion, item: ValidationItem, plan: ParsedPlan, how: str, keys=None) -> Mapping:
    """The mapping one validation entry gives: the first test its references resolve to."""
    if not item.refs:
        t = _named_in_text(item, plan)
        return Mapping(crit, shown_name(t) if t else None, item, how)
    hits, missing = [], []
    if keys is None and any(r.kind == "name" for r in item.refs):
        keys = [_keys(t) for t in plan.tests]
    for ref in item.refs:
        t = resolve_ref(ref, plan, keys)
        if t is None:
            missing.append(ref)
        else:
            hits.append(ref.value if ref.kind == "name" else shown_name(t))
    # a name the plan does not define is still the name the entry gives (reports look for it in code);
    # ``unresolved`` is what makes it an unmapped-criterion finding
    test = hits[0] if hits else item.test
    if hits and all(r.kind == "name" for r in missing):
        missing = []  # a name beside a resolved number or link is its description
    return Mapping(crit, test, item, how, missing)


_NUM_PREFIX = re.compile(r"(?i)^\W*(?:test\s*#?\s*\d+|\d+[.)])\s*[:.\-\u2013\u2014]?\s*")


def _keys(t: PlanTest) -> list[str]:
    keys = [norm_key(t.title), norm_key(_NUM_PREFIX.sub("", t.title))]
    keys += [norm_key(n.replace("_", " ")) for n in t.names]
    return [k for k in keys if k]


def resolve_ref(ref: TestRef, plan: ParsedPlan, keys: list[list[str]] | None = None) -> PlanTest | None:
    """The test of the plan a reference names, or ``None`` (``keys``: :func:`_keys` of each test, if known)."""
    if ref.kind == "number":
        return next((t for t in plan.tests if t.number is not None and t.number == int(ref.value)), None)
    if ref.kind == "link":
        hit = next((t for t in plan.tests if t.anchor and t.anchor == ref.value), None)
        if hit is None:
            m = re.search(r"(?i)\btest[-\s]*#?(\d+)\b", ref.value)
            if m:
                hit = resolve_ref(TestRef("number", m.group(1)), plan)
        return hit
    want = norm_key(ref.value.replace("_", " "))
    if not want:
        return None
    if keys is None:
        keys = [_keys(t) for t in plan.tests]
    for t, tkeys in zip(plan.tests, keys, strict=True):
        if want in tkeys:
            return t
    digit = any(ch.isdigit() for ch in want)
    for t, tkeys in zip(plan.tests, keys, strict=True):
        for key in tkeys:
            if (len(want) >= 8 and want in key) or (len(key) >= 12 and key in want):
                return t
            if digit and key.startswith(want + " "):
                return t  # an id the test's title starts with (``IT-1``, ``FM 2``)
    if re.search(r",|;|\band\b|&|\+", ref.value):
        # several names in one entry (``test_a and test_b``): the first that resolves
        for part in re.split(r"\s*(?:,|;|\band\b|&|\+)\s*", ref.value):
            part = part.strip(" `\"'*\u201c\u201d")
            hit = resolve_ref(TestRef("name", part), plan, keys) if part else None
            if hit is not None:
                return hit
    best, score = None, 0.0
    for t, tkeys in zip(plan.tests, keys, strict=True):
        for key in tkeys:
            r = difflib.SequenceMatcher(None, want, key, autojunk=False).ratio()
            if r > score:
                best, score = t, r
    if score >= 0.85:
        return best
    # a short name whose words all appear in one test's title or names (``Redis failover test``)
    words = _tokens(want)
    if len(words) >= 2:
        for t, tkeys in zip(plan.tests, keys, strict=True):
            if words <= _tokens(" ".join(tkeys)):
                return t
    return None


def _named_in_text(item: ValidationItem, plan: ParsedPlan) -> PlanTest | None:
    """A test whose name or title an entry with no explicit reference spells out in its text."""
    text = f" {norm_key(item.text)} "
    for t in plan.tests:
        for name in t.names:
            key = norm_key(name.replace("_", " "))
            if len(key) >= 8 and f" {key} " in text:
                return t
        key = norm_key(_NUM_PREFIX.sub("", t.title))
        if len(key.split()) >= 3 and f" {key} " in text:
            return t
    return None


def _from_tests(c: Criterion, plan: ParsedPlan) -> str | None:
    """A test whose body says it validates ``c``: its id, or a ``Validates ...`` line stating it."""
    rx = re.compile(r"\b" + re.escape(c.id) + r"\b")
    for t in plan.tests:
        if rx.search(t.text):
            return shown_name(t)
    want = _tokens(c.text)
    if len(want) < 3:
        return None
    for t in plan.tests:
        for claim in t.claims:
            have = _tokens(claim)
            if len(want & have) / len(want) >= 0.8:
                return shown_name(t)
    return None
