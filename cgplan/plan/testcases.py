"""The test strategy: an integration test per star, a failure-mode test per documented failure, a test per criterion."""

from __future__ import annotations

import re

from cgplan.model.construction import base_name
from cgplan.model.plan import Cited, ComponentPlan, CriterionCheck, TestCase
from cgplan.plan import naming as P
from cgplan.plan.failures import is_failure, is_recovery
from cgplan.plan.limits import criterion_threshold, figures_of, limit_values, scenario_figures, shared_figures
from cgplan.plan.naming import name_from_phrase
from cgplan.plan.wording import brief, mentions

_FAILURE_WORDS = re.compile(
    r"(?i)unreachable|unavailable|\bdown\b|fail|outage|error|timeout|reject|invalid|expired|lost"
)


def _lead_and_rest(text: str) -> list[str]:
    """An Error Handling entry split at its first ``:``, ``;`` or dash: the failure, then what to do."""
    return re.split(r"\s*[:;—–]\s+|\s+-\s+", text, maxsplit=1)


def failure_mode(text: str) -> str:
    """The name of a failure mode from its Error Handling entry (``Pool exhaustion: ...`` -> ``Pool exhaustion``);
    a long lead stops before its condition (``Error 30001 queue overflow when more than 4 hours ...`` ->
    ``Error 30001 queue overflow``)."""
    head = _lead_and_rest(text)[0].strip().rstrip(".;,")
    if len(head) > 60:
        short = re.split(r"\s+(?:when|if|after|because|while|unless|until|as soon as)\s+", head, maxsplit=1)[0]
        if len(short.split()) >= 2:
            head = short
    if 0 < len(head) <= 80:
        return head
    return brief(head, 8)


def _recovery(text: str) -> str:
    """What an Error Handling bullet says to do, after its lead (``Pool exhaustion: wait 2 s`` -> ``wait 2 s``)."""
    parts = _lead_and_rest(text)
    return parts[1].strip().rstrip(".") if len(parts) == 2 else ""


_DISTINCT = re.compile(r"\b\d{3,}\b|\b[A-Za-z]+[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b|\b[A-Z]{3,}\b")
"""Tokens that pick a failure out of prose: error numbers (``21610``), names such as ``OOMKilled``."""


def _recovery_stated_elsewhere(builder, failure: str) -> str:
    """A clause of the gap or the sketch that says what happens on this failure (``Twilio errors 30007 and
    21610 are counted and the patron is skipped``), found by the failure's error numbers or names."""
    tokens = set(_DISTINCT.findall(failure))
    mode = failure_mode(failure)
    named = re.compile(rf"(?i)^\W*{re.escape(mode)}\b") if 2 <= len(mode.split()) <= 5 else None
    if not tokens and named is None:
        return ""
    gap, sketch = builder.gap, builder.sketch
    texts = [t.text for t in (*gap.integration_points.errors, *gap.constraints)]
    if sketch is not None:
        texts += [t.text for t in (*sketch.constraints_gap, *sketch.constraints_constellation, *sketch.cons)]
        texts.append(sketch.core_decision)
    for text in texts:
        for clause in re.split(r";\s+", text):
            # the failure is what the clause is about: its token among the clause's first words
            head = " ".join(clause.split()[:6])
            said = any(re.search(_token_pattern(token), head) for token in tokens) and _ACTION.search(clause)
            # or the clause opens with the failure's name (``Statement timeout of 30 s: the query must stream``)
            said = said or (named is not None and named.search(clause) and len(clause) > len(mode) + 10)
            if said and clause.strip() != failure:
                return " ".join(clause.split()).rstrip(".")
    return ""


_OUTAGE = re.compile(
    r"(?i)\bdown\b|unavailable|unreachable|outage|failover|fails? over|connection refused|time(?:s|d)?[ -]?out|"
    r"not respond|no response"
)
_FALLBACK = re.compile(
    r"(?i)fails? (?:open|closed)|fall(?:s)? ?back|falls through|pass(?:es)? through|skip|retr(?:y|ies)|queue|degrad|"
    r"continue|serve[sd]? (?:stale|cached)|reject|return|answer"
)


def _outage_recovery(builder, star_name: str, failure: str) -> str:
    """What the gap or the sketch says the code does when the star is down (``if Redis is down the throttle
    fails open``), for a failure of the star that is an outage (down, unreachable, failover, timeout)."""
    if not _OUTAGE.search(failure):
        return ""
    gap, sketch = builder.gap, builder.sketch
    texts = [t.text for t in (*gap.integration_points.errors, *gap.constraints)]
    if sketch is not None:
        texts += [t.text for t in (*sketch.constraints_constellation, *sketch.cons)]
    for text in texts:
        for clause in re.split(r";\s+|(?<=\.)\s+", text):
            if builder.star_mentioned(clause, star_name) and _OUTAGE.search(clause) and _FALLBACK.search(clause):
                return " ".join(clause.split()).rstrip(".")
    return ""


_ACTION = re.compile(
    r"(?i)\b(?:paus|wait|retr|skip|count|queue|fall|fails? (?:open|closed|fast)|drop|reject|discard|alert|log|mark|"
    r"hold|defer|resum|back(?:s|ed)? ?off|abort|give up|gives up|re-?send|park|flag|notif|escalat|cancel)"
)
"""Words of a clause that says what happens on a failure, as against one that only states a limit."""


def _token_pattern(token: str) -> str:
    """A failure's token as a word; a number only where no unit follows it (the ``500`` of an HTTP 500, not of
    ``500 req/sec``)."""
    if token.isdigit():
        unit = r"[a-z]+/|req|requests?|calls?|ms\b|s\b|secs?\b|seconds?|minutes?|mb|gb|kb|%"
        return rf"(?<![$€£])\b{token}\b(?![.,]\d)(?!\s*(?:{unit}))"
    return rf"\b{re.escape(token)}\b"


def _owner(builder, star_name: str, components: list[ComponentPlan]) -> ComponentPlan:
    """The component that owns the integration with a star: the one the data flow joins to the star, else the
    first that integrates with it."""
    for component in components:
        for edge in builder.flow.edges:
            ends = {builder.node_comp.get(edge.src), builder.node_star.get(edge.dst)}
            ends_back = {builder.node_comp.get(edge.dst), builder.node_star.get(edge.src)}
            if {component.name, star_name} <= ends or {component.name, star_name} <= ends_back:
                return component
    return components[0]


def _unique(name: str, used: set[str]) -> str:
    base, k = name, 2
    while name in used:
        name, k = f"{base}_{k}", k + 1
    used.add(name)
    return name


def build_tests(builder) -> None:
    """Fill ``plan.tests`` and ``plan.criteria``."""
    plan, gap = builder.plan, builder.gap
    lang = plan.language
    used_names: set[str] = set()
    tests: list[TestCase] = []
    decided = set(builder.decisions.tests.values())
    used_names |= decided
    unrecovered: list[str] = []
    for star_name in plan.stars:
        star = builder.construction.star(star_name)
        comps = [cp for cp in plan.components if any(su.name == star_name for su in cp.stars)]
        if not comps:
            continue
        cite = star.source.cite() if star else ""
        first = _owner(builder, star_name, comps)
        uses = next((su for su in first.stars if su.name == star_name), None)
        sig = first.signatures[0].name if first.signatures else first.name
        forms = builder.forms.get(star_name, [])
        validates = [sc.id for sc in gap.success_criteria if mentions(sc.text, forms)]
        name = _unique(f"integrates_with_{P.snake(star_name, lead='')}", used_names)
        contract = brief(uses.uses[0].text, 8) if uses and uses.uses else ""
        meets = uses.integration_point[0] if uses and uses.integration_point else None
        if meets is not None:
            what = [Cited(f"{first.name} meets {star_name} at {brief(meets.text, 10)}", meets.cite)]
        else:
            what = [Cited(f"{first.name} calls {star_name}", cite)]
        approach = P.test_skeleton(
            lang,
            f"{first.name} integration with {star_name}",
            name,
            # the star as this gap meets it: where (the sketch's integration point) and what (what it uses)
            f"{star_name} at {meets.text if len(meets.text) <= 100 else brief(meets.text, 12)}"
            if meets is not None
            else f"{star_name} serving {contract}",
            f"call {sig}",
            f"{first.name} uses {contract}" if contract else f"{first.name} gets what {star_name} answers",
        )
        tests.append(
            TestCase(
                0,
                "integration",
                f"Integration with {star_name}",
                name,
                star_name,
                what,
                [first.name],
                approach,
                validates,
            )
        )
        if star is None:
            continue
        owner = _owner(builder, star_name, comps)
        owner_call = owner.signatures[0].name if owner.signatures else owner.name
        for bullet in star.errors:
            if not is_failure(bullet.text) or not builder.in_scope(bullet.text, owner, star_name):
                continue  # not a failure, or one of an area of the star this gap does not use
            mode = failure_mode(bullet.text)
            # what the gap or sketch decides for this failure comes first; the star's own words count only when
            # they say what to do (``retry after 2 s``), not when they describe the failure (``... is skipped``)
            own = _recovery(bullet.text)
            recovery = (
                _recovery_stated_elsewhere(builder, bullet.text)
                or (own if is_recovery(own) else "")
                or _outage_recovery(builder, star_name, bullet.text)
            )
            fname = _unique(name_from_phrase(f"{base_name(star_name)} {mode}", lead="handles"), used_names)
            fvalid = [
                sc.id for sc in gap.success_criteria if mentions(sc.text, forms) and _FAILURE_WORDS.search(sc.text)
            ]
            if recovery:
                check = f"{owner.name} does what the documents state: {recovery}"
            else:
                what_fails = mode[:1].lower() + mode[1:]
                check = f"{owner.name} handles {what_fails} as the decisions file will say (no document states it)"
                unrecovered.append(fname)
            approach = P.test_skeleton(
                lang,
                f"{owner.name} when {star_name} fails",
                fname,
                f"{star_name}: {mode}" if recovery and recovery == own else f"{star_name}: {bullet.text}",
                f"call {owner_call} with the gap's input",
                check,
            )
            what = [Cited(f"`{owner_call}` when {brief(mode[:1].lower() + mode[1:], 3)}", cite)]
            tests.append(
                TestCase(
                    0,
                    "failure",
                    f"Failure Mode from {star_name}: {mode}",
                    fname,
                    star_name,
                    what,
                    [owner.name],
                    approach,
                    fvalid,
                )
            )
    if unrecovered:
        plan.notes.append(
            f"The documents state no recovery for the failures that {', '.join(f'`{n}`' for n in unrecovered)} "
            f"{'test' if len(unrecovered) > 1 else 'tests'}: decide what the component does then, and record it "
            "in the decisions file."
        )
    tests += _constraint_tests(builder, used_names)
    for sc in gap.success_criteria:
        if sc.id in builder.decisions.tests:
            name = builder.decisions.tests[sc.id]
            is_decided = True
        else:
            name = _unique(name_from_phrase(sc.text, lead="meets"), used_names)
            is_decided = False
        tests.append(_criterion_test(builder, sc, name, tests))
        plan.criteria.append(CriterionCheck(sc.id, sc.text, builder.gap_cite, name, is_decided))
    for i, t in enumerate(tests, start=1):
        t.number = i
    plan.tests = tests


def _calls(components: list[ComponentPlan]) -> str:
    """``overdueQuery → composeReminder``: the functions a scenario runs, in the plan's order."""
    return " → ".join(comp.signatures[0].name if comp.signatures else comp.name for comp in components)


def _stars_of(components: list[ComponentPlan]) -> list[str]:
    return list(dict.fromkeys(use.name for comp in components for use in comp.stars))


def _criterion_test(builder, sc, name: str, tests: list[TestCase]) -> TestCase:
    """A success-criterion test: the scenario and threshold the criterion states, run through the components it
    concerns, backed by the mechanism tests that share its stars or figures."""
    plan = builder.plan
    components = builder.shaped_by(sc.text) or plan.components
    threshold = criterion_threshold(sc.text)
    scenario = scenario_figures(sc.text)
    # a mechanism test backs a criterion when it tests one of its stars or states one of its figures with the
    # same unit (``100 emails`` and ``100 emails per minute``; not ``500 req/sec`` and an HTTP 500)
    figures = {figure for figure in figures_of(sc.text) if " " in figure}
    backers = [
        t.name
        for t in tests
        if t.kind != "criterion"
        and (sc.id in t.validates or shared_figures(figures, figures_of(" ".join(c.text for c in t.what) + t.approach)))
    ]
    stars = _stars_of(components)
    setup = (
        "; ".join(
            part
            for part in (
                f"{', '.join(scenario)} ({sc.id}'s scenario)" if scenario else "",
                f"test instances of {', '.join(stars)}" if stars else "",
            )
            if part
        )
        or f"the input {components[0].name} receives"
    )
    # the criterion itself is the assertion; its threshold is what the test measures against
    check = f"{sc.text} ({sc.id}; threshold: {threshold})" if threshold else f"{sc.text} ({sc.id})"
    approach = P.test_skeleton(plan.language, f"{sc.id}", name, setup, f"run {_calls(components)}", check)
    what = f"{sc.id}: {threshold or 'as stated'}"
    what += f" for {', '.join(scenario)}" if scenario else ""
    what += f", through {_calls(components)}"
    what += f" — backed by {', '.join(f'`{b}`' for b in backers)}" if backers else ""
    return TestCase(
        0,
        "criterion",
        f"Success Criterion {sc.id}",
        name,
        "",
        [Cited(what, builder.gap_cite)],
        [comp.name for comp in components],
        approach,
        [sc.id],
    )


_TIME_WINDOW = re.compile(r"\b\d{1,2}:\d\d\b")
_SETUP_BY_KIND = {
    "rate": "enough work to go past {value}",
    "load": "a sustained load of {value}",
    "timeout": "work that would run past {value}",
    "lifetime": "{value} pass",
    "size": "input at {value} and just past it",
    "count": "input at {value} and just past it",
    "pool": "more concurrent work than {value}",
    "status": "the star answering {value}",
}


def _constraint_tests(builder, used_names: set[str]) -> list[TestCase]:
    """One test per gap constraint that states a limit or a time window, on the components it shapes: the limits
    a reader expects to see enforced (a send rate, a message length, quiet hours)."""
    out: list[TestCase] = []
    plan = builder.plan
    seen: set[str] = set()
    for constraint in (con for comp in plan.components for con in comp.constraints_gap):
        if constraint.text in seen:
            continue
        seen.add(constraint.text)
        window = _TIME_WINDOW.search(constraint.text)
        if not constraint.kind and not window:
            continue
        components = [
            comp for comp in plan.components if any(con.text == constraint.text for con in comp.constraints_gap)
        ]
        values = limit_values(constraint.text, constraint.kind) if constraint.kind else []
        scene = scenario_figures(constraint.text) if constraint.kind == "timeout" else []
        if scene:
            setup = ", ".join(scene)
        elif values:
            setup = _SETUP_BY_KIND[constraint.kind].format(value=", ".join(values))
        else:
            setup = "times inside and outside the window the constraint names"
        name = _unique(name_from_phrase(constraint.text, lead="keeps"), used_names)
        limit = ", ".join(values) or "–".join(_TIME_WINDOW.findall(constraint.text))
        approach = P.test_skeleton(
            plan.language,
            f"{components[0].name} limits",
            name,
            setup,
            f"run {_calls(components)}",
            f"the constraint holds: {constraint.text}",
        )
        out.append(
            TestCase(
                0,
                "constraint",
                f"Constraint: {brief(constraint.text, 10)}",
                name,
                "",
                [Cited(f"{_calls(components)} at and past the limit ({limit})", constraint.cite)],
                [comp.name for comp in components],
                approach,
                [],
            )
        )
    return out
