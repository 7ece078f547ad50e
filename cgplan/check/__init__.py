"""``cgplan check``: lint plans (generated or hand-written) and the folder against the constellation.

Every rule has a stable slug, a default severity and a documented check
function; :data:`~cgplan.check.rules.ALL_RULES` lists them, and their functions
live in :mod:`cgplan.check.rules`, one module per family. :func:`check` runs the
selected rules on the folder and on every ``code-generation-plan-*.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cgplan.check.config import Config, load_config
from cgplan.check.context import Context, PlanFile, find_plans, load_plan
from cgplan.check.model import SEVERITIES, Finding, Rule
from cgplan.check.rules import ALL_RULES
from cgplan.check.suppress import split, suppressions
from cgplan.errors import UsageError
from cgplan.model.construction import Construction

__all__ = ["ALL_RULES", "RULES", "CheckResult", "Finding", "Rule", "check", "check_plan_text", "run", "rule_table"]


RULES: dict[str, Rule] = {rule.slug: rule for rule in ALL_RULES}
"""Every rule by slug."""


@dataclass
class CheckResult:
    """Everything one run found."""

    findings: list[Finding] = field(default_factory=list)
    """Findings sorted by file, line, rule."""
    plans: int = 0
    """Number of plans checked."""
    suppressed: list[Finding] = field(default_factory=list)
    """Findings an inline ``<!-- cgplan: ignore[rule-id] reason -->`` comment covers (not in ``findings``)."""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def files(self) -> int:
        """Files with at least one finding."""
        return len({f.file for f in self.findings})

    def to_dict(self) -> dict:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "counts": {
                "errors": self.errors,
                "warnings": self.warnings,
                "files": self.files,
                "plans": self.plans,
                "suppressed": len(self.suppressed),
            },
        }


def rule_table() -> list[Rule]:
    """Every rule, sorted by slug."""
    return [RULES[k] for k in sorted(RULES)]


def _slugs(value, option: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    out = [v.strip() for v in value if v and v.strip()]
    for v in out:
        if v not in RULES:
            raise UsageError(f"unknown rule {v!r} in {option}", hint="valid rules: " + ", ".join(sorted(RULES)))
    return out


def _severities(select, ignore, cfg: Config) -> dict[str, str]:
    """Active rule -> severity after selection and overrides."""
    chosen = (
        _slugs(select, "--select") if select is not None else (cfg.select if cfg.select is not None else sorted(RULES))
    )
    off = set(_slugs(ignore, "--ignore")) | set(cfg.ignore)
    out = {}
    for slug in chosen:
        sev = cfg.severity.get(slug, RULES[slug].severity)
        if slug not in off and sev != "off":
            out[slug] = sev
    return out


def _config(construction: Construction, config) -> Config:
    if config is True:
        return load_config(construction.root, set(RULES))
    return config or Config()


def _plan_findings(ctx: Context, plan_file: PlanFile, active: dict[str, str]) -> tuple[list[Finding], list[Finding]]:
    """``(findings, suppressed)`` of the active plan rules on one plan."""
    out = []
    for slug, sev in active.items():
        fn = RULES[slug].plan
        if fn is None:
            continue
        for line, message in fn(ctx, plan_file):
            out.append(Finding(slug, sev, message, plan_file.display, line))
    return split(sorted(set(out), key=_order), suppressions(plan_file.parsed.raw))


def _order(f: Finding):
    return (f.file, f.line, f.rule, f.message)


def run(
    construction: Construction, *, select=None, ignore=None, plans=None, config: Config | bool | None = True
) -> CheckResult:
    """Run the selected rules; ``plans`` = explicit plan paths (default: every plan of the folder).

    ``select``/``ignore`` (slugs, or comma-separated strings) take precedence over
    the project's configuration; an unknown slug raises :class:`~cgplan.errors.UsageError`.
    """
    cfg = _config(construction, config)
    active = _severities(select, ignore, cfg)
    ctx = Context.of(construction)
    paths = find_plans(construction) if plans is None else sorted(Path(p) for p in plans)
    ctx.discovered = plans is None
    findings: list[Finding] = []
    suppressed: list[Finding] = []
    for path in paths:
        plan_file = load_plan(ctx, path)
        kept, dropped = _plan_findings(ctx, plan_file, active)
        findings.extend(kept)
        suppressed.extend(dropped)
        if plan_file.gap is not None:
            ctx.planned.add(plan_file.gap.slug)
    ctx.checked = len(paths)
    for slug, sev in active.items():
        fn = RULES[slug].folder
        if fn is None:
            continue
        for file, line, message in fn(ctx):
            findings.append(Finding(slug, sev, message, file, line))
    # folder problems of kinds no rule knows yet still surface under their kind
    chosen = None if select is None and cfg.select is None else set(active)
    skip = set(_slugs(ignore, "--ignore")) | set(cfg.ignore)
    for p in construction.problems:
        if p.kind not in RULES and p.kind not in skip and (chosen is None or p.kind in chosen):
            findings.append(
                Finding(p.kind, p.severity if p.severity in SEVERITIES else "error", p.message, p.file, p.line)
            )
    findings = sorted(set(findings), key=_order)
    return CheckResult(findings=findings, plans=ctx.checked, suppressed=sorted(set(suppressed), key=_order))


def check(
    construction: Construction, *, select=None, ignore=None, plans=None, config: Config | bool | None = True
) -> list[Finding]:
    """Findings of the selected rules on the folder and its plans (see :func:`run`)."""
    return run(construction, select=select, ignore=ignore, plans=plans, config=config).findings


def check_plan_text(
    construction: Construction,
    text: str,
    path: str | Path = "code-generation-plan.md",
    *,
    select=None,
    ignore=None,
    config: Config | bool | None = None,
) -> list[Finding]:
    """Findings of the plan rules on one plan's text (its gap: from ``path``'s file name, else its title);
    findings an inline ignore comment covers are left out."""
    cfg = _config(construction, config)
    active = _severities(select, ignore, cfg)
    ctx = Context.of(construction)
    pf = load_plan(ctx, Path(path), text)
    ctx.discovered = False
    return _plan_findings(ctx, pf, active)[0]
