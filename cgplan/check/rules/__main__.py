"""``python -m cgplan.check.rules`` prints the README's table of rules."""

from cgplan.check.rules import rules_table

print(rules_table())
