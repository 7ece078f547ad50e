"""Load ``constellation-map.md``: stars and the integration points between them."""

from __future__ import annotations

import re

from cgplan.load.fields import (
    FieldMap,
    Vocabulary,
    collect_fields,
    flat_items,
    looks_like,
    match_heading,
    norm_key,
    strip_decoration,
)
from cgplan.load.markdown import Document, Section
from cgplan.model.construction import CodeBlock, Constellation, Contracts, Integration, Problem, Source, Star, Text

STAR_FIELDS = Vocabulary(
    {
        "type": ("kind", "component type"),
        "status": ("maturity",),
        "aliases": ("alias", "also known as", "aka", "a k a", "other names"),
        "assumptions": ("core assumptions", "key assumptions"),
        "scaling": ("scaling model", "scaling", "scalability"),
        "contracts": ("exposed contracts", "contracts", "interfaces", "exposed interfaces"),
        "auth": ("authentication pattern", "authentication", "auth pattern", "auth"),
        "errors": ("error handling", "failure modes", "errors"),
        "conflicts": ("known conflicts overlaps", "known conflicts", "conflicts overlaps", "conflicts", "overlaps"),
    }
)

STAR_LABELS = {
    "type": "Type",
    "status": "Status",
    "aliases": "Aliases",
    "assumptions": "Core Assumptions",
    "scaling": "Scaling Model",
    "contracts": "Exposed Contracts",
    "auth": "Authentication Pattern",
    "errors": "Error Handling",
    "conflicts": "Known Conflicts/Overlaps",
}
"""Each star field's label as the template writes it."""

#: Template fields whose absence is worth a warning.
REQUIRED_STAR_FIELDS = ("type", "status", "contracts", "errors")

INTEGRATION_FIELDS = Vocabulary(
    {
        "connection_type": ("connection type", "connection"),
        "data_flow": ("data flow",),
        "failure_mode": ("failure mode", "failure modes"),
        "dependencies": ("dependencies",),
    }
)

INTEGRATION_LABELS = {
    "connection_type": "Connection Type",
    "data_flow": "Data Flow",
    "failure_mode": "Failure Mode",
    "dependencies": "Dependencies",
}
"""Each integration field's label as the template writes it."""

CONTRACT_KINDS: dict[str, tuple[str, ...]] = {
    "api": ("api", "apis", "endpoint", "endpoints", "method", "methods"),
    "schema": ("schema", "schemas", "data"),
    "dependencies": ("dependencies", "depends on", "requires"),
}
"""Prefixes of Exposed Contracts bullets (``- API: ...``); a bullet with none is an other contract."""
_CONTRACT_KIND = {label: kind for kind, labels in CONTRACT_KINDS.items() for label in labels}
_CONTRACT_PREFIX = re.compile(
    r"^(" + "|".join(re.escape(x) for x in sorted(_CONTRACT_KIND, key=len, reverse=True)) + r")\s*:\s*(.*)$", re.I
)


def is_star_heading(section: Section) -> str | None:
    """The star name if the heading reads ``Star: X`` / ``Star - X``."""
    hit = match_heading(section.title, "Star")
    return hit[1] if hit else None


def _stars_section(section: Section) -> bool:
    key = norm_key(section.title)
    return key.startswith("stars") or key.startswith("trusted components")


def load_constellation(doc: Document, problems: list[Problem]) -> Constellation:
    """Parse the constellation map into a :class:`Constellation`."""
    title = _title(doc)
    system = _after_colon(title) if title else ""
    con = Constellation(system=system, source=Source(doc.display, 1, title, ""))
    seen: dict[str, Star] = {}
    # direct children of "## Stars (Trusted Components)" are stars even without "Star:"
    listed = {
        id(c)
        for sec in doc.root.walk()
        if _stars_section(sec)
        for c in sec.children
        if not is_star_heading(c) and not match_heading(c.title, "Integration") and looks_like(c, STAR_FIELDS)
    }
    # children of "## Integration Points" that name two stars are integrations
    integration_children = {
        id(c)
        for sec in doc.root.walk()
        if norm_key(sec.title).startswith("integration points")
        for c in sec.children
        if split_pair(c.title)[1]
    }
    flat = flat_items(doc.root, STAR_FIELDS, lambda s: is_star_heading(s) is not None)
    for sec in doc.root.walk():
        if sec.level == 0:
            continue
        name = is_star_heading(sec)
        if name is None and id(sec) in listed:
            name = strip_decoration(re.sub(r"^\s*\d+\s*[.):\-]\s+", "", sec.title))
        if name:
            star = _star(doc, flat.get(id(sec), sec), name, problems)
            key = norm_key(star.name)
            if key in seen:
                problems.append(
                    Problem(
                        "duplicate-star",
                        "error",
                        (
                            f"star {star.name!r} is defined twice (first at line {seen[key].source.line}); "
                            "merge the two sections"
                        ),
                        doc.display,
                        sec.line,
                        {"name": star.name},
                    )
                )
                continue
            seen[key] = star
            con.stars.append(star)
            continue
        key = norm_key(sec.title)
        hit = match_heading(sec.title, "Integration")
        if hit is None and id(sec) in integration_children:
            hit = (None, strip_decoration(sec.title))
        if hit:
            con.integrations.append(_integration(doc, sec, hit[1]))
        elif key == "overview":
            con.overview = _prose(sec)
        elif key.startswith("architectural seams") or key == "seams":
            con.seams = _prose(sec)
    return con


def _title(doc: Document) -> str:
    for sec in doc.root.walk():
        if sec.level == 1:
            return sec.title
    return ""


def _after_colon(title: str) -> str:
    for sep in (":", " - ", " — ", " – "):
        if sep in title:
            return strip_decoration(title.split(sep, 1)[1])
    return strip_decoration(title)


def _prose(section: Section) -> str:
    return " ".join(b.plain() for b in section.blocks if b.kind in ("para", "list", "quote")).strip()


def _texts(fm: FieldMap, key: str) -> list[Text]:
    return [Text(e.text, e.line) for e in fm.entries(key)]


def _star(doc: Document, section: Section, name: str, problems: list[Problem]) -> Star:
    fm = FieldMap(collect_fields(section, STAR_FIELDS, skip=is_star_heading))
    source = Source(doc.display, section.line, strip_decoration(section.title), doc.section_hash(section))
    star = Star(name=name, source=source)
    star.type = fm.text("type")
    star.status = strip_decoration(fm.text("status"))
    star.aliases = _aliases(name, fm.texts("aliases"))
    star.assumptions = _texts(fm, "assumptions")
    star.scaling = _texts(fm, "scaling")
    star.contracts = _contracts(fm)
    star.auth = _texts(fm, "auth")
    star.errors = _texts(fm, "errors")
    star.conflicts = _texts(fm, "conflicts")
    star.extra = fm.extras(set(STAR_FIELDS_KEYS))
    problems.extend(
        fm.missing(
            REQUIRED_STAR_FIELDS,
            "star",
            name,
            (doc.display, section.line),
            "name",
            labels=STAR_LABELS,
            section="Star fields",
        )
    )
    return star


STAR_FIELDS_KEYS = ("type", "status", "aliases", "assumptions", "scaling", "contracts", "auth", "errors", "conflicts")


def _aliases(name: str, stated: list[str]) -> list[str]:
    out: list[str] = []
    for text in stated:
        for part in re.split(r"[,;]|\s/\s", text):
            part = strip_decoration(part.strip().strip("`'\""))
            if part and part not in out:
                out.append(part)
    m = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", name)
    if m:
        for part in (m.group(1), m.group(2)):
            part = part.strip()
            if part and part not in out and part != name:
                out.append(part)
    return out


def _contracts(fm: FieldMap) -> Contracts:
    c = Contracts()
    f = fm.get("contracts")
    if f is None:
        return c
    for e in f.entries():
        m = _CONTRACT_PREFIX.match(e.text)
        if m:
            kind, rest = _CONTRACT_KIND[m.group(1).lower()], m.group(2).strip()
            bucket = c.api if kind == "api" else c.schema if kind == "schema" else c.dependencies
            if rest:
                bucket.append(Text(rest, e.line))
            if e.item is not None:
                for b in e.item.blocks:
                    if b.kind == "list":
                        bucket.extend(Text(it.text, it.line) for it in b.items if it.text)
        else:
            c.other.append(Text(e.text, e.line))
            if e.item is not None:
                for b in e.item.blocks:
                    if b.kind == "list":
                        c.other.extend(Text(it.text, it.line) for it in b.items if it.text)
    c.code = [CodeBlock(b.info, b.text, b.line) for b in f.fences()]
    return c


def split_pair(text: str) -> tuple[str, str]:
    """``Redis Cache ↔ API Gateway`` -> the two names."""
    for sep in ("↔", "<->", "<-->", "⇄", "⟷", "→", "->", "<>"):
        if sep in text:
            a, b = text.split(sep, 1)
            return strip_decoration(a), strip_decoration(b)
    for sep in (" and ", " & ", " with ", " to ", " / ", " x ", " - ", " — ", " – "):
        if sep in text:
            a, b = text.split(sep, 1)
            return strip_decoration(a), strip_decoration(b)
    return strip_decoration(text), ""


def _integration(doc: Document, section: Section, text: str) -> Integration:
    fm = FieldMap(collect_fields(section, INTEGRATION_FIELDS))
    source = Source(doc.display, section.line, strip_decoration(section.title), doc.section_hash(section))
    return Integration(
        between=split_pair(text),
        source=source,
        connection_type=fm.text("connection_type"),
        data_flow=fm.text("data_flow"),
        failure_mode=fm.text("failure_mode"),
        dependencies=fm.text("dependencies"),
    )
