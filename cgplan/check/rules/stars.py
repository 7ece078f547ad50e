"""Stars a plan names: each must exist in the map and have a failure-mode test."""

from __future__ import annotations

import re

from cgplan.load.fields import norm_key
from cgplan.check.plan_doc import all_mentions
from cgplan.check.registry import folder_rule, plan_rule


@plan_rule("unknown-star", "error", "the plan (or a gap or sketch) names a star the constellation map lacks")
def unknown_star(ctx, pf):
    plan = pf.parsed
    seen: dict[str, list[int]] = {}
    for m in all_mentions(plan):
        res = ctx.index.resolve(m.text)
        if res.star is not None:
            continue
        seen.setdefault(norm_key(m.text) or m.text, []).append(m.line)
    firsts = {}
    for m in all_mentions(plan):
        key = norm_key(m.text) or m.text
        if key in seen and key not in firsts:
            firsts[key] = m
    for key, m in firsts.items():
        lines = seen[key]
        res = ctx.index.resolve(m.text)
        more = f" (also on line {', '.join(str(n) for n in lines[1:4])}{', ...' if len(lines) > 4 else ''})" if len(lines) > 1 else ""
        if res.candidates:
            yield m.line, f"{m.text!r} could mean {', '.join(res.candidates)}{more}; write the star's full name from the constellation map"
        else:
            yield m.line, f"{m.text!r} is not a star in the constellation map{more}; use a star from the map or add it there"


@folder_rule("unknown-star", "error", "the plan (or a gap or sketch) names a star the constellation map lacks")
def unknown_star_folder(ctx):
    for p in ctx.c.problems:
        if p.kind == "unknown-star":
            yield p.file, p.line, p.message


def _forms(star) -> list[str]:
    forms = [star.name, *star.aliases]
    base = re.sub(r"\s*\([^()]*\)\s*$", "", star.name).strip()
    if base and base != star.name:
        forms.append(base)
    return sorted({norm_key(f) for f in forms if len(norm_key(f)) >= 3})


@plan_rule("missing-failure-test", "warning", "a star a component integrates with has no failure-mode test")
def missing_failure_test(ctx, pf):
    plan = pf.parsed
    failure_tests = [t for t in plan.tests if t.kind == "failure"]
    texts = [f" {norm_key(t.text)} " for t in failure_tests]
    reported = set()
    for comp in plan.components:
        for m in comp.stars:
            star = ctx.index.resolve(m.text).star
            if star is None or star in reported:
                continue
            covered = any(t.star and ctx.index.resolve(t.star).star == star for t in failure_tests)
            if not covered:
                forms = _forms(ctx.c.star(star))
                covered = any(f" {f} " in text for f in forms for text in texts)
            if not covered:
                covered = any(star in _named_in(ctx, t.title) for t in failure_tests)
            if not covered:
                reported.add(star)
                yield m.line, f"component {comp.name!r} integrates with {star} but no test covers its failure modes; add '#### Test N: Failure Mode from {star}: <mode>' from its Error Handling in the constellation map"


_WORD = re.compile(r"[A-Za-z0-9][\w&/.+-]*")


def _named_in(ctx, title: str) -> set[str]:
    """Stars named by runs of up to three words that start with a capital in a heading."""
    words = _WORD.findall(re.sub(r"(?i)^\s*test\s*\d*\s*[:.\-]?", "", title))
    found = set()
    for i, w in enumerate(words):
        if not w[:1].isupper():
            continue
        for n in (1, 2, 3):
            if i + n > len(words):
                break
            res = ctx.index.resolve(" ".join(words[i : i + n]))
            if res.star:
                found.add(res.star)
    return found
