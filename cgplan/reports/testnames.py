"""One naming rule from a plan's test names to each language's test names, and finding tests in code.

The rule (``cgplan scaffold`` applies it forwards, ``cgplan trace`` in reverse):

1. A planned test name is split into words at spaces, underscores, hyphens and
   every other character that is not a letter or digit, and between a lower-case
   and an upper-case letter (``camelCase``); letters lose their accents, and a
   leading word ``test`` is dropped.
2. Each language gets its usual form from those words:

   * Python: ``test_`` + the words in lower case joined by ``_``
     (``handles redis failover`` -> ``test_handles_redis_failover``);
   * JavaScript and TypeScript: the plan's name as written, as the ``it('…')`` title;
   * Go: ``Test`` + the words capitalised and joined (``TestHandlesRedisFailover``);
   * Java: the words in camelCase (``handlesRedisFailover``; ``test`` in front when
     the first word starts with a digit: ``test429RateLimit``).

3. In reverse, a name's **key** is its letters and digits in lower case, a leading
   word ``test`` removed (``TestHandlesRedisFailover``, ``handles_redis_failover``,
   ``it('handles redis failover')`` all have the key ``handlesredisfailover``). A
   test found in code (a pytest function or class, an ``it``/``test`` title, a Go
   ``TestX`` function, a Java ``@Test`` method) and a test case of a JUnit report
   belong to a planned test when their keys are equal. A marker comment on the
   lines just above a test (``# cgplan: SC1.2``, ``// cgplan: handles_redis_failover``)
   links it to a criterion or a planned test whatever its name.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cgplan.errors import UsageError

LANGS = ("python", "typescript", "javascript", "go", "java")
"""Languages scaffold writes and trace reads."""

_WORD = re.compile(r"[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z0-9]+|[0-9]+")
_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


def name_words(name: str) -> list[str]:
    """The words of a test name (step 1 of the rule), lower case, without a leading ``test``."""
    out: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", _ascii(name)):
        out.extend(p.lower() for p in _WORD.findall(chunk))
    if len(out) > 1 and out[0] in ("test", "tests"):
        out = out[1:]
    return out


def name_key(name: str) -> str:
    """The key two names share when they name the same test (``''`` for a name without letters or digits)."""
    out: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", _ascii(name)):
        out.extend(p.lower() for p in _TOKEN.findall(chunk))
    if len(out) > 1 and out[0] in ("test", "tests"):
        out = out[1:]
    return "".join(out)


def lang_test_name(planned: str, lang: str) -> str:
    """The name (or, for JavaScript and TypeScript, the ``it`` title) a planned test gets in ``lang``."""
    w = name_words(planned) or ["unnamed"]
    if lang == "python":
        return "test_" + "_".join(w)
    if lang == "go":
        return "Test" + "".join(x.capitalize() for x in w)
    if lang == "java":
        first = w[0] if not w[0][0].isdigit() else "test" + w[0]
        return first + "".join(x.capitalize() for x in w[1:])
    if lang in ("javascript", "typescript"):
        title = " ".join(planned.split())
        return title if name_key(title) else "unnamed"
    raise UsageError(f"unknown language {lang!r}", hint="use one of " + ", ".join(LANGS))


# --------------------------------------------------------------------------- finding tests in code

EXTENSIONS = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".go": "go",
    ".java": "java",
}
"""File extensions trace reads, and their language."""

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "target", "dist"}
)
"""Folders never searched for tests."""

MAX_FILE_BYTES = 2_000_000
"""Source files larger than this are not searched (generated or minified code)."""

_PY_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(test\w*)\s*\(")
_PY_CLASS = re.compile(r"^(\s*)class\s+(Test\w*)\s*[(:]")
_JS_TEST = re.compile(
    r"""(?<![\w.$])(?:it|test)(?:\.(?:only|skip|todo|concurrent))?\s*\(\s*(['"`])((?:\\.|(?!\1).)*)\1"""
)
_GO_TEST = re.compile(r"^func\s+(Test\w*)\s*\(\s*\w+\s+\*testing\.T\s*\)")
_JAVA_ANN = re.compile(
    r"^\s*@(?:org\.junit\.(?:jupiter\.api\.)?)?(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\b"
)
_JAVA_METHOD = re.compile(
    r"^\s*(?:(?:public|protected|private|static|final|synchronized)\s+)*[\w<>\[\], ?]+\s+(\w+)\s*\("
)
_MARKER = re.compile(r"(?:#|//|/\*|\*)\s*cgplan\s*:\s*(.+?)\s*(?:\*/)?\s*$")
_MARKER_REACH = 4
"""A marker links the first test defined within this many lines below it (or on its own line)."""


@dataclass
class CodeTest:
    """A test defined in a source file."""

    name: str
    """Its name (or ``it``/``test`` title) as written."""
    file: str
    """Path shown to the user."""
    line: int
    """1-based line of its definition."""
    lang: str
    """Language of the file."""
    markers: list[str] = field(default_factory=list)
    """What ``cgplan:`` marker comments above it name (criterion ids or planned test names)."""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _unescape_js(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def find_tests_in_text(text: str, lang: str, display: str) -> list[CodeTest]:
    """Test definitions in one source text, in line order."""
    out: list[CodeTest] = []
    pending: list[tuple[int, str]] = []
    java_armed = 0
    for i, line in enumerate(text.splitlines(), start=1):
        marker = _MARKER.search(line)
        if marker:
            pending.append((i, marker.group(1)))
        found: str | None = None
        if lang == "python":
            m = _PY_DEF.match(line) or _PY_CLASS.match(line)
            if m:
                found = m.group(2)
        elif lang in ("javascript", "typescript"):
            m = _JS_TEST.search(line)
            if m and not line.lstrip().startswith(("//", "*", "/*")):
                found = _unescape_js(m.group(2))
        elif lang == "go":
            m = _GO_TEST.match(line)
            if m and m.group(1) != "TestMain":
                found = m.group(1)
        elif lang == "java":
            if _JAVA_ANN.match(line):
                java_armed = i
            elif java_armed and i - java_armed <= _MARKER_REACH and not line.strip().startswith(("@", "//", "*")):
                m = _JAVA_METHOD.match(line)
                if m:
                    found = m.group(1)
                    java_armed = 0
        if found is None:
            continue
        marks = [name for at, name in pending if i - at <= _MARKER_REACH + (2 if lang == "java" else 0)]
        pending = []
        out.append(CodeTest(found, display, i, lang, marks))
    return out


def find_code_tests(dirs: list[str | Path], *, base: Path | None = None) -> tuple[list[CodeTest], list[str]]:
    """Every test defined under ``dirs`` (folders or files) and one-line notes on what was skipped.

    Symbolic links that lead outside the folder given are not followed. Paths are shown
    relative to ``base`` (default: the current folder) when they lie under it.
    """
    tests: list[CodeTest] = []
    notes: list[str] = []
    base = (base or Path.cwd()).resolve()
    seen: set[Path] = set()
    for given in dirs:
        root = Path(given)
        if not root.exists():
            raise UsageError(f"{given}: no such file or folder", hint="pass folders that hold tests with --tests")
        real_root = root.resolve()
        files = [root] if root.is_file() else _walk(root, real_root, notes)
        for path in files:
            lang = EXTENSIONS.get(path.suffix.lower())
            if lang is None and root.is_file():
                raise UsageError(f"{given}: not a source file trace reads", hint="use .py, .js, .ts, .go or .java")
            if lang is None:
                continue
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            if lang == "go" and not path.name.endswith("_test.go"):
                continue
            try:
                if path.stat().st_size > MAX_FILE_BYTES:
                    notes.append(f"{path}: larger than {MAX_FILE_BYTES:,} bytes; not searched")
                    continue
                text = path.read_text(encoding="utf-8-sig", errors="replace")
            except OSError as exc:
                notes.append(f"{path}: cannot be read ({exc.strerror}); not searched")
                continue
            tests.extend(find_tests_in_text(text, lang, _display(path, base, root)))
    return tests, notes


def _display(path: Path, base: Path, root: Path) -> str:
    """``path`` relative to the current folder when under it, else to the folder given."""
    for anchor in (base, root.absolute().parent if root.is_file() else root.absolute()):
        try:
            return path.absolute().relative_to(anchor).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _walk(root: Path, real_root: Path, notes: list[str]) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d in SKIP_DIRS or d.startswith("."):
                continue
            p = here / d
            if p.is_symlink():
                if _inside(p.resolve(), real_root):
                    continue  # reached through its real path
                notes.append(f"{p}: a link to a folder outside {root}; not searched")
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            p = here / f
            if p.suffix.lower() not in EXTENSIONS:
                continue
            if p.is_symlink() and not _inside(p.resolve(), real_root):
                notes.append(f"{p}: a link to a file outside {root}; not searched")
                continue
            out.append(p)
    return out


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
