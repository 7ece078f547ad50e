"""How many planted defects ``cgplan check`` finds in plans written by LLMs and people.

    python benchmarks/foreign_plans.py

Prints, per rule, the defects planted in ``tests/fixtures/foreign-plans/defective/``,
how many the check reports on their line, its recall, and the findings no planted
defect explains; then every finding on the clean plans. Exits 1 when a rule's recall
is under 0.9, the overall recall under 0.95, or a clean plan has a finding (the
targets ``tests/test_foreign_plans.py`` holds the check to).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.foreign_corpus import score  # noqa: E402


def main() -> int:
    s = score()
    print(s.table())
    ok = all(r.recall >= 0.9 for r in s.rules.values()) and s.recall >= 0.95 and not s.clean_findings
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
