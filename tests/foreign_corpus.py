"""Score ``cgplan check`` on the corpus of foreign plans in ``tests/fixtures/foreign-plans/``.

``clean/`` holds plans written as LLMs and people following the seed write them;
``defective/`` holds copies with planted defects, listed by hand (file, line, rule)
in ``corpus.json``. A planted defect counts as found when the check reports its
rule on its line. :func:`score` gives, per rule, the defects planted and found,
the findings on the defective copies that no defect explains, and every finding
of the scored rules on the clean plans.

``python -m tests.foreign_corpus`` prints the figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "foreign-plans"

RULES = (
    "unknown-star",
    "unmapped-criterion",
    "missing-signature",
    "vague-text",
    "missing-failure-test",
    "missing-citation",
)
"""The rules the corpus scores."""


@dataclass
class RuleScore:
    """Planted and found defects of one rule."""

    planted: int = 0
    found: int = 0
    missed: list[str] = field(default_factory=list)
    """``file:line`` of each planted defect not reported."""
    extra: list[str] = field(default_factory=list)
    """``file:line: message`` of findings on defective copies that no planted defect explains."""

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0


@dataclass
class Score:
    """The corpus's figures."""

    rules: dict[str, RuleScore]
    clean_findings: list[str]
    """``file:line: rule: message`` of every scored finding on a clean plan."""
    plans: int
    defective: int

    @property
    def planted(self) -> int:
        return sum(r.planted for r in self.rules.values())

    @property
    def found(self) -> int:
        return sum(r.found for r in self.rules.values())

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    def table(self) -> str:
        """The figures per rule, as printed by ``python -m tests.foreign_corpus`` and the corpus test."""
        lines = [f"{'rule':<22}{'planted':>8}{'found':>7}{'recall':>8}{'extra':>7}"]
        for slug, r in self.rules.items():
            lines.append(f"{slug:<22}{r.planted:>8}{r.found:>7}{r.recall:>8.2f}{len(r.extra):>7}")
        lines.append(f"{'all':<22}{self.planted:>8}{self.found:>7}{self.recall:>8.2f}")
        lines.append(
            f"clean plans: {self.plans}, findings of these rules on them: {len(self.clean_findings)}; "
            f"defective copies: {self.defective}"
        )
        for r in self.rules.values():
            lines += [f"  missed {m}" for m in r.missed] + [f"  extra {e}" for e in r.extra]
        lines += [f"  clean {c}" for c in self.clean_findings]
        return "\n".join(lines)


def corpus() -> dict:
    return json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))


@cache
def _folder(path: str):
    from cgplan import load

    return load(ROOT / path)


def findings(kind: str, plan: dict, folders: dict) -> list:
    """Findings of the scored rules (any severity) on one plan of ``clean/`` or ``defective/``."""
    from cgplan.check import check_plan_text

    text = (CORPUS / kind / plan["file"]).read_text(encoding="utf-8")
    construction = _folder(folders[plan["folder"]])
    name = f"construction/design/code-generation-plan-{plan['gap']}.md"
    return check_plan_text(construction, text, name, select=list(RULES), config=None)


def score() -> Score:
    data = corpus()
    folders, plans = data["folders"], {p["file"]: p for p in data["plans"]}
    rules = {slug: RuleScore() for slug in RULES}
    clean = []
    for plan in plans.values():
        for f in findings("clean", plan, folders):
            clean.append(f"{plan['file']}:{f.line}: {f.rule}: {f.message}")
    planted: dict[str, set[tuple[int, str]]] = {}
    for d in data["defects"]:
        planted.setdefault(d["file"], set()).add((d["line"], d["rule"]))
        rules[d["rule"]].planted += 1
    for file, wanted in sorted(planted.items()):
        got = {(f.line, f.rule): f for f in findings("defective", plans[file], folders)}
        for line, rule in sorted(wanted):
            if (line, rule) in got:
                rules[rule].found += 1
            else:
                rules[rule].missed.append(f"{file}:{line}")
        for (line, rule), f in sorted(got.items()):
            if (line, rule) not in wanted:
                rules[rule].extra.append(f"{file}:{line}: {f.message}")
    return Score(rules=rules, clean_findings=clean, plans=len(plans), defective=len(planted))


if __name__ == "__main__":
    print(score().table())
