"""Write plans into ``construction/design/`` without ever destroying what a person wrote.

* Writes are atomic (temp file + rename) and never go through a symbolic link.
* A plan edited by hand since cgplan wrote it (or a file cgplan did not write)
  is kept: the new version goes beside it as ``...-<slug>.new.md``.
* ``force=True`` replaces it anyway and keeps the old text as ``...-<slug>.md.bak``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .atomic import Flusher, atomic_write, flush, safe_target
from .errors import WriteError
from .models import Construction, Gap

STATUSES = ("written", "unchanged", "kept-edited", "forced")


@dataclass
class WriteResult:
    """What happened to one gap's plan."""

    gap: str
    """Gap slug."""
    path: Path
    """The plan file."""
    status: str
    """``written``, ``unchanged``, ``kept-edited`` (new version beside it as ``.new.md``) or ``forced`` (old kept as ``.bak``)."""
    message: str
    """One line for people."""


def plan_path(c: Construction, gap: Gap) -> Path:
    """``<construction>/design/code-generation-plan-<slug>.md``."""
    return c.design_dir / f"code-generation-plan-{gap.slug}.md"


def new_path(path: Path) -> Path:
    """Where a new version goes when the plan was edited by hand."""
    return path.with_name(path.name[: -len(".md")] + ".new.md")


def bak_path(path: Path) -> Path:
    """Where ``--force`` keeps the replaced plan."""
    return path.with_name(path.name + ".bak")


def _display(c: Construction, path: Path) -> str:
    try:
        return str(path.relative_to(c.root))
    except ValueError:
        return str(path)


def _read(c: Construction, path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WriteError(f"cannot read the existing plan: {exc}", file=_display(c, path), hint="fix or move the file, then run again") from None


def write_text(c: Construction, gap: Gap, text: str, *, force: bool = False) -> WriteResult:
    """Write one rendered plan, protecting an edited one."""
    written: list[Path] = []
    res = _write_text(c, gap, text, force=force, written=written)
    flush(written, display=lambda p: _display(c, p))
    return res


def _write_text(c: Construction, gap: Gap, text: str, *, force: bool, written) -> WriteResult:
    """:func:`write_text` without the durability flush; the files written are added to ``written``
    (a list, or a :class:`~cgplan.atomic.Flusher`)."""
    from . import meta

    path = plan_path(c, gap)
    display = _display(c, path)
    safe_target(c, path)
    old = _read(c, path)

    def put(target: Path, body: str) -> None:
        atomic_write(target, body, display=_display(c, target), sync=False)
        (written.add if isinstance(written, Flusher) else written.append)(target)

    if old is None:
        put(path, text)
        return WriteResult(gap.slug, path, "written", f"written {display}")
    if old == text:
        return WriteResult(gap.slug, path, "unchanged", f"unchanged {display}")
    hand_made = meta.read(old) is None or meta.edited(old)
    if not hand_made:
        put(path, text)
        return WriteResult(gap.slug, path, "written", f"written {display}")
    if force:
        bak = bak_path(path)
        safe_target(c, bak)
        put(bak, old)
        put(path, text)
        return WriteResult(gap.slug, path, "forced", f"forced {display} (your edited version is kept as {_display(c, bak)})")
    new = new_path(path)
    safe_target(c, new)
    put(new, text)
    return WriteResult(
        gap.slug,
        path,
        "kept-edited",
        f"kept-edited {display} was edited by hand; the new plan is in {_display(c, new)} (merge it, or run with --force to replace and keep a .bak)",
    )


def fingerprint(c: Construction, gap: Gap) -> str | None:
    """A hash of everything the gap's plan is built from, or ``None`` when that cannot be known.

    The plan is a function of cgplan's code, the three documents (with their
    paths as shown in citations), the gap and the gap's decisions file: the
    folder's content key (:func:`cgplan.folder.content_key`, which covers the
    code and the documents) plus the slug and the decisions file's bytes.
    """
    from .decisions import decisions_path
    from .folder import content_key

    base = content_key(c)
    if base is None:
        return None
    dpath = decisions_path(c, gap)
    try:
        decisions = dpath.read_bytes() if dpath.is_file() else b""
        marker = "file" if dpath.is_file() else ("none" if not dpath.exists() else None)
    except OSError:
        return None
    if marker is None:
        return None  # something odd where the decisions file belongs: let the planner report it
    h = hashlib.sha256(f"plan\0{base}\0{gap.slug}\0{marker}\0".encode())
    h.update(decisions)
    return h.hexdigest()


def _up_to_date(c: Construction, gap: Gap, want: str) -> bool:
    """True when the plan file holds exactly the text whose hash is ``want``."""
    path = plan_path(c, gap)
    safe_target(c, path)
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return hashlib.sha256(data).hexdigest() == want


PARALLEL_PLANS = 48
"""At least this many plans to build: a share goes to each helper process (:mod:`cgplan.workers`)."""


class _Helped:
    """Plans a helper process builds: :meth:`text` waits for the helper at the first one asked for."""

    def __init__(self, c: Construction, gaps: list[Gap]):
        from .workers import Share

        self.slugs = [g.slug for g in gaps]
        self._share = Share("cgplan.write:render_share", c, gaps)
        self._texts: dict[str, bytes | None] | None = None

    def text(self, slug: str) -> str | None:
        """The helper's text for ``slug``, or ``None`` (build it here). Each text is handed out once."""
        if self._texts is None:
            got = self._share.result()
            ok = isinstance(got, list) and len(got) == len(self.slugs) and all(t is None or isinstance(t, bytes) for t in got)
            self._texts = dict(zip(self.slugs, got)) if ok else {}
        data = self._texts.pop(slug, None)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def close(self) -> None:
        self._share.close()


def _shares(c: Construction, gaps: list[Gap], current) -> dict[str, _Helped]:
    """Start helper processes on shares of the plans to build; slug -> its :class:`_Helped`.

    This process keeps the first share; the rest are built by helpers while it
    works. A plan a helper could not build (it failed, or the plan raises) comes
    back as ``None`` and is built here, so errors surface exactly as without helpers.
    """
    from . import workers

    n = workers.jobs()
    if n < 2:
        return {}
    todo = []
    for g in gaps:
        try:
            if not current(g):
                todo.append(g)
        except Exception:
            todo.append(g)  # decided (and reported) in order by the caller
    if len(todo) < PARALLEL_PLANS:
        return {}
    out: dict[str, _Helped] = {}
    for part in workers.split(todo, n)[1:]:
        helped = _Helped(c, part)
        out.update(dict.fromkeys(helped.slugs, helped))
    return out


def render_share(c: Construction, gaps: list[Gap]) -> list[bytes | None]:
    """Build and render the plans of ``gaps`` (run in a helper process), each as UTF-8; ``None`` for a plan that raised.

    Encoded at once: a plan with one character beyond Latin-1 takes 2 or 4
    bytes per character as a ``str``, and about 1 as UTF-8.
    """
    from .errors import CgplanError
    from .plan import build_plan
    from .render import render_markdown

    out: list[str | None] = []
    for g in gaps:
        try:
            out.append(render_markdown(build_plan(c, g)).encode("utf-8"))
        except CgplanError:
            out.append(None)
    return out


def write_plans(c: Construction, gaps: list[Gap], *, force: bool = False) -> list[WriteResult]:
    """Build, render and write the plan of each gap; one result per gap, in order.

    A plan whose inputs have not changed since this same cgplan wrote it, and
    whose file still holds exactly what was written, is reported ``unchanged``
    without building it again (the record of what was written is kept in the
    cache, :mod:`cgplan.cache`, so with the cache off every plan is rebuilt;
    the files are the same either way).
    """
    from .gcpause import paused

    with paused():  # see cgplan.gcpause: the loaded folder is millions of objects
        return _write_plans(c, gaps, force=force)


def _write_plans(c: Construction, gaps: list[Gap], *, force: bool) -> list[WriteResult]:
    from . import cache
    from .folder import content_key
    from .plan import build_plan
    from .render import render_markdown

    seen: dict[Path, str] = {}
    for g in gaps:
        p = plan_path(c, g)
        key = Path(str(p).lower())
        if key in seen and seen[key] != g.slug:
            raise WriteError(f"gaps {seen[key]!r} and {g.slug!r} would write the same file", file=_display(c, p), hint="rename one of the gaps")
        seen[key] = g.slug
    base = content_key(c)
    record_key = cache.key("plans", base) if base is not None else None
    record = (cache.get("plans", record_key, dict, avoid=c.dir) if record_key else None) or {}
    before = dict(record)
    results = []
    fps = {g.slug: fingerprint(c, g) if base is not None else None for g in gaps}

    decided: dict[str, bool] = {}

    def current(g: Gap) -> bool:
        if g.slug not in decided:
            fp, known = fps[g.slug], record.get(g.slug)
            decided[g.slug] = fp is not None and isinstance(known, tuple) and len(known) == 2 and known[0] == fp and _up_to_date(c, g, known[1])
        return decided[g.slug]

    # many plans to build: helper processes build a share of them meanwhile
    shares = _shares(c, gaps, current)
    # each plan is flushed to disk in the background while the next one is built
    written = Flusher(display=lambda p: _display(c, p))
    try:
        for g in gaps:
            fp = fps[g.slug]
            if current(g):
                path = plan_path(c, g)
                results.append(WriteResult(g.slug, path, "unchanged", f"unchanged {_display(c, path)}"))
                continue
            helped = shares.get(g.slug)
            text = helped.text(g.slug) if helped is not None else None
            if text is None:
                text = render_markdown(build_plan(c, g))
            res = _write_text(c, g, text, force=force, written=written)
            results.append(res)
            if fp is not None and res.status in ("written", "unchanged", "forced"):
                record[g.slug] = (fp, hashlib.sha256(text.encode("utf-8")).hexdigest())
            else:
                record.pop(g.slug, None)
    except BaseException:
        written.close(quiet=True)  # the first error is the one to report
        raise
    finally:
        for helped in {id(h): h for h in shares.values()}.values():
            helped.close()
    # Every plan was renamed into place complete, so a killed run leaves each plan
    # old or complete new either way; the fsyncs (of each file written, then of
    # design/ once) make the new ones survive a power cut too. They ran in a
    # background thread while later plans were built; this waits for the last.
    written.close()
    if record_key is not None and record != before:
        cache.put("plans", record_key, record, avoid=c.dir)
    return results
