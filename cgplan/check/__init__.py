"""``cgplan check``: lint plans (generated or hand-written) and the folder against the constellation.

Every rule is a small registered function with a stable slug, a default
severity and a one-line description (:data:`RULES`); the rules live in
:mod:`cgplan.check.rules`, one module per family. :func:`check` runs the
selected rules on the folder and on every ``code-generation-plan-*.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, load_config
from ..errors import UsageError
from ..gcpause import paused
from ..models import Construction
from . import rules as _rules  # noqa: F401  (registers the rules)
from .context import Context, PlanFile, find_plans, load_plan
from .memo import Memo, plan_key, read_plan_text
from .registry import RULES, SEVERITIES, Finding, Rule

__all__ = ["RULES", "CheckResult", "Finding", "Rule", "check", "check_plan_text", "run", "rule_table"]


@dataclass
class CheckResult:
    """Everything one run found."""

    findings: list[Finding] = field(default_factory=list)
    """Findings sorted by file, line, rule."""
    plans: int = 0
    """Number of plans checked."""

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
            "counts": {"errors": self.errors, "warnings": self.warnings, "files": self.files, "plans": self.plans},
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
    chosen = _slugs(select, "--select") if select is not None else (cfg.select if cfg.select is not None else sorted(RULES))
    off = set(_slugs(ignore, "--ignore")) | set(cfg.ignore)
    out = {}
    for slug in chosen:
        sev = cfg.severity.get(slug, RULES[slug].severity)
        if slug not in off and sev != "off":
            out[slug] = sev
    return out


def _config(c: Construction, config) -> Config:
    if config is True:
        return load_config(c.root, set(RULES))
    return config or Config()


def _plan_findings(ctx: Context, pf: PlanFile, active: dict[str, str]) -> list[Finding]:
    out = []
    for slug, sev in active.items():
        fn = RULES[slug].plan
        if fn is None:
            continue
        for line, message in fn(ctx, pf):
            out.append(Finding(slug, sev, message, pf.display, line))
    return out


PARALLEL_FROM = 64
"""Plans from which a run spreads the per-plan work over worker processes."""


CHUNKS_PER_WORKER = 16
"""Chunks of plans each worker process gets, about (more balance the load, each costs a round trip)."""


_WORKER: dict = {}
"""In a worker process: the context and active rules, set once by :func:`_init_worker`."""


def _init_worker(c: Construction, active: dict[str, str], ctx: Context | None = None) -> None:
    # the folder reaches each worker once (not once per chunk of plans), its star index built once
    # (in the parent, when the worker is forked from it)
    _WORKER["ctx"], _WORKER["active"] = ctx if ctx is not None else Context.of(c), active


def _plan_job(paths: list[Path]) -> list[tuple[str, str | None, list[Finding]]]:
    """Parse and check some plans (runs in a worker process): ``(plan key, gap slug, findings)`` each."""
    ctx, active = _WORKER["ctx"], _WORKER["active"]
    out = []
    with paused():  # plans build many small objects and no reference cycles
        for p in paths:
            display, text = read_plan_text(ctx.c, p)
            pf = load_plan(ctx, p, text)
            out.append((plan_key(display, text), pf.gap.slug if pf.gap else None, _plan_findings(ctx, pf, active)))
    return out


def _jobs(n_plans: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, jobs)
    if n_plans < PARALLEL_FROM:
        return 1
    from ..workers import usable_cpus

    return min(usable_cpus(), 8)


def run(c: Construction, *, select=None, ignore=None, plans=None, config: Config | bool | None = True, jobs: int | None = None) -> CheckResult:
    """Run the selected rules; ``plans`` = explicit plan paths (default: every plan of the folder).

    ``select``/``ignore`` (slugs, or comma-separated strings) take precedence over
    the project's configuration; an unknown slug raises :class:`~cgplan.errors.UsageError`.
    ``jobs`` = worker processes for the per-plan work (default: one per CPU from
    :data:`PARALLEL_FROM` plans on); the result does not depend on it.
    """
    cfg = _config(c, config)
    active = _severities(select, ignore, cfg)
    ctx = Context.of(c)
    paths = find_plans(c) if plans is None else sorted(Path(p) for p in plans)
    ctx.discovered = plans is None
    findings: list[Finding] = []
    # plans checked before with the same text, folder and rules come from the findings cache
    memo = Memo(c, active, ctx.discovered)
    results: list[tuple[str | None, list[Finding]]] = []
    misses: list[Path] = []
    inline = _jobs(len(paths), jobs) == 1
    for p in paths:
        display, text = read_plan_text(c, p)
        k = plan_key(display, text)
        hit = memo.get(k)
        if hit is not None:
            results.append(hit)
        elif inline:
            with paused():
                pf = load_plan(ctx, p, text)
                found = _plan_findings(ctx, pf, active)
            slug = pf.gap.slug if pf.gap else None
            memo.add(k, slug, found)
            results.append((slug, found))
        else:
            misses.append(p)
    n = _jobs(len(misses), jobs) if misses else 1
    if misses and n > 1:
        from concurrent.futures import ProcessPoolExecutor

        import multiprocessing

        # small chunks, so that no worker is left with a long last one while the others idle
        size = -(-len(misses) // (n * CHUNKS_PER_WORKER))
        chunks = [misses[i : i + size] for i in range(0, len(misses), size)]
        forked = multiprocessing.get_start_method() == "fork"
        start = Context(c=c, index=ctx.index) if forked else None
        with ProcessPoolExecutor(max_workers=n, initializer=_init_worker, initargs=(c, active, start)) as pool:
            for part in pool.map(_plan_job, chunks):
                for k, slug, found in part:
                    memo.add(k, slug, found)
                    results.append((slug, found))
    else:
        for p in misses:
            display, text = read_plan_text(c, p)
            with paused():
                pf = load_plan(ctx, p, text)
                found = _plan_findings(ctx, pf, active)
            slug = pf.gap.slug if pf.gap else None
            memo.add(plan_key(display, text), slug, found)
            results.append((slug, found))
    memo.save()
    for slug, found in results:
        findings.extend(found)
        if slug is not None:
            ctx.planned.add(slug)
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
    for p in c.problems:
        if p.kind not in RULES and p.kind not in skip and (chosen is None or p.kind in chosen):
            findings.append(Finding(p.kind, p.severity if p.severity in SEVERITIES else "error", p.message, p.file, p.line))
    findings = sorted(set(findings), key=lambda f: (f.file, f.line, f.rule, f.message))
    return CheckResult(findings=findings, plans=ctx.checked)


def check(c: Construction, *, select=None, ignore=None, plans=None, config: Config | bool | None = True, jobs: int | None = None) -> list[Finding]:
    """Findings of the selected rules on the folder and its plans (see :func:`run`)."""
    return run(c, select=select, ignore=ignore, plans=plans, config=config, jobs=jobs).findings


def check_plan_text(c: Construction, text: str, path: str | Path = "code-generation-plan.md", *, select=None, ignore=None, config: Config | bool | None = None) -> list[Finding]:
    """Findings of the plan rules on one plan's text (its gap: from ``path``'s file name, else its title)."""
    cfg = _config(c, config)
    active = _severities(select, ignore, cfg)
    ctx = Context.of(c)
    pf = load_plan(ctx, Path(path), text)
    ctx.discovered = False
    return sorted(set(_plan_findings(ctx, pf, active)), key=lambda f: (f.file, f.line, f.rule, f.message))
