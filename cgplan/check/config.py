"""Rule selection per project: ``[tool.cgplan]`` in ``pyproject.toml`` or a ``cgplan.toml``.

Looked up next to ``construction/`` (``cgplan.toml`` first, then the nearest
``pyproject.toml`` at or above that folder)::

    [tool.cgplan]            # in cgplan.toml the table header may be left out
    select = ["unknown-star", "unmapped-criterion"]   # default: every rule
    ignore = ["vague-text"]
    severity = { missing-section = "error", stale-plan = "off" }
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from cgplan.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

SEVERITY_VALUES = ("error", "warning", "off")
"""What a severity override may say; ``off`` switches the rule off."""


@dataclass
class Config:
    """Which rules run and how seriously their findings count."""

    select: list[str] | None = None
    """Only these rules (``None``: all)."""
    ignore: list[str] = field(default_factory=list)
    """Rules switched off."""
    severity: dict[str, str] = field(default_factory=dict)
    """Per-rule severity overrides (``error``, ``warning`` or ``off``)."""
    file: str | None = None
    """The file it was read from, if any."""


def find_config(root: Path) -> Path | None:
    """``cgplan.toml`` in ``root``, else the nearest ``pyproject.toml`` at or above it that has ``[tool.cgplan]``."""
    own = root / "cgplan.toml"
    if own.is_file():
        return own
    for d in [root.resolve(), *root.resolve().parents]:
        p = d / "pyproject.toml"
        if p.is_file():
            try:
                if "[tool.cgplan" in p.read_text(encoding="utf-8", errors="replace"):
                    return p
            except OSError:
                return None
            return None
    return None


def _line_of(text: str, needle: str) -> int | None:
    for i, ln in enumerate(text.splitlines(), 1):
        if needle in ln:
            return i
    return None


def load_config(root: Path, known: set[str]) -> Config:
    """Read the project's configuration (an empty :class:`Config` when there is none)."""
    path = find_config(root)
    if path is None:
        return Config()
    display = path.name if path.parent == root else str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", file=display, hint="make it readable") from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", file=display, hint="save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        msg = str(exc).split(" (at line")[0]
        raise ConfigError(f"invalid TOML: {msg}", file=display, line=line, hint="fix the syntax") from None
    table = data.get("tool", {}).get("cgplan") if isinstance(data.get("tool"), dict) else None
    if table is None:
        table = {k: v for k, v in data.items() if k != "tool"} if path.name == "cgplan.toml" else {}
    return parse_config(table, known, display=display, text=text)


def parse_config(table: dict, known: set[str], *, display: str = "cgplan.toml", text: str = "") -> Config:
    """Validate a ``[tool.cgplan]`` table."""
    if not isinstance(table, dict):
        raise ConfigError("[tool.cgplan] must be a table", file=display, hint="see README.md, Rules")
    cfg = Config(file=display)
    for key in table:
        if key not in ("select", "ignore", "severity"):
            raise ConfigError(
                f"unknown key {key!r}", file=display, line=_line_of(text, key), hint="use select, ignore or severity"
            )

    def slugs(key: str) -> list[str]:
        value = table[key]
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f"{key} must be a list of rule names",
                file=display,
                line=_line_of(text, key),
                hint='e.g. ["vague-text"]',
            )
        for v in value:
            if v not in known:
                raise ConfigError(
                    f"unknown rule {v!r} in {key}",
                    file=display,
                    line=_line_of(text, v),
                    hint="valid rules: " + ", ".join(sorted(known)),
                )
        return list(value)

    if "select" in table:
        cfg.select = slugs("select")
    if "ignore" in table:
        cfg.ignore = slugs("ignore")
    sev = table.get("severity", {})
    if not isinstance(sev, dict):
        raise ConfigError(
            'severity must be a table of rule = "error" | "warning" | "off"',
            file=display,
            line=_line_of(text, "severity"),
            hint='e.g. severity = { vague-text = "error" }',
        )
    for rule, value in sev.items():
        if rule not in known:
            raise ConfigError(
                f"unknown rule {rule!r} in severity",
                file=display,
                line=_line_of(text, rule),
                hint="valid rules: " + ", ".join(sorted(known)),
            )
        if value not in SEVERITY_VALUES:
            raise ConfigError(
                f"severity of {rule} must be error, warning or off, not {value!r}",
                file=display,
                line=_line_of(text, rule),
                hint="fix the value",
            )
        cfg.severity[rule] = value
    return cfg
