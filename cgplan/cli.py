"""The ``cgplan`` command: parse options, make one library call, map errors to exit codes.

Exit codes: 0 ok; 1 findings of severity error (or a plan not written because
it was edited by hand, or a failed batch); 2 usage or input error.
Heavy libraries (pandas, papermill, Jupyter) are imported only by the commands
that need them, so every command starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from cgplan.check.output import FORMATS as CHECK_FORMATS
from cgplan.errors import CgplanError
from cgplan.reports.coverage import FORMATS as COVERAGE_FORMATS
from cgplan.reports.scaffold import CHOICES as SCAFFOLD_LANGS
from cgplan.reports.trace import FORMATS as TRACE_FORMATS
from cgplan.reports.trace import LEVELS as TRACE_LEVELS
from cgplan.version import __version__

EPILOG = """\
The folder: --dir may be the folder that holds construction/ or construction/ itself.
Exit codes: 0 ok, 1 errors found (or plan kept because it was edited), 2 usage or input error.
"""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dir",
        default=".",
        metavar="PATH",
        help="folder that holds construction/, or construction/ itself (default: .)",
    )


# --------------------------------------------------------------------------- commands


def cmd_inspect(args) -> int:
    from cgplan.load.folder import load
    from cgplan.reports.inspect import summary, text_summary

    c = load(args.dir)
    if args.json:
        print(json.dumps(summary(c), indent=2, ensure_ascii=False))
    else:
        print(text_summary(c))
    return 1 if any(p.severity == "error" for p in c.problems) else 0


def cmd_gaps(args) -> int:
    from cgplan.load.folder import load

    c = load(args.dir)
    width = max((len(g.slug) for g in c.gaps), default=4)
    for g in c.gaps:
        sketch = "sketch" if c.sketch_for(g) else "no-sketch"
        print(f"{g.number:>3}  {g.slug:<{width}}  {g.priority or '-':<8}  {sketch}")
    return 0


def cmd_check(args) -> int:
    from cgplan.check.output import render
    from cgplan.check.targets import check_files
    from cgplan.load.folder import load

    construction = load(args.dir)
    result = check_files(construction, args.files, select=args.select, ignore=args.ignore)
    print(render(result, args.format, construction.root))
    return 1 if result.errors else 0


def cmd_coverage(args) -> int:
    from cgplan.load.folder import load
    from cgplan.reports.coverage import coverage_rows, render_rows

    print(render_rows(coverage_rows(load(args.dir)), args.format), end="")
    return 0


def cmd_batch(args) -> int:
    from cgplan.jupyter.batch import format_summary, run_batch

    results = run_batch(
        args.dir,
        args.gaps,
        jobs=args.jobs,
        force=args.force,
        output_dir=args.output_dir,
        notebook=args.notebook,
        timeout=args.timeout,
    )
    print(format_summary(results))
    return 1 if any(r.status in ("failed", "kept-edited") for r in results) else 0


def cmd_plan(args) -> int:
    from cgplan.load.folder import load
    from cgplan.plan.build import build_plan, select_gaps

    construction = load(args.dir)
    gaps = select_gaps(construction, args.gaps, all_gaps=args.all)
    if args.stdout or args.format == "json":
        from cgplan.load.stars import StarIndex
        from cgplan.render.document import render_json, render_markdown

        index = StarIndex(construction.stars)
        plans = [build_plan(construction, gap, index=index) for gap in gaps]
        if args.format == "json":
            rendered = [render_json(plan).rstrip("\n") for plan in plans]
            print(rendered[0] if len(rendered) == 1 else "[\n" + ",\n".join(rendered) + "\n]")
        else:
            print("\n".join(render_markdown(plan) for plan in plans).rstrip("\n"))
        return 0
    from cgplan.store.plans import write_plans

    results = write_plans(construction, gaps, force=args.force)
    print("\n".join(result.message for result in results))
    return 1 if any(result.status == "kept-edited" for result in results) else 0


def cmd_status(args) -> int:
    from cgplan.load.folder import load
    from cgplan.store.status import plan_status, status_table

    construction = load(args.dir)
    print(status_table(construction, plan_status(construction)))
    return 0


def cmd_prompt(args) -> int:
    from cgplan.load.folder import load
    from cgplan.plan.build import find_gap
    from cgplan.reports.prompt import build_prompt

    construction = load(args.dir)
    print(build_prompt(construction, find_gap(construction, args.gap)).rstrip("\n"))
    return 0


def cmd_init(args) -> int:
    import shlex

    from cgplan.store.init import init_folder

    result = init_folder(args.path)
    for path in result.written:
        print(f"written {os.path.relpath(path)}")
    prog = _prog()
    where = shlex.quote(os.path.relpath(result.root))
    print("next: edit the three documents (docs/input-format.md says what each label fills in), then run")
    print(f"  {prog} plan --all --dir {where}")
    print(f"  {prog} check --dir {where}")
    return 0


def _prog() -> str:
    """How the user called cgplan, when it was by a relative path such as ``.venv/bin/cgplan``."""
    called = sys.argv[0] if sys.argv else ""
    if os.path.basename(called) == "cgplan" and os.sep in called and not os.path.isabs(called):
        return called
    return "cgplan"


def cmd_trace(args) -> int:
    from cgplan.load.folder import load
    from cgplan.reports.trace import render, trace_rows

    result = trace_rows(load(args.dir), tests=args.tests, junit=args.junit, gaps=args.gaps)
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    print(render(result, args.format), end="")
    if args.require:
        short = result.failing(args.require)
        if short:
            print(f"{len(short)} criteria not {args.require}: {', '.join(short)}", file=sys.stderr)
            return 1
    return 0


def cmd_scaffold(args) -> int:
    from cgplan.load.folder import load
    from cgplan.reports.scaffold import scaffold_files, write_scaffold

    if not args.out and not args.stdout:
        print("cgplan: error: --out DIR is required unless --stdout is given", file=sys.stderr)
        return 2
    files = scaffold_files(load(args.dir), args.gaps, all_gaps=args.all, lang=args.lang)
    if args.stdout:
        for f in files:
            if f.status != "no plan":
                print(f"=== {f.path} ===")
                print(f.text.rstrip("\n"))
    else:
        write_scaffold(files, args.out)
    for f in files:
        if f.status == "no plan":
            print(f"skipped gap {f.gap}: no plan (`cgplan plan {f.gap}` writes one)", file=sys.stderr)
        elif not args.stdout:
            why = {"skipped": "  (a file is there; not overwritten)", "refused": "  (a link leads out of --out)"}
            print(f"{f.status:<8} {f.kind:<6} {os.path.join(args.out, f.path)}{why.get(f.status, '')}")
    return 1 if any(f.status not in ("written", "planned") for f in files) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cgplan",
        description="Turn a Constellize construction folder (constellation map, gap analysis, sketches) "
        "into grounded, checkable code-generation plans.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cgplan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "inspect",
        help="summarize the folder: stars, gaps, sketches and problems",
        description=(
            "Parse the three documents, resolve every star reference, and list what was found and what is wrong."
        ),
    )
    _common(p)
    p.add_argument("--json", action="store_true", help="print one JSON object (schema in README.md)")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("gaps", help="one line per gap: number, slug, priority, whether it has a sketch")
    _common(p)
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser(
        "plan",
        help="write the code-generation plan of each gap named (or --all) into construction/design/",
        description="Build one grounded plan per gap and write construction/design/code-generation-plan-<slug>.md. "
        "A plan edited by hand is never overwritten: the new version goes beside it as .new.md and the exit "
        "code is 1, unless --force (which keeps the old file as .md.bak).",
    )
    _common(p)
    p.add_argument("gaps", nargs="*", metavar="GAP", help="gap slug, number or name")
    p.add_argument("--all", action="store_true", help="every gap in gap-analysis.md")
    p.add_argument("--stdout", action="store_true", help="print the plans instead of writing them")
    p.add_argument(
        "--format", choices=("md", "json"), default="md", help="md (default) or json; json is printed, never written"
    )
    p.add_argument(
        "--force", action="store_true", help="replace a plan edited by hand (the old one is kept as .md.bak)"
    )
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser(
        "status", help="per gap: plan missing, up-to-date, stale (which inputs changed) or edited by hand"
    )
    _common(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "prompt",
        help="print the plan-writing prompt for one gap with only its grounded context, ready to paste into an LLM",
    )
    _common(p)
    p.add_argument("gap", metavar="GAP", help="gap slug, number or name")
    p.set_defaults(func=cmd_prompt)

    p = sub.add_parser(
        "check",
        help="lint every plan (or the plans named) and the folder against the constellation; exit 1 on errors",
        description="Run the rules (README.md, Rules) on the three documents and on every "
        "construction/design/code-generation-plan-*.md, generated or written by hand, or only on the plans "
        "named as FILE. Rules can be switched off in [tool.cgplan] of pyproject.toml or in cgplan.toml. "
        "Exit 1 when a finding of severity error remains.",
    )
    _common(p)
    p.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="check only these plans of the --dir folder (folder-wide problems are still reported); naming one "
        "of the folder's documents (constellation-map.md, gap-analysis.md, scope-lock.md, "
        "implementation-sketches.md, design/decisions/*.yaml) checks every plan, since a change there can "
        "break any of them; any other file (missing, outside the folder, not a plan, a .new.md proposal) "
        "exits 2 naming it. Paths are relative to the current folder, else to --dir",
    )
    p.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default="text",
        help="text (default), json, github workflow annotations, or sarif (SARIF 2.1.0 for code scanning; "
        "file locations relative to the current folder, so run it from the repository root)",
    )
    p.add_argument("--select", metavar="R,..", help="run only these rules (comma-separated slugs)")
    p.add_argument("--ignore", metavar="R,..", help="skip these rules (comma-separated slugs)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "coverage", help="criteria-to-tests table: one row per success criterion, then a per-gap summary"
    )
    _common(p)
    p.add_argument("--format", choices=COVERAGE_FORMATS, default="table", help="table (default), csv or markdown")
    p.set_defaults(func=cmd_coverage)

    p = sub.add_parser(
        "batch",
        help="execute the plan notebook for every gap (or those named) with papermill; write each plan",
        description="Run notebooks/plan_gap.ipynb once per gap in parallel worker processes, "
        "each notebook on a fresh kernel, "
        "with at most --jobs kernels alive at once (--jobs 1: one notebook at a time). Each run saves an executed "
        "notebook (construction/design/notebooks/<gap>.ipynb) and writes the gap's plan. Gaps whose inputs "
        "have not changed since their last successful run are skipped. Exit 1 if any gap failed.",
    )
    _common(p)
    p.add_argument("gaps", nargs="*", metavar="GAP", help="gap slug, number or name (default: every gap)")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="notebooks run at once: N worker processes, at most N kernels alive (default: the usable CPUs)",
    )
    p.add_argument("--force", action="store_true", help="run every chosen gap even if its inputs are unchanged")
    p.add_argument(
        "--output-dir", metavar="D", help="where executed notebooks go (default: construction/design/notebooks)"
    )
    p.add_argument("--notebook", metavar="PATH", help="notebook to run instead of the bundled plan_gap.ipynb")
    p.add_argument(
        "--timeout", type=float, default=600, metavar="SECONDS", help="limit for one notebook's run (default: 600)"
    )
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser(
        "init",
        help="write a small commented starter construction/ folder (two stars, one gap, one sketch)",
        description="Write a starter construction/ folder into DIR (default: the current folder; DIR may also be "
        "construction/ itself): constellation-map.md, gap-analysis.md and implementation-sketches.md, whose "
        "plan passes `cgplan check`. Refuses, writing nothing, if any of the documents already exists.",
    )
    p.add_argument("path", nargs="?", default=".", metavar="DIR", help="where to write construction/ (default: .)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "trace",
        help="trace every success criterion and planned star test to a test in the code and its JUnit result",
        description="One row per success criterion x mapped test and per planned integration or failure test: "
        "where it is defined (file:line, by cgplan's test naming rule or a 'cgplan:' marker comment) and its "
        "result in the JUnit XML given (passed, failed, error, skipped, not run); then per gap: criteria "
        "verified / total (verified: every mapped test found and passed). --require exits 1 when a criterion "
        "falls short.",
    )
    _common(p)
    p.add_argument("gaps", nargs="*", metavar="GAP", help="gap slug, number or name (default: every gap)")
    p.add_argument(
        "--tests",
        action="append",
        metavar="DIR",
        help="folder or file to search for tests (repeatable; default: the folder that holds construction/)",
    )
    p.add_argument(
        "--junit", action="append", metavar="FILE", help="JUnit XML report, or a folder of them (repeatable)"
    )
    p.add_argument("--format", choices=TRACE_FORMATS, default="table", help="table (default), csv, markdown or json")
    p.add_argument(
        "--require",
        choices=TRACE_LEVELS,
        help="exit 1 unless every criterion is mapped to a test, its tests are found, or they all pass",
    )
    p.set_defaults(func=cmd_trace)

    p = sub.add_parser(
        "scaffold",
        help="write failing test skeletons and not-implemented source stubs from a gap's plan",
        description="One test file per test file the plan names, each planned test named by cgplan's naming "
        "rule and failing with 'not implemented'; one source stub per component file with the CONSTELLATION "
        "CONTEXT block and the plan's signatures. Never overwrites: lists skipped files and exits 1 if any.",
    )
    _common(p)
    p.add_argument("gaps", nargs="*", metavar="GAP", help="gap slug, number or name")
    p.add_argument("--all", action="store_true", help="every gap that has a plan")
    p.add_argument("--out", metavar="DIR", help="folder to write into (created if missing); nothing goes outside it")
    p.add_argument("--lang", choices=SCAFFOLD_LANGS, default="auto", help="language to write (default: the plan's own)")
    p.add_argument("--stdout", action="store_true", help="print the files instead of writing them")
    p.set_defaults(func=cmd_scaffold)

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except CgplanError as exc:
        print(f"cgplan: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("cgplan: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except RecursionError:
        print("cgplan: error: input is nested too deeply to process; flatten it", file=sys.stderr)
        return 2
    except Exception as exc:  # never show a traceback to a user
        if os.environ.get("CGPLAN_DEBUG"):
            raise
        print(
            f"cgplan: internal error: {type(exc).__name__}: {exc} (set CGPLAN_DEBUG=1 for details and report it)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
