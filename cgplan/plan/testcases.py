"""The test strategy: an integration test per star, a failure-mode test per documented failure, a test per criterion."""

from __future__ import annotations

import re

from cgplan.model.plan import Cited, CriterionCheck, TestCase
from cgplan.plan import naming as P

_FAILURE_WORDS = re.compile(
    r"(?i)unreachable|unavailable|\bdown\b|fail|outage|error|timeout|reject|invalid|expired|lost"
)


def failure_mode(text: str) -> str:
    """The name of a failure mode from its Error Handling entry (``Pool exhaustion: ...`` -> ``Pool exhaustion``)."""
    head = re.split(r"\s*[:—–]\s+|\s+-\s+", text, maxsplit=1)[0].strip()
    if 0 < len(head) <= 60:
        return head.rstrip(".;,")
    words = text.split()
    return " ".join(words[:6]).rstrip(".;,:")


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
    for star_name in plan.stars:
        star = builder.construction.star(star_name)
        comps = [cp for cp in plan.components if any(su.name == star_name for su in cp.stars)]
        if not comps:
            continue
        uses = next((su for cp in comps for su in cp.stars if su.name == star_name), None)
        cite = star.source.cite() if star else ""
        first = comps[0]
        sig = first.signatures[0].name if first.signatures else first.name
        forms = builder.forms.get(star_name, [])
        from cgplan.plan.wording import brief, mentions

        validates = [sc.id for sc in gap.success_criteria if mentions(sc.text, forms)]
        name = _unique(f"integrates_with_{P.snake(star_name, lead='')}", used_names)
        contract = brief(uses.uses[0].text, 8) if uses and uses.uses else "its documented contract"
        where = f"Component {first.number}, Stars This Integrates With"
        what = [Cited(f"{', '.join(cp.name for cp in comps)} use {star_name} as {where} states", cite)]
        approach = P.test_skeleton(
            lang,
            f"{first.name} integration with {star_name}",
            name,
            f"a test instance or recorded double of {star_name}, configured as {cite or 'the map'} documents",
            f"call {sig}",
            f"it uses {contract} as documented",
        )
        tests.append(
            TestCase(
                0,
                "integration",
                f"Integration with {star_name}",
                name,
                star_name,
                what,
                [cp.name for cp in comps],
                approach,
                validates,
            )
        )
        if star is None:
            continue
        for t in star.errors:
            mode = failure_mode(t.text)
            fname = _unique(f"handles_{P.snake(star_name, 3, lead='')}_{P.snake(mode, 6, lead='')}", used_names)
            fvalid = [
                sc.id for sc in gap.success_criteria if mentions(sc.text, forms) and _FAILURE_WORDS.search(sc.text)
            ]
            what = [
                Cited(
                    (
                        f"make {star_name} fail this way, as Component {first.number}, Error Handling states it; "
                        f"call `{sig}`; expect the recovery stated there"
                    ),
                    cite,
                )
            ]
            tests.append(
                TestCase(
                    0,
                    "failure",
                    f"Failure Mode from {star_name}: {mode}",
                    fname,
                    star_name,
                    what,
                    [cp.name for cp in comps],
                    "",
                    fvalid,
                )
            )
    for sc in gap.success_criteria:
        if sc.id in builder.decisions.tests:
            name = builder.decisions.tests[sc.id]
            is_decided = True
        else:
            name = _unique(P.snake(sc.text, 8, lead="meets"), used_names)
            is_decided = False
        what = [
            Cited(
                (
                    f"run the scenario of {sc.id} (see Success Criteria Validation) end to end "
                    "with every star of the plan available; assert what it measures"
                ),
                builder.gap_cite,
            )
        ]
        tests.append(
            TestCase(
                0,
                "criterion",
                f"Success Criterion {sc.id}",
                name,
                "",
                what,
                [cp.name for cp in plan.components],
                "",
                [sc.id],
            )
        )
        plan.criteria.append(CriterionCheck(sc.id, sc.text, builder.gap_cite, name, is_decided))
    for i, t in enumerate(tests, start=1):
        t.number = i
    plan.tests = tests
