"""How much of the generated plans is template prose: the same sentence in plan after plan.

    python benchmarks/template_prose.py [--top N] [--json]

Every gap of the bundled example and of every fixture folder is planned. A
*content line* is a line outside headings, outside the Implementation Checklist
and Code Generation Guidance sections, and outside code fences except the
comment lines inside them (where a test's Setup / Action / Assert live). Each
content line is masked: citations, code spans, capitalised names and numbers
become placeholders. A content line is *template prose* when its masked form
holds three or more words and recurs in at least a quarter of all plans. The
share is template-prose lines / content lines; the target is at most 10%.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 0.10
"""Most template prose allowed."""
RECUR = 0.25
"""Share of plans a masked line must recur in to count as template prose."""
SKIPPED_SECTIONS = ("Implementation Checklist", "Code Generation Guidance")

_CITATION = re.compile(
    r"\((?:[^()]*\.md\b[^()]*|[^()]*\([^()]*\)[^()]*\.md\b[^()]*)\)"  # (file.md § Section)
    r"|\b[\w-]+\.md\s*§\s*[^()\n]*"  # a bare citation: file.md § Section, to the end of the line
)
_CODE = re.compile(r"`[^`]*`")
_NAME = re.compile(r"\b[A-Z][\w.-]*(?:[ /][A-Z][\w.-]*)*")
_NUMBER = re.compile(r"\d[\d,.]*")
_COMMENT = re.compile(r"^\s*(?:#|//|--|\*)\s?(.*)$")


def plans() -> list[str]:
    """The Markdown plan of every gap of the example and of every fixture folder."""
    from cgplan import load
    from cgplan.plan.build import build_plan
    from cgplan.render.document import render_markdown
    from tests.goldens import golden_folders

    out = []
    for folder in golden_folders().values():
        construction = load(folder)
        for gap in construction.gaps:
            out.append(render_markdown(build_plan(construction, gap)))
    return out


def content_lines(plan: str) -> list[str]:
    """The plan's content lines, as defined in the module docstring."""
    lines = []
    fence = ""
    skipping = 0  # the level of the skipped section's heading, 0 when not skipping
    for line in plan.split("\n"):
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
                continue
            comment = _COMMENT.match(line)
            if comment and not skipping and comment.group(1).strip():
                lines.append(comment.group(1).strip())
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            if skipping and level > skipping:
                continue
            skipping = level if any(title in stripped for title in SKIPPED_SECTIONS) else 0
            continue
        if skipping or not stripped or stripped.startswith("<!--") or stripped == "---":
            continue
        lines.append(stripped)
    return lines


def masked(line: str) -> str:
    """A content line with citations, code spans, capitalised names and numbers masked."""
    text = _CITATION.sub(" ", line)
    text = _CODE.sub(" C ", text)
    text = _NAME.sub(" N ", text)
    text = _NUMBER.sub(" 9 ", text)
    return " ".join(text.split())


def words(masked_line: str) -> int:
    return len(re.findall(r"[a-z]{2,}", masked_line))


def measure(texts: list[str]) -> dict:
    per_plan = [[masked(line) for line in content_lines(text)] for text in texts]
    recurrence = Counter(form for forms in per_plan for form in set(forms))
    threshold = RECUR * len(per_plan)
    template = {form for form, count in recurrence.items() if count >= threshold and words(form) >= 3}
    total = sum(len(forms) for forms in per_plan)
    prose = sum(1 for forms in per_plan for form in forms if form in template)
    top = Counter(form for forms in per_plan for form in forms if form in template).most_common()
    return {
        "plans": len(per_plan),
        "content_lines": total,
        "template_prose_lines": prose,
        "share": round(prose / total, 4) if total else 0.0,
        "target": TARGET,
        "top": [{"masked": form, "lines": count} for form, count in top],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=15, metavar="N", help="show the N most frequent template lines")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = measure(plans())
    if args.json:
        result["top"] = result["top"][: args.top]
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"template prose: {result['share']:.1%} of {result['content_lines']} content lines "
        f"in {result['plans']} plans (target <= {TARGET:.0%})"
    )
    for row in result["top"][: args.top]:
        print(f"{row['lines']:>5}  {row['masked']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
