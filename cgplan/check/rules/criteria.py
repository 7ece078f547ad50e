"""Every success criterion of the gap must map to a named test."""

from __future__ import annotations

from cgplan.check.criteria import map_criteria


def unmapped_criterion(ctx, plan_file):
    """A success criterion of the gap that no test of the plan is mapped to. An entry of the success-criteria
    validation (a checklist, a numbered list or a table) states the criterion (by id ``SC1.2`` / ``SC2`` /
    ``Success Criterion 2``, or by similar wording) and names a test the plan defines: by number (``Test 18``,
    ``see Test 7``), by a link to its heading, or by its name (heading title, ``Test Name`` field, or the name
    in its code such as ``it('...')`` or ``def test_...``); a test whose body says it validates the criterion
    maps it too. A criterion present only in prose is unmapped, and a test number or name that resolves to no
    test of the plan is reported on its entry.

    Why: a criterion no test checks is a promise nobody verifies; the generated code will pass review
    without anyone knowing whether it meets it.

    Example: the gap lists ``SC2: p99 under 200 ms`` and the plan's validation list has no entry for it, or
    its entry says ``Test 18`` in a plan whose tests stop at Test 12.
    """
    gap, plan = plan_file.gap, plan_file.parsed
    if gap is None:
        return
    anchor = plan.parts.get("validation") or plan.parts.get("tests")
    default_line = anchor.line if anchor else plan.title_line
    for m in map_criteria(gap, plan):
        crit = m.criterion
        if m.unresolved and m.item is not None:
            named = ", ".join(repr(r.label) for r in m.unresolved)
            yield (
                m.item.line,
                (
                    f"{crit.id} ({crit.text!r}) names {named}, which is not a test of this plan; "
                    "name a test the plan defines (its number 'Test N', its name, or a link to its heading) "
                    "or add that test"
                ),
            )
            continue
        if m.test:
            continue
        if m.item is not None:
            yield (
                m.item.line,
                (
                    f"{crit.id} ({crit.text!r}) is listed but names no test; "
                    'end the entry with the test that checks it — Test: "<test name>" or Test N'
                ),
            )
        else:
            yield (
                default_line,
                (
                    f"{crit.id} ({crit.text!r}) has no test in the success-criteria validation; "
                    f"add '- [ ] {crit.id}: <criterion> — Test: \"<test name>\"' naming a test of this plan"
                ),
            )
