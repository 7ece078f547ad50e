"""Find a construction folder, load its three documents, resolve references, list problems."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from cgplan.errors import FolderNotFound, InputError
from cgplan.load.constellation import load_constellation
from cgplan.load.fields import norm_key, slugify
from cgplan.load.gaps import load_gaps
from cgplan.load.markdown import parse_text, read_text
from cgplan.load.sketches import load_sketches
from cgplan.load.stars import StarIndex
from cgplan.model.construction import GAPS, MAP, SKETCHES, Construction, Gap, Problem, Sketch, StarRef, display_path

DOCUMENTS = {
    MAP: ("requirements", MAP),
    GAPS: ("requirements", GAPS),
    SKETCHES: ("design", SKETCHES),
}
"""Each document: the sub-folder of ``construction/`` it lives in, and its file name."""
LOADERS = {MAP: load_constellation, GAPS: load_gaps, SKETCHES: load_sketches}
"""The loader of each document."""


def find_construction(path: str | Path = ".") -> tuple[Path, Path]:
    """``(root, construction_dir)`` for a folder that holds ``construction/`` or is it."""
    p = Path(path)
    if not p.exists():
        raise FolderNotFound("folder not found", file=str(path), hint="pass --dir the folder that holds construction/")
    if not p.is_dir():
        raise FolderNotFound("not a folder", file=str(path), hint="pass --dir the folder that holds construction/")
    if (p / "construction").is_dir():
        return p, p / "construction"
    if p.name == "construction" or (p / "requirements").is_dir():
        return p.parent, p
    raise FolderNotFound(
        "no construction/ folder here",
        file=str(path),
        hint="pass --dir the folder that holds construction/ (with requirements/ and design/ in it)",
    )


def load(path: str | Path = ".") -> Construction:
    """Load, parse and resolve a construction folder.

    Raises :class:`~cgplan.errors.InputError` (one line naming the file) when a
    document is missing or unreadable; problems with the content itself are
    returned in ``Construction.problems``.
    """
    root, construction_dir = find_construction(path)
    problems: list[Problem] = []
    hashes: dict[str, str] = {}
    loaded: dict[str, object] = {}
    for name, (subfolder, file_name) in DOCUMENTS.items():
        document_path = construction_dir / subfolder / file_name
        document = parse_text(
            read_text(document_path, display_path(root, document_path)),
            path=document_path,
            display=display_path(root, document_path),
        )
        hashes[name] = hashlib.sha256(document.text.encode("utf-8")).hexdigest()[:12]
        loaded[name] = LOADERS[name](document, problems)
    constellation = loaded[MAP]
    if not constellation.stars:
        raise InputError(
            "no stars found (expected sections like '### Star: <Name>')",
            file=display_path(root, construction_dir / "requirements" / MAP),
            hint="check the headings of the constellation map",
        )
    system, gaps, non_gaps = loaded[GAPS]
    if not gaps:
        raise InputError(
            "no gaps found (expected sections like '### Gap 1: <Name>')",
            file=display_path(root, construction_dir / "requirements" / GAPS),
            hint="check the headings of the gap analysis",
        )
    construction = Construction(
        root=root,
        dir=construction_dir,
        constellation=constellation,
        system=constellation.system or system,
        gaps=gaps,
        non_gaps=non_gaps,
        sketches=loaded[SKETCHES],
        problems=problems,
        hashes=hashes,
    )
    _unique_slugs(construction.gaps)
    _match_sketches(construction)
    _resolve(construction)
    construction.problems.sort(key=lambda problem: (problem.file, problem.line, problem.kind))
    return construction


def _unique_slugs(gaps: list[Gap]) -> None:
    seen: dict[str, int] = {}
    for g in gaps:
        base = g.slug
        if base in seen:
            seen[base] += 1
            g.slug = f"{base}-{seen[base]}"
            while g.slug in seen:
                seen[base] += 1
                g.slug = f"{base}-{seen[base]}"
        seen.setdefault(g.slug, 1)


def _resolve(construction: Construction) -> None:
    index = StarIndex(construction.stars)
    reported: set[tuple[str, str]] = set()

    def one(ref: StarRef, where: str, gap: str | None, sketch: str | None = None) -> None:
        res = index.resolve(ref.text)
        ref.star = res.star
        if res.star is None:
            ref.candidates = res.candidates
            key = (norm_key(ref.text), where)
            if key in reported:
                return
            reported.add(key)
            if res.candidates:
                msg = (
                    f"{ref.text!r} could mean {', '.join(res.candidates)}; "
                    "write the star's full name from the constellation map"
                )
            else:
                msg = f"{ref.text!r} is not a star in the constellation map; add it to the map or fix the name"
            fields = {"name": ref.text, "candidates": res.candidates}
            if gap is not None:
                fields["gap"] = gap
            if sketch is not None:
                fields["sketch"] = sketch
            construction.problems.append(
                Problem("unknown-star", "error", msg, ref.source.file, ref.source.line, fields)
            )

    for g in construction.gaps:
        for ref in g.connects_to:
            one(ref, g.source.file + g.slug, g.name)
    for ng in construction.non_gaps:
        if ng.covered_by is not None:
            one(ng.covered_by, ng.source.file + ng.name, None)
    gap_names = {g.slug: g.name for g in construction.gaps}
    for sk in construction.sketches:
        for st in sk.stars:
            one(st.ref, sk.source.file + sk.title, gap_names.get(sk.gap or ""), sk.title)
    for integ in construction.constellation.integrations:
        integ.stars = tuple(index.resolve(n).star if n else None for n in integ.between)  # type: ignore[assignment]


def _match_sketches(construction: Construction) -> None:
    by_slug = {g.slug: g for g in construction.gaps}
    by_number = {}
    for g in construction.gaps:
        by_number.setdefault(g.number, g)
    claimed: set[str] = set()
    for sk in construction.sketches:
        gap = _match(sk, construction.gaps, by_slug, by_number)
        if gap is None:
            construction.problems.append(
                Problem(
                    "sketch-without-gap",
                    "error",
                    f"sketch {sk.title!r} matches no gap by title or Gap Reference; rename it after its gap",
                    sk.source.file,
                    sk.source.line,
                    {"sketch": sk.title},
                )
            )
            continue
        sk.gap = gap.slug
        claimed.add(gap.slug)
    for g in construction.gaps:
        if g.slug not in claimed:
            construction.problems.append(
                Problem(
                    "gap-without-sketch",
                    "error",
                    f"gap {g.name!r} has no sketch in implementation-sketches.md; add '## Sketch: {g.name}'",
                    g.source.file,
                    g.source.line,
                    {"gap": g.name},
                )
            )


def _match(sketch: Sketch, gaps: list[Gap], by_slug: dict, by_number: dict) -> Gap | None:
    slug = slugify(sketch.title)
    # a numbered reference wins when that gap has the same name (two gaps may share a name)
    num = re.search(r"(?i)\bgap\s*#?\s*(\d+)", sketch.gap_reference)
    if num and int(num.group(1)) in by_number and slugify(by_number[int(num.group(1))].name) == slug:
        return by_number[int(num.group(1))]
    if slug in by_slug:
        return by_slug[slug]
    ref = sketch.gap_reference
    ref_key = norm_key(ref)
    if ref_key:
        for g in sorted(gaps, key=lambda g: -len(g.name)):
            if norm_key(g.name) and norm_key(g.name) in ref_key:
                return g
        m = re.search(r"(?i)\bgap\s*#?\s*(\d+)", ref)
        if m and int(m.group(1)) in by_number:
            return by_number[int(m.group(1))]
    title_key = norm_key(sketch.title)
    hits = [g for g in gaps if norm_key(g.name) and (norm_key(g.name) in title_key or title_key in norm_key(g.name))]
    if len(hits) == 1:
        return hits[0]
    m = re.search(r"(?i)\bgap\s*#?\s*(\d+)", sketch.title)
    if m and int(m.group(1)) in by_number:
        return by_number[int(m.group(1))]
    return None
