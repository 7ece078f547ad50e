"""Stars a plan names: each must exist in the map and have a failure-mode test."""

from __future__ import annotations

import re

from cgplan.check.plan_doc import all_mentions
from cgplan.load.fields import norm_key
from cgplan.plan.failures import is_failure, operations_of, performs


def unknown_star(ctx, plan_file):
    """A star named in a plan that the constellation map lacks: a bold, code or linked name in the star list
    (bullets, nested bullets or a table) of *Stars This Integrates With*, an ``Integration with`` /
    ``Failure Mode from`` test title, or a ``constellation-map.md § Star: X`` citation or link; also the
    gaps' and sketches' references. Names resolve as the loader resolves them (aliases, acronyms, case);
    a template placeholder (``§ Star: …``, ``[Star Name]``, ``<Star names>``) is not a star reference.

    Why: a code generator told to integrate with a component that does not exist invents its interface.

    Example: ``- **Kafka Event Bus** (constellation-map.md § Star: Kafka Event Bus)`` in a folder whose
    map has no such star.
    """
    plan = plan_file.parsed
    seen: dict[str, list[int]] = {}
    for m in all_mentions(plan):
        res = ctx.index.resolve(m.text)
        if res.star is not None or _all_stars(ctx, m.text):
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
        more = (
            f" (also on line {', '.join(str(n) for n in lines[1:4])}{', ...' if len(lines) > 4 else ''})"
            if len(lines) > 1
            else ""
        )
        if res.candidates:
            yield (
                m.line,
                (
                    f"{m.text!r} could mean {', '.join(res.candidates)}{more}; "
                    "write the star's full name from the constellation map"
                ),
            )
        else:
            yield (
                m.line,
                (
                    f"{m.text!r} is not a star in the constellation map{more}; "
                    "write the name of a star from the map (`cgplan inspect` lists them) or add the star there"
                ),
            )


def _performs_any(ctx, comp, errors) -> bool:
    """Whether a component, by what it says of itself (its lines before its constraints, whose derived advice
    says nothing of what it does, without the star's failure bullets and the names of its stars), performs
    one of the operations the star's failures happen in (writing, sending, consuming)."""
    end = comp.parts["constraints"].line if "constraints" in comp.parts else None
    said = " ".join(
        ln.text for ln in comp.lines if (end is None or ln.line < end) and not any(b.text in ln.text for b in errors)
    )
    names = tuple(
        form
        for m in comp.stars
        if (star := ctx.construction.star(ctx.index.resolve(m.text).star or "")) is not None
        for form in star.name_forms()
    )
    return any(performs(op, said, names) for b in errors for op in operations_of(b.text))


def _all_stars(ctx, text: str) -> bool:
    """Whether a name lists several stars that all resolve (``Redis Cache and Stripe API``)."""
    parts = [p for p in re.split(r"\s*(?:,|&|\+|/|\band\b)\s*", text) if p]
    return len(parts) > 1 and all(ctx.index.resolve(p).star for p in parts)


def unknown_star_in_folder(ctx):
    """The gaps' and sketches' references to stars the constellation map lacks (part of ``unknown-star``)."""
    for p in ctx.construction.problems:
        if p.kind == "unknown-star":
            yield p.file, p.line, p.message


def missing_failure_test(ctx, plan_file):
    """A star a component integrates with, whose Error Handling documents a failure, but no failure-mode
    test covers. A test covers the star when its title (a heading, a bold paragraph or a numbered-list
    item of the test section) is ``Failure Mode from <Star>: ...`` or names the star and a failure.

    Why: integrations fail at their seams; a star whose documented failure modes no test exercises
    leaves the recovery path untested until production.

    A failure of writes concerns only a component whose text speaks of writing, a failure of sending
    (``when sending``, ``not delivered``) only one whose text speaks of sending or calling out, and a queue
    consumer's failure (a visibility timeout) only one whose text speaks of consuming.

    Example: a component uses the Stripe API and no test is named ``Failure Mode from Stripe API: ...``.
    """
    plan = plan_file.parsed
    failure_tests = [t for t in plan.tests if t.kind == "failure"]
    texts = [f" {norm_key(t.title)} " for t in failure_tests]
    bodies = [f" {norm_key(t.text)} " for t in failure_tests]
    reported = set()
    for comp in plan.components:
        for m in comp.stars:
            star = ctx.index.resolve(m.text).star
            if star is None or star in reported:
                continue
            errors = [b for b in ctx.construction.star(star).errors if is_failure(b.text)]
            if not errors:
                continue  # a star that documents no failure needs no failure-mode test
            if all(operations_of(b.text) for b in errors) and not _performs_any(ctx, comp, errors):
                continue  # only failures of writing, sending or consuming, none of which the component does
            covered = any(t.star and ctx.index.resolve(t.star).star == star for t in failure_tests)
            if not covered:
                forms = sorted({norm_key(f) for f in ctx.construction.star(star).name_forms() if len(norm_key(f)) >= 3})
                covered = any(f" {f} " in text for f in forms for text in texts)
            if not covered:
                covered = any(star in _named_in(ctx, t.title) for t in failure_tests)
            if not covered:
                covered = any(_fails_in(f, body) for f in forms for body in bodies)
            if not covered:
                reported.add(star)
                yield (
                    m.line,
                    (
                        f"component {comp.name!r} integrates with {star} but no test covers its failure modes; "
                        f"add '#### Test N: Failure Mode from {star}: <mode>' "
                        "from its Error Handling in the constellation map"
                    ),
                )


_FAILS = (
    r"(?:down|unavailable|unreachable|fails?|failing|failed|failover|outage|times? out|timeouts?|timed out"
    r"|errors?|429|5\d\d|5xx|rejects?|rejected|throttl\w*|evict\w*|lags?|lagging|loses?|lost|crash\w*|refus\w*)"
)


def _fails_in(form: str, body: str) -> bool:
    """Whether a test's text (normalised) says the star fails: ``redis cache is down``, ``outage of redis cache``."""
    if f" {form} " not in body:
        return False
    f = re.escape(form)
    return bool(
        re.search(rf" {f} (?:\w+ ){{0,3}}{_FAILS} ", body)
        or re.search(rf" {_FAILS} (?:of|from|in|at|on) (?:the )?{f} ", body)
    )


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
