"""Test results from JUnit XML: pytest ``--junitxml``, Node's ``--test-reporter=junit``, gotestsum
``--junitfile``, Maven Surefire ``TEST-*.xml``.

All four write ``<testcase name=… classname=…>`` elements (under ``<testsuite>``, itself at
the root or under ``<testsuites>``) whose child says how it ended: ``<failure>``,
``<error>``, ``<skipped>``, or nothing when it passed. Surefire's ``<flakyFailure>`` /
``<flakyError>`` (failed, then passed on a rerun) count as passed, ``<rerunFailure>`` as failed.

Files are read as a stream with expat, a chunk at a time, so a report of any size
takes little memory. A document type declaration is refused before anything is
expanded (JUnit reports never carry one), which rules out entity expansion attacks
("billion laughs") and external entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from cgplan.errors import InputError, UsageError

RESULTS = ("passed", "failed", "error", "skipped", "not run")
"""What trace reports for a test, best first (``not run``: in no report)."""

_CHUNK = 1 << 16
_OUTCOME = {
    "failure": "failed",
    "rerunFailure": "failed",
    "error": "error",
    "rerunError": "error",
    "skipped": "skipped",
}
# worst wins when one test has several children or several runs
_RANK = {"error": 5, "failed": 4, "not run": 3, "passed": 2, "skipped": 1}


@dataclass
class Case:
    """One ``<testcase>``."""

    name: str
    """Its ``name`` with parameters (``[1]``, ``(int)``) removed."""
    classname: str
    """Its ``classname`` (module, package or class)."""
    result: str
    """``passed``, ``failed``, ``error`` or ``skipped``."""
    report: str
    """The file it came from."""
    line: int
    """1-based line of the ``<testcase>`` element."""


class _Refused(Exception):
    pass


class NotJUnit(InputError):
    """An XML file whose root element is not one of a JUnit report."""


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    name = re.sub(r"\[.*\]$", "", name)  # pytest parameters
    name = re.sub(r"\(.*\)$", "", name)  # JUnit 5 method(params)
    return name.strip()


def read_junit(path: str | Path, display: str | None = None) -> list[Case]:
    """Every test case of one JUnit XML file. Raises :class:`InputError` (one line, file and line) if unusable."""
    path = Path(path)
    shown = display or str(path)
    cases: list[Case] = []
    state: dict = {"case": None, "depth": 0, "root": None}
    parser = expat.ParserCreate()

    def refuse(*_args) -> None:
        raise _Refused

    def start(tag: str, attrs: dict) -> None:
        state["depth"] += 1
        if state["root"] is None:
            state["root"] = tag
            if tag not in ("testsuites", "testsuite", "testcase"):
                raise NotJUnit(
                    f"root element <{tag}> is not a JUnit report",
                    file=shown,
                    line=parser.CurrentLineNumber,
                    hint="pass a file written by pytest --junitxml, node --test-reporter=junit, gotestsum or Surefire",
                )
        if tag == "testcase":
            state["case"] = Case(
                _clean_name(attrs.get("name", "")),
                attrs.get("classname", ""),
                "passed",
                shown,
                parser.CurrentLineNumber,
            )
            state["case_depth"] = state["depth"]
        elif state["case"] is not None and state["depth"] == state["case_depth"] + 1 and tag in _OUTCOME:
            got = _OUTCOME[tag]
            if _RANK[got] > _RANK[state["case"].result] or state["case"].result == "passed":
                state["case"].result = got

    def end(tag: str) -> None:
        if tag == "testcase" and state["case"] is not None:
            cases.append(state["case"])
            state["case"] = None
        state["depth"] -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        with path.open("rb") as fh:
            while True:
                chunk = fh.read(_CHUNK)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
    except _Refused:
        raise InputError(
            "declares a document type or entities, which JUnit reports never do; not read",
            file=shown,
            line=parser.CurrentLineNumber,
        ) from None
    except expat.ExpatError as exc:
        raise InputError(
            f"not well-formed XML ({expat.ErrorString(exc.code)})",
            file=shown,
            line=exc.lineno,
            hint="is the test run still writing it, or was it cut short?",
        ) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=shown) from None
    if state["root"] is None:
        raise InputError("is empty", file=shown, hint="pass the file the test run wrote")
    return cases


def junit_files(paths: list[str | Path]) -> list[tuple[Path, bool]]:
    """The report files named: ``(path, named)``, files as given (``named``), folders searched for ``*.xml``."""
    out: list[tuple[Path, bool]] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            out.extend((x, False) for x in sorted(p.rglob("*.xml")) if x.is_file())
        elif p.is_file():
            out.append((p, True))
        else:
            raise UsageError(f"{given}: no such file or folder", hint="pass the JUnit XML files your test run wrote")
    return out


def combine(results: list[str]) -> str:
    """One result for tests that ran several times or in several reports: an error or failure first, then
    ``not run`` (one of them is in no report), then ``passed``; ``skipped`` only if every one was."""
    if not results:
        return "not run"
    return max(results, key=lambda r: _RANK[r])
