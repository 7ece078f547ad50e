"""Small jobs on document wording the planner shares: the forms a star is named by, mentions,
code-like identifiers, short excerpts and the figures of a component's limits."""

from __future__ import annotations

import re

from cgplan.load.fields import norm_key
from cgplan.model.construction import Star
from cgplan.model.plan import Constraint, Meaning
from cgplan.plan.limits import KINDS, limit_values, meaning

_IDENT = re.compile(r"[A-Za-z][\w.:/-]*[A-Za-z0-9]")
_GENERIC = {
    "http",
    "https",
    "json",
    "rest",
    "uuid",
    "yaml",
    "html",
    "todo",
    "utc",
    "api",
    "sdk",
    "url",
    "sql",
    "tls",
    "ssl",
    "aws",
    "id",
    "ids",
}


def star_forms(star: Star, written: list[str]) -> list[str]:
    """Normalized names a star may be mentioned by in free text."""
    out = []
    for f in [*star.name_forms(), *written]:
        k = norm_key(f)
        if k and len(k) >= 3 and k not in out:
            out.append(k)
    return out


def mentions(text: str, forms: list[str]) -> bool:
    padded = f" {norm_key(text)} "
    return any(f" {f} " in padded for f in forms)


def code_identifiers(text: str) -> set[str]:
    """Code-like tokens (camelCase, ALLCAPS, dotted, hyphenated) in a text, lower-cased."""
    out = set()
    for tok in _IDENT.findall(text):
        t = tok.strip(".:/-")
        if len(t) < 4 or t.lower() in _GENERIC:
            continue
        if re.search(r"[a-z][A-Z]", t) or (t.isupper() and t.isalpha()) or re.search(r"[._-]", t):
            out.add(t.lower())
    return out


def meanings(constraints: list[Constraint]) -> list[Meaning]:
    """One :class:`Meaning` per kind of limit among ``constraints``, with the figures they state."""
    out = []
    for kind in KINDS:
        cons = [con for con in constraints if con.kind == kind]
        values = list(dict.fromkeys(v for con in cons for v in limit_values(con.text, kind)))
        if not values:
            continue
        sources = list(dict.fromkeys("gap" if con.origin == "gap" else con.star for con in cons))
        out.append(Meaning(kind, values, sources, meaning(kind)))
    return out


def brief(text: str, words: int = 8, key: str = "") -> str:
    """A short excerpt of ``text``: its clause holding ``key`` (a regex), else its first,
    up to a first aside or ``words`` words."""
    clauses = [c.strip(" ,.") for c in re.split(r";\s+|\s+[—–]\s+", text) if c.strip(" ,.")] or [text]
    pick = next((c for c in clauses if key and re.search(key, c)), clauses[0])
    depth = 0
    for i, ch in enumerate(pick):
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        elif depth == 0 and pick.startswith((" (", ", "), i) and len(pick[:i].split()) >= 3:
            pick = pick[:i]
            break
    pick = " ".join(pick.split())
    out = " ".join(pick.split()[:words])
    if out.count("{") > out.count("}") and pick.count("{") == pick.count("}"):
        out = pick[: _close(pick, len(out))]
    return out if out == " ".join(text.split()).strip(" ,.") else out + "…"


def _close(text: str, start: int) -> int:
    """End of the brace group open at ``start`` in ``text``."""
    depth = text[:start].count("{") - text[:start].count("}")
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i + 1
    return len(text)
