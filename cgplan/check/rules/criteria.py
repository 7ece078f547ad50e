"""Every success criterion of the gap must map to a named test."""

from __future__ import annotations

from cgplan.check.criteria import map_criteria
from cgplan.check.registry import plan_rule


@plan_rule("unmapped-criterion", "error", "a success criterion of the gap has no test in the plan's success-criteria validation")
def unmapped_criterion(ctx, pf):
    gap, plan = pf.gap, pf.parsed
    if gap is None:
        return
    anchor = plan.parts.get("validation") or plan.parts.get("tests")
    default_line = anchor.line if anchor else plan.title_line
    for m in map_criteria(gap, plan):
        if m.test:
            continue
        crit = m.criterion
        if m.item is not None:
            yield m.item.line, f"{crit.id} ({crit.text!r}) is listed but names no test; end the entry with — Test: \"<test name>\""
        else:
            yield default_line, f"{crit.id} ({crit.text!r}) has no test in the success-criteria validation; add '- [ ] {crit.id}: <criterion> — Test: \"<test name>\"'"
