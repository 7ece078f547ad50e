"""A small on-disk cache keyed by content hash: parsed folders, plan records, checker findings.

Entries live in ``$CGPLAN_CACHE_DIR``, else ``$XDG_CACHE_HOME/cgplan``, else
``~/.cache/cgplan``; ``CGPLAN_CACHE=off`` switches the cache off. Every key
includes :func:`code_hash` (the bytes of cgplan's own modules and templates), so
a new version, or an edited checkout, never reads an entry another build wrote.

The cache only ever saves time: an entry that is missing, truncated, corrupt,
unreadable or from another format is ignored (and rebuilt by the caller), and a
cache folder that cannot be written is skipped. Nothing here raises.

An entry is a pickle, so the folder must be the user's own: a cache folder owned
by someone else or writable by group or others is not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from .gcpause import paused

FORMAT = 1
"""Bumped when the layout of an entry changes."""
MAX_ENTRIES = 64
"""Entries kept; the least recently used beyond this are removed."""
MAX_BYTES = 256 * 1024 * 1024
"""Total size kept; the least recently used beyond this are removed."""
_MAGIC = b"cgplan-cache\n"
_OFF = {"off", "0", "no", "false", "none", "disable", "disabled"}


def enabled() -> bool:
    """False when ``CGPLAN_CACHE`` says off."""
    return os.environ.get("CGPLAN_CACHE", "").strip().lower() not in _OFF


def location() -> Path:
    """Where the cache lives (whether or not it exists yet)."""
    own = os.environ.get("CGPLAN_CACHE_DIR")
    if own:
        return Path(own).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "cgplan"
    return Path.home() / ".cache" / "cgplan"


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of cgplan's version and the bytes of its own modules and templates."""
    from . import __version__

    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256(f"cgplan {__version__} cache {FORMAT}\n".encode())
    files = sorted(p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    for p in files:
        try:
            data = p.read_bytes()
        except OSError:
            data = b"?"
        rel = p.relative_to(pkg).as_posix()
        h.update(f"{rel}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
        h.update(data)
    return h.hexdigest()


def key(kind: str, *parts: str | bytes) -> str:
    """A hex key for ``kind`` from :func:`code_hash` and ``parts`` (each length-prefixed)."""
    h = hashlib.sha256(f"{kind}\0{code_hash()}\0".encode())
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        h.update(f"{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def _usable(avoid: Path | None = None) -> Path | None:
    """The cache folder, created if needed, or ``None`` when off, unsafe or inside ``avoid``."""
    if not enabled():
        return None
    d = location()
    try:
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = d.stat()
        real = d.resolve()
    except (OSError, RuntimeError):
        return None
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
        return None
    if avoid is not None:
        try:
            real.relative_to(avoid.resolve())
            return None  # never inside the construction folder
        except (ValueError, OSError, RuntimeError):
            pass
    return d


def _path(d: Path, kind: str, k: str) -> Path:
    return d / f"{kind}-{k}.pickle"


def get(kind: str, k: str, expect: type | tuple[type, ...] = object, *, avoid: Path | None = None):
    """The value stored under ``(kind, k)``, or ``None`` (missing, unreadable, corrupt, other format)."""
    d = _usable(avoid)
    if d is None:
        return None
    path = _path(d, kind, k)
    try:
        fh = open(path, "rb")
    except OSError:
        return None
    try:
        with fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                raise ValueError("not an entry")
            with paused():  # millions of small objects: see cgplan.gcpause
                fmt, kind_, k_, value = pickle.load(fh)
            if fh.read(1):
                raise ValueError("trailing bytes")
        if fmt != FORMAT or kind_ != kind or k_ != k or not isinstance(value, expect):
            raise ValueError("other entry")
    except Exception:  # noqa: BLE001 - any damage (or an unreadable file) means: rebuild
        try:
            path.unlink()
        except OSError:
            pass
        return None
    try:
        os.utime(path)  # recently used: evicted last
    except OSError:
        pass
    return value


def put(kind: str, k: str, value, *, avoid: Path | None = None) -> bool:
    """Store ``value`` under ``(kind, k)`` atomically; ``False`` when the cache is off or not writable."""
    d = _usable(avoid)
    if d is None:
        return False
    path = _path(d, kind, k)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(d))
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC)
            pickle.dump((FORMAT, kind, k, value), fh, protocol=pickle.HIGHEST_PROTOCOL)  # streamed: no copy in memory
        # no fsync: a cache entry lost in a power cut is rebuilt, a torn one is ignored
        os.replace(tmp, path)
        tmp = None
    except Exception:  # noqa: BLE001 - unwritable folder, full disk or unpicklable value: simply not cached
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _evict(d, keep=path)
    return True


def _evict(d: Path, keep: Path) -> None:
    """Remove the least recently used entries beyond :data:`MAX_ENTRIES` / :data:`MAX_BYTES`."""
    entries = []
    try:
        with os.scandir(d) as it:
            for e in it:
                if e.name.endswith(".pickle") and e.is_file(follow_symlinks=False):
                    st = e.stat(follow_symlinks=False)
                    entries.append((st.st_mtime_ns, e.name, st.st_size))
    except OSError:
        return
    entries.sort(reverse=True)
    total = 0
    for n, (_, name, size) in enumerate(entries):
        total += size
        if name != keep.name and (n >= MAX_ENTRIES or total > MAX_BYTES):
            try:
                os.unlink(d / name)
            except OSError:
                pass

