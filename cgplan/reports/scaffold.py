"""Test skeletons and source stubs from a plan (``cgplan scaffold``).

One test file per test file the plan names, with every planned test named by the
rule of :mod:`cgplan.reports.testnames` and failing with "not implemented" until
someone writes it; one source stub per component file, headed by the plan's
CONSTELLATION CONTEXT block, with the plan's signatures and bodies that raise or
throw "not implemented". Written under one folder, never over an existing file,
never through a link that leads out of it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from cgplan.errors import UsageError
from cgplan.model.construction import Construction
from cgplan.plan.naming import camel, pascal, snake
from cgplan.reports.signatures import parse_signature, sniff, stub
from cgplan.reports.testnames import LANGS, lang_test_name, name_key, name_words

if TYPE_CHECKING:
    from cgplan.reports.planned import GapPlan, PlannedTest

CHOICES = ("auto", *LANGS)
"""Values of ``--lang``."""
EXT = {"python": "py", "typescript": "ts", "javascript": "js", "go": "go", "java": "java"}
_COMMENT = {"python": "#", "typescript": "//", "javascript": "//", "go": "//", "java": "//"}


@dataclass
class ScaffoldFile:
    """One file scaffold writes."""

    path: str
    """Path relative to the output folder (``/``-separated)."""
    text: str
    """Its content."""
    kind: str
    """``test``, ``source``, or ``plan`` for a gap ``--all`` passed over because it has no plan."""
    gap: str
    """Gap slug."""
    status: str = "planned"
    """After writing: ``written``, ``skipped`` (a file is there), ``refused`` (a link leads out of the folder);
    ``no plan`` for a gap without a plan."""


def _comment(text: str) -> str:
    """Text safe inside a one-line comment in any language."""
    return " ".join(text.replace("*/", "* /").split())


def _js_str(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ").replace("\r", " ")


def _safe_rel(path: str, plan: str) -> str:
    p = PurePosixPath(path.replace("\\", "/").lstrip("/"))
    if not p.parts or any(part in ("..", "") for part in p.parts) or ":" in p.parts[0]:
        raise UsageError(
            f"{plan}: names the file {path!r}, which is outside the project", hint="fix the path in the plan"
        )
    return p.as_posix()


def _words_of_file(path: str) -> list[str]:
    stem = path.rsplit("/", 1)[-1].split(".", 1)[0]
    w = name_words(stem)
    while len(w) > 1 and w[-1] in ("test", "tests", "spec"):
        w.pop()
    return w or ["generated"]


def convert_path(path: str, src: str, dst: str, *, test: bool) -> str:
    """A planned file path in ``dst``'s file naming (kept as it is when the plan is in ``dst``)."""
    if src == dst and path.endswith("." + EXT[dst]):
        return path
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    w = " ".join(_words_of_file(path))
    if dst == "python":
        base = snake(w, lead="m")
        if test:
            return f"tests/test_{base}.py"
        return f"{folder}/{base}.py" if folder else f"{base}.py"
    if dst == "go":
        base = snake(w, lead="m")
        name = f"{base}_test.go" if test else f"{base}.go"
        return f"{folder}/{name}" if folder else name
    if dst == "java":
        name = pascal(w) + ("Test" if test else "")
        return f"src/{'test' if test else 'main'}/java/{name}.java"
    name = camel(w) + (".test" if test else "") + "." + EXT[dst]
    return f"{folder}/{name}" if folder else name


def default_test_file(gp: GapPlan, lang: str) -> str:
    comp = next((c.file for c in gp.components if c.file), "")
    folder = comp.rsplit("/", 1)[0] if "/" in comp else ""
    words = " ".join(gp.gap.slug.split("-"))
    if lang == "python":
        return f"tests/test_{snake(words)}.py"
    if lang == "go":
        return f"{folder or 'internal'}/{snake(words)}_test.go"
    if lang == "java":
        return f"src/test/java/{pascal(words)}Test.java"
    return f"{folder or 'test'}/{camel(words)}.test.{EXT[lang]}"


def _context_block(gp: GapPlan, stars: list[str] | None = None) -> list[str]:
    if gp.context_block:
        return [_comment(x) for x in gp.context_block]
    g = gp.gap
    out = ["CONSTELLATION CONTEXT", f"Implements: {g.name} (gap-analysis.md § Gap {g.number}: {g.name})"]
    for s in stars or []:
        out.append(f"Star: {s} (constellation-map.md § Star: {s})")
    return [_comment(x) for x in out]


def _header(lines: list[str], lang: str) -> str:
    if lang == "python":
        return '"""\n' + "\n".join(x.replace('"""', "'''").replace("\\", "/") for x in lines) + '\n"""\n'
    return "\n".join(f"// {x}" for x in lines) + "\n"


def _go_package(path: str) -> str:
    folder = path.rsplit("/", 1)[0] if "/" in path else "main"
    name = re.sub(r"[^a-z0-9]", "", folder.rsplit("/", 1)[-1].lower())
    return name if name and not name[0].isdigit() else "main"


def _java_package(path: str) -> str:
    m = re.match(r"^src/(?:test|main)/java/(.+)/[^/]+$", path)
    return m.group(1).replace("/", ".") if m else ""


# --------------------------------------------------------------------------- tests


def _test_file_text(gp: GapPlan, path: str, tests: list[PlannedTest], lang: str, note: str) -> str:
    head = _context_block(gp) + [
        f"Tests planned in {gp.plan.display if gp.plan else ''}; each fails until it is written.",
        "Names follow cgplan's test naming rule; a 'cgplan:' comment links a test to a planned test or criterion.",
    ]
    if note:
        head.append(note)
    c = _COMMENT[lang]
    parts: list[str] = []
    for pt in tests:
        about = _comment(pt.title or "success criterion")
        crit = f" ({', '.join(pt.criteria)})" if pt.criteria else ""
        marker = f"{c} cgplan: {_comment(pt.name)}"
        name = lang_test_name(pt.name, lang)
        msg = f"not implemented: {_comment(pt.name)}"
        if lang == "python":
            parts.append(f"{marker}\ndef {name}():\n    {c} {about}{crit}\n    raise NotImplementedError({msg!r})\n")
        elif lang in ("typescript", "javascript"):
            parts.append(
                f"  {marker}\n  it('{_js_str(name)}', () => {{\n    {c} {about}{crit}\n"
                f"    throw new Error('{_js_str(msg)}');\n  }});\n"
            )
        elif lang == "go":
            parts.append(
                f'{marker}\nfunc {name}(t *testing.T) {{\n\t{c} {about}{crit}\n\tt.Fatal("{_go_str(msg)}")\n}}\n'
            )
        elif lang == "java":
            parts.append(
                f"    {marker}\n    @Test\n    void {name}() {{\n        {c} {about}{crit}\n"
                f'        fail("{_go_str(msg)}");\n    }}\n'
            )
    if lang == "python":
        return _header(head, lang) + "\n\n" + "\n\n".join(parts)
    if lang in ("typescript", "javascript"):
        imp = (
            "import { describe, it } from 'node:test';"
            if lang == "typescript"
            else "const { describe, it } = require('node:test');"
        )
        return (
            _header(head, lang)
            + f"\n{imp}\n\ndescribe('{_js_str(gp.gap.name)}', () => {{\n"
            + "\n".join(parts)
            + "});\n"
        )
    if lang == "go":
        return _header(head, lang) + f'\npackage {_go_package(path)}\n\nimport "testing"\n\n' + "\n".join(parts)
    pkg = _java_package(path)
    cls = path.rsplit("/", 1)[-1][: -len(".java")]
    return (
        _header(head, lang)
        + (f"\npackage {pkg};\n" if pkg else "")
        + "\nimport org.junit.jupiter.api.Test;\n\nimport static org.junit.jupiter.api.Assertions.fail;\n\n"
        + f"class {cls} {{\n"
        + "\n".join(parts)
        + "}\n"
    )


def _go_str(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


# --------------------------------------------------------------------------- sources


def _source_text(gp: GapPlan, path: str, comp_names: list[str], lang: str, src_lang: str) -> str:
    comps = [c for c in gp.components if c.name in comp_names]
    stars: list[str] = []
    for comp in comps:
        stars += [s for s in comp.stars if s not in stars]
    head = _context_block(gp, stars) + [f"Component: {', '.join(_comment(c.name) for c in comps)}"]
    if src_lang and src_lang != lang:
        head.append(
            f"Signatures converted from the plan's {src_lang} to {lang} from their names and parameters; "
            "check the types."
        )
    sigs = []
    for comp in comps:
        for block in comp.signatures:
            written_in = sniff(block, src_lang or lang)
            sig = parse_signature(block, written_in)
            if sig is not None:
                sigs.append((sig, written_in))
    if not sigs:
        head.append("The plan gives no signature this file could be written from.")
    if lang == "java":
        cls = path.rsplit("/", 1)[-1][: -len(".java")]
        pkg = _java_package(path)
        if len(sigs) == 1 and sigs[0][0].kind == "class" and sigs[0][0].name == cls:
            body = stub(sigs[0][0], sigs[0][1], lang)
        else:
            inner = []
            for s, written_in in sigs:
                text = stub(s, written_in, lang)
                if s.kind == "class":
                    text = text.replace("public class ", "public static class ", 1)
                inner.append("\n".join("    " + x if x else x for x in text.rstrip("\n").split("\n")))
            body = f"public final class {cls} {{\n" + "\n\n".join(inner) + ("\n" if inner else "") + "}\n"
        return _header(head, lang) + (f"\npackage {pkg};\n" if pkg else "") + "\n" + body
    sep = "\n\n" if lang == "python" else "\n"
    stubs = sep.join(stub(s, written_in, lang).rstrip("\n") + "\n" for s, written_in in sigs)
    if lang == "python":
        return _header(head, lang) + "\nfrom __future__ import annotations\n\n\n" + stubs
    if lang == "go":
        return _header(head, lang) + f"\npackage {_go_package(path)}\n\n" + stubs
    return _header(head, lang) + "\n" + stubs


# --------------------------------------------------------------------------- the scaffold


def scaffold_files(
    construction: Construction, gaps: list[str], *, all_gaps: bool = False, lang: str = "auto"
) -> list[ScaffoldFile]:
    """The files scaffold would write for ``gaps`` (slugs, numbers or names), in the order written."""
    from cgplan.plan.build import select_gaps
    from cgplan.reports.planned import gap_plans

    if lang not in CHOICES:
        raise UsageError(f"unknown language {lang!r}", hint="use one of " + ", ".join(CHOICES))
    chosen = select_gaps(construction, gaps, all_gaps=all_gaps)
    files: list[ScaffoldFile] = []
    taken: dict[str, ScaffoldFile] = {}
    for gp in gap_plans(construction, chosen):
        if gp.plan is None:
            if all_gaps:
                files.append(ScaffoldFile("", "", "plan", gp.gap.slug, status="no plan"))
                continue
            raise UsageError(
                f"gap {gp.gap.slug} has no plan",
                hint=f"write one first: cgplan plan {gp.gap.slug}",
            )
        src = gp.lang
        dst = src if lang == "auto" else lang
        if dst not in LANGS:
            dst = "python"
        note = ""
        if src and src != dst:
            note = f"Converted from the plan's {src} to {dst}."
        # tests, grouped by the file the plan names
        by_file: dict[str, list[PlannedTest]] = {}
        seen: set[str] = set()
        for pt in gp.tests:
            key = name_key(pt.name)
            if not key or key in seen:
                continue
            seen.add(key)
            planned = _safe_rel(pt.file, gp.plan.display) if pt.file else default_test_file(gp, dst)
            path = convert_path(planned, src, dst, test=True) if pt.file else planned
            by_file.setdefault(path, []).append(pt)
        for path, tests in by_file.items():
            f = ScaffoldFile(path, _test_file_text(gp, path, tests, dst, note), "test", gp.gap.slug)
            _add(files, taken, f)
        # sources, one per component file
        by_src: dict[str, list[str]] = {}
        for comp in gp.components:
            planned = _safe_rel(comp.file, gp.plan.display) if comp.file else f"src/{snake(comp.name)}.{EXT[dst]}"
            path = convert_path(planned, src, dst, test=False) if comp.file else planned
            by_src.setdefault(path, []).append(comp.name)
        for path, names in by_src.items():
            f = ScaffoldFile(path, _source_text(gp, path, names, dst, src), "source", gp.gap.slug)
            _add(files, taken, f)
    return files


def _add(files: list[ScaffoldFile], taken: dict[str, ScaffoldFile], f: ScaffoldFile) -> None:
    if f.path in taken:
        # two gaps plan the same file: the second keeps its content under a gap-named path
        stem, dot, ext = f.path.rpartition(".")
        f.path = f"{stem}_{f.gap.replace('-', '_')}{dot}{ext}"
    taken[f.path] = f
    files.append(f)


def _leads_out(target: Path, root: Path) -> bool:
    """Whether any existing part of ``target`` below ``root`` is a link, or resolves outside ``root``."""
    real_root = root.resolve()
    probe = root
    for part in target.relative_to(root).parts:
        probe = probe / part
        if probe.is_symlink():
            return True
        if not probe.exists():
            return False
        if real_root not in probe.resolve().parents and probe.resolve() != real_root:
            return True
    return False


def write_scaffold(files: list[ScaffoldFile], out: str | Path) -> list[ScaffoldFile]:
    """Write each file under ``out`` unless a file (or link) is there already, or a link leads out of ``out``."""
    from cgplan.store.atomic import atomic_write

    root = Path(out)
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise UsageError(f"{out}: not a folder", hint="pass a folder (it is created if missing) with --out")
    root.mkdir(parents=True, exist_ok=True)
    for f in files:
        if f.status == "no plan":
            continue
        target = root / f.path
        if _leads_out(target, root):
            f.status = "refused"
            continue
        if os.path.lexists(target):
            f.status = "skipped"
            continue
        atomic_write(target, f.text, display=str(target))
        f.status = "written"
    return files
