"""Every rule of ``cgplan check``, in one tuple: :data:`ALL_RULES`.

To add a rule: write its check function (with a docstring giving what it catches,
``Why:`` and ``Example:``) in the module of its family, add it here, and run
``python -m cgplan.check.rules`` to print the README's rule table.
"""

from __future__ import annotations

from cgplan.check.model import Rule
from cgplan.check.rules import criteria, folder, provenance, stars, structure, vague

ALL_RULES: tuple[Rule, ...] = (
    Rule("unknown-star", "error", plan=stars.unknown_star, folder=stars.unknown_star_in_folder),
    Rule("unmapped-criterion", "error", plan=criteria.unmapped_criterion),
    Rule("missing-signature", "error", plan=structure.missing_signature),
    Rule("missing-citation", "error", plan=structure.missing_citation),
    Rule("plan-without-gap", "error", plan=provenance.plan_without_gap),
    Rule("gap-without-sketch", "error", folder=folder.gap_without_sketch),
    Rule("sketch-without-gap", "error", folder=folder.sketch_without_gap),
    Rule("duplicate-star", "error", folder=folder.duplicate_star),
    Rule("missing-failure-test", "warning", plan=stars.missing_failure_test),
    Rule("missing-section", "warning", plan=structure.missing_section),
    Rule("vague-text", "warning", plan=vague.vague_text),
    Rule("stale-plan", "warning", plan=provenance.stale_plan),
    Rule("unplanned-gap", "warning", folder=provenance.unplanned_gap),
    Rule("missing-field", "warning", folder=folder.missing_field),
)
"""The rules, in the order the README lists them."""


def rules_table() -> str:
    """The README's table of rules, made from :data:`ALL_RULES`."""
    lines = ["| rule | severity | what it catches | why |", "|---|---|---|---|"]
    for rule in ALL_RULES:
        lines.append(f"| `{rule.slug}` | {rule.severity} | {_cell(rule.description)} | {_cell(rule.why)} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Docstring prose as a Markdown table cell: reST code marks become Markdown ones, the first letter a capital."""
    text = text.replace("``", "`").replace("|", "\\|")
    return text[:1].upper() + text[1:]
