"""Every success criterion of the gap must map to a named test."""

from __future__ import annotations

from cgplan.check.criteria import map_criteria


def unmapped_criterion(ctx, plan_file):
    """A success criterion of the gap with no named test in the plan's success-criteria validation
    (matched by id ``SC1.2`` or by similar wording).

    Why: a criterion no test checks is a promise nobody verifies; the generated code will pass review
    without anyone knowing whether it meets it.

    Example: the gap lists ``SC2: p99 under 200 ms`` and the plan's validation list has no entry for it.
    """
    gap, plan = plan_file.gap, plan_file.parsed
    if gap is None:
        return
    anchor = plan.parts.get("validation") or plan.parts.get("tests")
    default_line = anchor.line if anchor else plan.title_line
    for m in map_criteria(gap, plan):
        if m.test:
            continue
        crit = m.criterion
        if m.item is not None:
            yield (
                m.item.line,
                f'{crit.id} ({crit.text!r}) is listed but names no test; end the entry with — Test: "<test name>"',
            )
        else:
            yield (
                default_line,
                (
                    f"{crit.id} ({crit.text!r}) has no test in the success-criteria validation; "
                    f"add '- [ ] {crit.id}: <criterion> — Test: \"<test name>\"'"
                ),
            )
