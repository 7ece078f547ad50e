"""The ways ``cgplan check`` prints its findings: text, JSON, GitHub annotations and SARIF."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from cgplan.check import RULES, CheckResult
from cgplan.version import __version__

FORMATS = ("text", "json", "github", "sarif")
"""Output formats of ``cgplan check``."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    """``P plans checked: N errors, M warnings in K files`` (the files that have findings; none when clean)."""
    line = f"{_plural(result.plans, 'plan')} checked: {_plural(result.errors, 'error')}, "
    line += _plural(result.warnings, "warning")
    if result.files:
        line += f" in {_plural(result.files, 'file')}"
    if result.suppressed:
        line += f" ({len(result.suppressed)} suppressed by cgplan: ignore comments)"
    return line


def format_text(result: CheckResult) -> str:
    """Findings grouped by file, then the summary line."""
    out: list[str] = []
    current = None
    for f in result.findings:
        if f.file != current:
            if current is not None:
                out.append("")
            out.append(f.file)
            current = f.file
        out.append(f"  {f.line}: {f.severity} [{f.rule}] {f.message}")
    if out:
        out.append("")
    out.append(summary_line(result))
    return "\n".join(out)


def format_json(result: CheckResult) -> str:
    """One JSON object: ``findings`` and ``counts``."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def escape_data(text: str) -> str:
    """Escape an annotation message the way GitHub workflow commands require."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape an annotation property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: CheckResult, root: Path, cwd: Path | None = None) -> str:
    """One ``::error``/``::warning`` workflow command per finding, paths relative to ``cwd``."""
    base = Path(cwd or os.getcwd())
    out = []
    for f in result.findings:
        path = os.path.relpath(os.path.abspath(root / f.file), os.path.abspath(base)).replace(os.sep, "/")
        props = f"file={escape_property(path)},line={f.line},title={escape_property(f.rule)}"
        out.append(f"::{f.severity} {props}::{escape_data(f.message)}")
    out.append(summary_line(result))
    return "\n".join(out)


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
"""The SARIF 2.1.0 schema a log names in ``$schema``."""
SRCROOT = "%SRCROOT%"
"""The base every SARIF location is relative to: the folder ``cgplan check`` ran in (the repository root in CI)."""


def project_urls() -> dict[str, str]:
    """The ``[project.urls]`` cgplan was installed with (label -> URL), empty when it declares none."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata
    except ImportError:  # pragma: no cover
        return {}
    try:
        entries = metadata("cgplan").get_all("Project-URL") or []
    except PackageNotFoundError:
        return {}
    out = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        if url.strip():
            out[label.strip().lower()] = url.strip()
    return out


def _first_sentence(text: str) -> str:
    m = re.match(r"(.+?[.!?])(?:\s|$)", text)
    return m.group(1) if m else text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plain(text: str) -> str:
    return text.replace("``", "`")


def _sarif_rule(slug: str, help_uri: str | None) -> dict:
    rule = RULES.get(slug)
    if rule is None:  # a folder problem of a kind no rule knows yet
        return {"id": slug, "name": slug, "shortDescription": {"text": f"Folder problem of kind {slug}."}}
    description = _plain(rule.description)
    out = {
        "id": slug,
        "name": slug,
        "shortDescription": {"text": _first_sentence(description)},
        "fullDescription": {"text": description},
        "defaultConfiguration": {"level": rule.severity},
    }
    if help_uri:
        out["helpUri"] = help_uri
    parts = [
        f"{label}: {_capital(_plain(text))}" for label, text in (("Why", rule.why), ("Example", rule.example)) if text
    ]
    if parts:
        out["help"] = {"text": "\n\n".join(parts)}
    return out


def sarif_log(result: CheckResult, root: Path, cwd: Path | None = None, urls: dict[str, str] | None = None) -> dict:
    """The findings as a SARIF 2.1.0 log (one run), file locations relative to ``cwd`` (:data:`SRCROOT`).

    Every rule cgplan has is listed in the tool's ``rules`` (so a viewer can
    describe a rule even when nothing tripped it), followed by any folder-problem
    kind a finding carries that no rule covers. A result's ``level`` is the
    finding's severity after configuration (``error`` or ``warning``). The
    tool's ``informationUri`` is the project's ``Homepage`` URL and each rule's
    ``helpUri`` its README's table of rules (``Documentation`` URL, else
    ``Homepage#rules``), taken from ``urls`` (default: the ``[project.urls]`` cgplan
    was installed with); without such a URL they are left out rather than guessed.
    """
    urls = project_urls() if urls is None else urls
    home = urls.get("homepage") or urls.get("repository") or urls.get("source")
    help_uri = urls.get("documentation") or (home + "#rules" if home else None)
    base = Path(cwd or os.getcwd())
    slugs = list(RULES)
    slugs += sorted({f.rule for f in (*result.findings, *result.suppressed)} - set(slugs))
    index = {slug: i for i, slug in enumerate(slugs)}
    results = []
    # a finding an inline comment suppresses is reported as suppressed in source, as code scanning expects
    for f, suppressed in [*((f, False) for f in result.findings), *((f, True) for f in result.suppressed)]:
        path = os.path.relpath(os.path.abspath(root / f.file), os.path.abspath(base)).replace(os.sep, "/")
        physical: dict = {"artifactLocation": {"uri": quote(path), "uriBaseId": SRCROOT}}
        if f.line >= 1:
            physical["region"] = {"startLine": f.line}
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": f.severity,
                "message": {"text": f.message},
                "locations": [{"physicalLocation": physical}],
                **({"suppressions": [{"kind": "inSource"}]} if suppressed else {}),
            }
        )
    driver = {
        "name": "cgplan",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_sarif_rule(slug, help_uri) for slug in slugs],
    }
    if home:
        driver["informationUri"] = home
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def format_sarif(result: CheckResult, root: Path, cwd: Path | None = None, urls: dict[str, str] | None = None) -> str:
    """:func:`sarif_log` as indented JSON."""
    return json.dumps(sarif_log(result, root, cwd, urls), indent=2, ensure_ascii=False)


def render(result: CheckResult, fmt: str, root: Path) -> str:
    """The findings in one of :data:`FORMATS`."""
    if fmt == "json":
        return format_json(result)
    if fmt == "github":
        return format_github(result, root)
    if fmt == "sarif":
        return format_sarif(result, root)
    return format_text(result)
