"""The provenance record a generated plan carries, as an HTML comment on its last line.

::

    <!-- cgplan:meta {"version": "0.1.0", "gap": "rate-limiter", "body": "<sha>", "inputs": {...}} -->

``inputs`` maps each cited input section (``constellation-map.md § Star: Redis
Cache``) to the hash of its text when the plan was made; ``body`` is the hash
of the plan without this line. From these, a later run can tell a plan that is
up to date, stale (an input section changed) or edited by hand (the body
changed).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

_META_RE = re.compile(r"^<!-- cgplan:meta (\{.*\}) -->\n?$", re.M)
PREFIX = "<!-- cgplan:meta "


@dataclass
class PlanMeta:
    """What a generated plan records about its making."""

    version: str
    """cgplan version that wrote it."""
    gap: str
    """Slug of the gap."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Cited input section -> hash of its text at generation time."""
    body: str = ""
    """Hash of the plan text without the meta line."""


def body_hash(text: str) -> str:
    """Hash of a plan's text with any meta line removed and line endings normalized."""
    # line endings and a byte-order mark an editor or git may add are not edits
    body = _META_RE.sub("", text.lstrip("\ufeff").replace("\r\n", "\n"))
    return hashlib.sha256(body.rstrip("\n").encode("utf-8")).hexdigest()[:16]


def without_meta_line(text: str) -> str:
    """The plan's text without its meta line, ending in one newline (what a person reads)."""
    return _META_RE.sub("", text.replace("\r\n", "\n")).rstrip() + "\n"


def attach(text: str, meta: PlanMeta) -> str:
    """Append the meta line to a rendered plan (computing ``body``)."""
    text = _META_RE.sub("", text).rstrip("\n") + "\n"
    meta.body = body_hash(text)
    payload = json.dumps(
        {"version": meta.version, "gap": meta.gap, "body": meta.body, "inputs": dict(sorted(meta.inputs.items()))},
        ensure_ascii=True,
        sort_keys=False,
    )
    # "--" cannot appear inside an HTML comment
    payload = payload.replace("--", "\\u002d\\u002d")
    # nor anything a browser could read as a tag, whatever the section titles hold
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e")
    return f"{text}\n{PREFIX}{payload} -->\n"


def read(text: str) -> PlanMeta | None:
    """The meta record of a plan, or ``None`` for a plan cgplan did not write."""
    found = None
    for m in _META_RE.finditer(text.replace("\r\n", "\n")):
        found = m
    if not found:
        return None
    try:
        data = json.loads(found.group(1))
        return PlanMeta(
            version=str(data["version"]),
            gap=str(data["gap"]),
            inputs={str(k): str(v) for k, v in dict(data.get("inputs", {})).items()},
            body=str(data.get("body", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None


def edited(text: str) -> bool:
    """True when a generated plan's body no longer matches its recorded hash."""
    meta = read(text)
    return meta is not None and meta.body != body_hash(text)
