"""Share a big job with helper processes on the other processors.

Loading a large folder and building hundreds of plans are pure Python work,
so one process uses one processor. For big jobs only, cgplan hands a share to
helper processes (``python -m cgplan.workers``, the same interpreter and the
same cgplan), does its own share meanwhile and collects theirs. The result is
the same as doing everything in one process:

- a helper gets its input as a pickle on its standard input and answers with a
  pickle on its standard output; it prints nothing and never writes a file;
- if a helper cannot start, fails, or answers with anything unexpected, its
  share is simply done again here, so an error in the documents surfaces
  exactly as it would without helpers (same message, same order);
- helpers are plain subprocesses, not :mod:`multiprocessing`: a script that
  calls cgplan needs no ``if __name__ == "__main__":`` guard, and notebooks work.

``CGPLAN_JOBS`` sets how many processes may work at once (default: the
processors this process may use, at most :data:`MAX_JOBS`); ``CGPLAN_JOBS=1``
keeps everything in one process.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

MAX_JOBS = 4
"""Most processes used by default."""

_OK = "cgplan-worker-ok"


def usable_cpus() -> int:
    """The processors this process may run on: its affinity mask where the system has one, else the CPU count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def jobs() -> int:
    """Processes that may work at once: ``CGPLAN_JOBS`` if set to a positive number, else the usable processors (at most :data:`MAX_JOBS`)."""
    raw = os.environ.get("CGPLAN_JOBS", "").strip()
    if raw:
        try:
            n = int(raw)
        except ValueError:
            n = 0
        if n >= 1:
            return n
    return min(usable_cpus(), MAX_JOBS)


class Share:
    """One helper process working on ``func(*args)``; :meth:`result` collects it."""

    def __init__(self, func: str, *args):
        self._proc: subprocess.Popen | None = None
        self._feeder: threading.Thread | None = None
        self._error: BaseException | None = None
        try:
            payload = pickle.dumps((func, args), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # not picklable: no helper, the caller does the work
            self._error = exc
            return
        here = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = here + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["CGPLAN_JOBS"] = "1"  # a helper never starts helpers of its own
        env["CGPLAN_WORKER_PARENT"] = str(os.getpid())
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "cgplan.workers"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError as exc:
            self._error = exc
            return
        # feed the input from a thread: the pipe holds 64 KB, the caller goes on with its own share
        self._feeder = threading.Thread(target=self._feed, args=(payload,), name="cgplan-worker-feed", daemon=True)
        self._feeder.start()

    def _feed(self, payload: bytes) -> None:
        try:
            with self._proc.stdin:
                self._proc.stdin.write(payload)
        except OSError as exc:
            self._error = exc

    def result(self, default=None):
        """The helper's answer, or ``default`` if it failed (the caller then does the share itself)."""
        proc = self._proc
        if proc is None:
            return default
        try:
            from .gcpause import paused

            with paused():
                tag, value = pickle.load(proc.stdout)
            if proc.wait() != 0 or tag != _OK:
                return default
            if self._feeder is not None:
                self._feeder.join()
            return default if self._error is not None else value
        except Exception:
            return default
        finally:
            self.close()

    def close(self) -> None:
        """Stop the helper if it still runs (safe to call twice)."""
        proc = self._proc
        if proc is None:
            return
        self._proc = None
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def split(items: list, parts: int) -> list[list]:
    """``items`` cut into ``parts`` contiguous runs of near-equal length (the first the shortest)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        n = size + (1 if i >= parts - extra else 0)
        out.append(items[start : start + n])
        start += n
    return out


def _resolve(func: str):
    module, _, name = func.partition(":")
    if not module.startswith("cgplan."):
        raise ValueError(f"not a cgplan function: {func}")
    return getattr(importlib.import_module(module), name)


def _die_with_parent() -> bool:
    """Ask Linux to kill this helper when its parent dies; ``False`` if the parent is gone already."""
    parent = os.environ.get("CGPLAN_WORKER_PARENT", "")
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except Exception:
            pass
    return not parent.isdigit() or os.getppid() == int(parent)


def main() -> int:
    """Helper process: read ``(function, args)``, run it, write the result."""
    from .gcpause import paused

    if not _die_with_parent():
        return 1
    try:
        with paused():
            func, args = pickle.load(sys.stdin.buffer)
            value = _resolve(func)(*args)
        del args  # the input can go before the answer is written
        # streamed in frames, not built whole first (an answer can be tens of MB); a helper
        # that fails half-way exits non-zero, and the caller ignores what it wrote
        pickle.dump((_OK, value), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.flush()
    except BaseException:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
