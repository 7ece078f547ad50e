"""Safe file writes inside ``construction/design/``: temp file + rename, never through a symlink."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from cgplan.errors import WriteError
from cgplan.model.construction import Construction


def safe_target(construction: Construction, path: Path) -> None:
    """Refuse a target that is a symlink, or whose folder leads out of ``construction/design/``."""
    design = construction.design_dir
    display = construction.display(path)
    if path.is_symlink():
        raise WriteError(
            "is a symbolic link; cgplan writes only regular files in design/",
            file=display,
            hint="remove the link and run again",
        )
    if design.is_symlink() and not _inside(design.resolve(), construction.dir.resolve()):
        raise WriteError(
            "design/ is a symbolic link leading out of construction/",
            file=construction.display(design),
            hint="make design/ a real folder",
        )
    parent = path.parent
    probe = parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not _inside(probe.resolve(), design.resolve() if design.exists() else construction.dir.resolve()):
        raise WriteError(
            "folder leads out of construction/design/ (through a symbolic link)",
            file=construction.display(parent),
            hint="make it a real folder inside design/",
        )


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def atomic_write(path: Path, text: str, *, display: str | None = None, sync: bool = True) -> None:
    """Write ``text`` to ``path`` all at once: a crash leaves the old file intact and no temp file.

    ``sync=False`` skips the ``fsync`` before the rename; the caller then owes one
    :func:`flush` of the files it wrote (a killed process still leaves the old
    file or the complete new one: the kernel holds what was written).
    """
    display = display or str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"cannot create folder: {exc.strerror or exc}", file=display, hint="check permissions"
        ) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    except OSError as exc:
        raise WriteError(
            f"cannot write in this folder: {exc.strerror or exc}; nothing was changed",
            file=display,
            hint="make the folder writable",
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
        if path.exists():
            try:
                os.chmod(tmp, path.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise WriteError(
                f"cannot write file: {exc.strerror or exc}; nothing was changed",
                file=display,
                hint="check permissions and free space",
            ) from None
        raise


def flush(paths: list[Path], *, display=None) -> None:
    """Make files written with ``sync=False`` durable: ``fsync`` each, then each folder holding them once.

    One flush after many writes costs about what one ``fsync`` does: the first
    call commits the file system's journal for all of them, the rest only wait
    for data already on its way. Raises :class:`WriteError` if the disk refuses.
    """
    display = display or str
    folders: dict[str, Path] = {}
    for p in paths:
        _fsync(p, display(p))
        folders.setdefault(str(p.parent), p.parent)
    for d in folders.values():
        _fsync(d, display(d), folder=True)


def _fsync(path: Path, display: str, folder: bool = False) -> None:
    try:
        fd = os.open(path, (os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if folder else os.O_RDONLY)
    except OSError as exc:
        if folder:
            return  # some systems cannot open a folder for syncing; its files are on disk already
        raise WriteError(
            f"written, but cannot reopen it to flush it to disk: {exc.strerror or exc}",
            file=display,
            hint="check the disk, then run again",
        ) from None
    try:
        os.fsync(fd)
    except OSError as exc:
        if not folder or exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise WriteError(
                f"written, but the disk refused to flush it: {exc.strerror or exc}",
                file=display,
                hint="check the disk and free space, then run again",
            ) from None
    finally:
        os.close(fd)
