"""Find a construction folder, load its three documents, resolve references, list problems."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .errors import FolderNotFound, InputError
from .fields import norm_key, slugify
from .load_gaps import load_gaps
from .load_map import load_constellation
from .load_sketches import load_sketches
from .mdtree import MAX_BYTES, parse_text, read_text
from .models import GAPS, MAP, SKETCHES, Construction, Gap, Problem, Sketch, StarRef
from .resolve import StarIndex

DOCS = {
    MAP: ("requirements", MAP),
    GAPS: ("requirements", GAPS),
    SKETCHES: ("design", SKETCHES),
}


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


def display_path(root: Path, path: Path) -> str:
    """A path relative to the folder holding ``construction/``, for messages."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def load(path: str | Path = ".") -> Construction:
    """Load, parse and resolve a construction folder.

    Raises :class:`~cgplan.errors.InputError` (one line naming the file) when a
    document is missing or unreadable; problems with the content itself are
    returned in ``Construction.problems``.

    A folder loaded before with the same three documents (and the same cgplan)
    comes from the parsed-folder cache (:mod:`cgplan.cache`) instead.
    """
    from .gcpause import paused

    with paused():
        return _load_cached(path)


def _load_cached(path: str | Path) -> Construction:
    from . import cache

    root, cdir = find_construction(path)
    paths = {name: cdir / sub / fname for name, (sub, fname) in DOCS.items()}
    displays = {name: display_path(root, p) for name, p in paths.items()}
    if not cache.enabled():
        return _load(root, cdir, paths, displays)
    # the key hashes each document's bytes, read in pieces (a whole-file read here
    # would leave the parse below with a fragmented heap); the same hashes after
    # parsing prove the documents did not change meanwhile
    before = {name: _file_digest(p) for name, p in paths.items()}
    if None in before.values():
        return _load(root, cdir, paths, displays)  # raises the reader's error for the odd file
    k = cache.key("folder", *(part for name in DOCS for part in (displays[name], before[name])))
    hit = cache.get("folder", k, Construction, avoid=cdir)
    if hit is not None:
        hit.root, hit.dir = root, cdir
        hit.__dict__[CONTENT_KEY] = k
        return hit
    c = _load(root, cdir, paths, displays)
    if {name: _file_digest(p) for name, p in paths.items()} != before:
        return c  # a document changed while it was read: not cached, no content key
    c.root = c.dir = None  # type: ignore[assignment]  # nothing path-dependent in the cache
    try:
        cache.put("folder", k, c, avoid=cdir)
    finally:
        c.root, c.dir = root, cdir
    c.__dict__[CONTENT_KEY] = k
    return c


def _file_digest(path: Path) -> str | None:
    """SHA-256 of a regular file's bytes, or ``None`` (missing, not a regular file, too big, unreadable)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


CONTENT_KEY = "_content_key"
"""Attribute (in ``Construction.__dict__``) holding the cache key of the documents it was loaded from."""


def content_key(c: Construction) -> str | None:
    """The hash of the three documents (and cgplan) a folder was loaded from; ``None`` if not loaded by :func:`load`."""
    return c.__dict__.get(CONTENT_KEY)


PARALLEL_BYTES = 1024 * 1024
"""A document at least this big is loaded by a helper process when processors are free (:mod:`cgplan.workers`)."""

_LOADERS = {MAP: load_constellation, GAPS: load_gaps, SKETCHES: load_sketches}


def _load_doc(name: str, path: Path, display: str) -> tuple[str, object, list[Problem]]:
    """Read, parse and load one document: ``(hash, what its loader returns, its problems)``."""
    problems: list[Problem] = []
    text = read_text(path, display)
    doc = parse_text(text, path=path, display=display)
    del text
    digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()[:12]
    return digest, _LOADERS[name](doc, problems), problems


def _offloaded(paths: dict[str, Path]) -> list[str]:
    """The documents to hand to helper processes: the biggest, while processors are free (one stays here)."""
    from . import workers

    n = workers.jobs()
    if n < 2:
        return []
    sizes = {}
    for name, p in paths.items():
        try:
            sizes[name] = p.stat().st_size
        except OSError:
            sizes[name] = 0
    big = sorted((name for name in DOCS if sizes[name] >= PARALLEL_BYTES), key=lambda name: -sizes[name])
    return big[: min(n - 1, len(DOCS) - 1)]


def _load(root: Path, cdir: Path, paths: dict[str, Path], displays: dict[str, str]) -> Construction:
    """Parse, load and resolve the documents."""
    from .errors import CgplanError
    from .workers import Share

    # one document at a time here (only one parse tree alive at once); the biggest
    # go to helper processes meanwhile when the folder is large and processors are free
    shares = {name: Share("cgplan.folder:_load_doc", name, paths[name], displays[name]) for name in _offloaded(paths)}
    done: dict[str, tuple[str, object, list[Problem]] | CgplanError] = {}
    try:
        for name in DOCS:
            if name in shares:
                continue
            try:
                done[name] = _load_doc(name, paths[name], displays[name])
            except CgplanError as exc:
                done[name] = exc  # raised below, after any earlier document's error
                break
        problems: list[Problem] = []
        hashes: dict[str, str] = {}
        loaded: dict[str, object] = {}
        for name in DOCS:  # in document order, so the first error is the one a single process meets
            if name in shares:
                got = shares[name].result()
                done[name] = got if got is not None else _load_doc(name, paths[name], displays[name])
            got = done[name]
            if isinstance(got, CgplanError):
                raise got
            hashes[name], loaded[name], found = got
            problems.extend(found)
    finally:
        for share in shares.values():
            share.close()
    constellation = loaded[MAP]
    if not constellation.stars:
        raise InputError(
            "no stars found (expected sections like '### Star: <Name>')",
            file=displays[MAP],
            hint="check the headings of the constellation map",
        )
    system, gaps, non_gaps = loaded[GAPS]
    if not gaps:
        raise InputError(
            "no gaps found (expected sections like '### Gap 1: <Name>')",
            file=displays[GAPS],
            hint="check the headings of the gap analysis",
        )
    sketches = loaded[SKETCHES]
    c = Construction(
        root=root,
        dir=cdir,
        constellation=constellation,
        system=constellation.system or system,
        gaps=gaps,
        non_gaps=non_gaps,
        sketches=sketches,
        problems=problems,
        hashes=hashes,
    )
    _unique_slugs(c.gaps)
    _match_sketches(c)
    _resolve(c)
    c.problems.sort(key=lambda p: (p.file, p.line, p.kind))
    return c


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


def _resolve(c: Construction) -> None:
    index = StarIndex(c.stars)
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
                msg = f"{ref.text!r} could mean {', '.join(res.candidates)}; write the star's full name from the constellation map"
            else:
                msg = f"{ref.text!r} is not a star in the constellation map; add it to the map or fix the name"
            fields = {"name": ref.text, "candidates": res.candidates}
            if gap is not None:
                fields["gap"] = gap
            if sketch is not None:
                fields["sketch"] = sketch
            c.problems.append(Problem("unknown-star", "error", msg, ref.source.file, ref.source.line, fields))

    for g in c.gaps:
        for ref in g.connects_to:
            one(ref, g.source.file + g.slug, g.name)
    for ng in c.non_gaps:
        if ng.covered_by is not None:
            one(ng.covered_by, ng.source.file + ng.name, None)
    gap_names = {g.slug: g.name for g in c.gaps}
    for sk in c.sketches:
        for st in sk.stars:
            one(st.ref, sk.source.file + sk.title, gap_names.get(sk.gap or ""), sk.title)
    for integ in c.constellation.integrations:
        integ.stars = tuple(index.resolve(n).star if n else None for n in integ.between)  # type: ignore[assignment]


def _match_sketches(c: Construction) -> None:
    by_slug = {g.slug: g for g in c.gaps}
    by_number = {}
    for g in c.gaps:
        by_number.setdefault(g.number, g)
    claimed: set[str] = set()
    for sk in c.sketches:
        gap = _match(sk, c.gaps, by_slug, by_number)
        if gap is None:
            c.problems.append(
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
    for g in c.gaps:
        if g.slug not in claimed:
            c.problems.append(
                Problem(
                    "gap-without-sketch",
                    "error",
                    f"gap {g.name!r} has no sketch in implementation-sketches.md; add '## Sketch: {g.name}'",
                    g.source.file,
                    g.source.line,
                    {"gap": g.name},
                )
            )


def _match(sk: Sketch, gaps: list[Gap], by_slug: dict, by_number: dict) -> Gap | None:
    slug = slugify(sk.title)
    # a numbered reference wins when that gap has the same name (two gaps may share a name)
    num = re.search(r"(?i)\bgap\s*#?\s*(\d+)", sk.gap_reference)
    if num and int(num.group(1)) in by_number and slugify(by_number[int(num.group(1))].name) == slug:
        return by_number[int(num.group(1))]
    if slug in by_slug:
        return by_slug[slug]
    ref = sk.gap_reference
    ref_key = norm_key(ref)
    if ref_key:
        for g in sorted(gaps, key=lambda g: -len(g.name)):
            if norm_key(g.name) and norm_key(g.name) in ref_key:
                return g
        m = re.search(r"(?i)\bgap\s*#?\s*(\d+)", ref)
        if m and int(m.group(1)) in by_number:
            return by_number[int(m.group(1))]
    title_key = norm_key(sk.title)
    hits = [g for g in gaps if norm_key(g.name) and (norm_key(g.name) in title_key or title_key in norm_key(g.name))]
    if len(hits) == 1:
        return hits[0]
    m = re.search(r"(?i)\bgap\s*#?\s*(\d+)", sk.title)
    if m and int(m.group(1)) in by_number:
        return by_number[int(m.group(1))]
    return None
