"""A papermill engine that runs each notebook on a kernel cgplan starts and kills itself.

Starting a kernel costs a good part of a short notebook's run. A batch worker
holds at most one live kernel: when a notebook is done its kernel is killed
(not asked to quit) and, if the worker has another notebook coming, the next
kernel is launched at once, so it boots while the worker saves the finished
notebook and prepares the next one. Every notebook still gets a fresh kernel
of its own, and a worker never has two kernels alive, so ``--jobs N`` bounds
the live kernels to N.

Used only inside batch worker processes (imports papermill and jupyter_client).
"""

from __future__ import annotations

import multiprocessing.util
import os
import signal

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

ENGINE = "cgplan-warm"
#: Arguments every kernel gets: no start-up chatter on the terminal.
KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]

_spare: tuple[tuple[str, str], AsyncKernelManager] | None = None
#: Process ids of the kernels this process launched and has not killed yet.
_live: set[int] = set()


class KernelManager(AsyncKernelManager):
    """A kernel manager that notices a killed kernel is gone within milliseconds.

    jupyter_client polls a dying kernel every 100 ms; a SIGKILLed process is
    gone almost at once, so the batch would wait most of that for nothing.
    """

    async def _async_wait(self, pollinterval: float = 0.005) -> None:
        await super()._async_wait(pollinterval=pollinterval)


def launch(kernel: str, cwd: str) -> AsyncKernelManager:
    """Start a kernel process in ``cwd`` without waiting for it to be ready."""
    km = KernelManager(kernel_name=kernel)
    run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGS), cwd=cwd)
    km.cgplan_pid = getattr(km.provisioner, "pid", None)
    if km.cgplan_pid:
        _live.add(km.cgplan_pid)
    km.cgplan_key = (kernel, cwd)  # what it was launched for, so the next one can be launched the same way
    return km


def kill(km: AsyncKernelManager) -> None:
    """Kill a kernel now, wait until its process is gone, and remove its connection file."""
    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
    except RuntimeError:
        pass
    finally:
        _live.discard(getattr(km, "cgplan_pid", None))
        run_sync(km.cleanup_resources)()


def kill_all_now() -> None:
    """SIGKILL every kernel this process launched (each leads its own session) without waiting.

    For a worker whose batch is gone: it must not let a kernel go on writing plans.
    """
    for pid in list(_live):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def take(kernel: str, cwd: str) -> AsyncKernelManager:
    """A started kernel for this notebook: the spare launched after the last one if it fits, else a new one."""
    global _spare
    if _spare is not None:
        key, spare = _spare
        _spare = None
        if key == (kernel, cwd) and run_sync(spare.is_alive)():
            return spare
        kill(spare)
    return launch(kernel, cwd)


def release(km: AsyncKernelManager, *, prepare_next: bool) -> None:
    """Kill a notebook's kernel; then, if asked, launch the next notebook's (never two alive at once)."""
    global _spare
    key = getattr(km, "cgplan_key", None)
    kill(km)
    if prepare_next and key is not None and _spare is None:
        _spare = (key, launch(*key))


def drop_spare() -> None:
    """Kill the spare kernel, if any (at worker exit)."""
    global _spare
    if _spare is not None:
        kill(_spare[1])
        _spare = None


class WarmEngine(NBClientEngine):
    """nbclient engine that executes on a kernel manager passed in as ``km`` and releases it afterwards.

    ``prepare_next=True`` launches the next notebook's kernel as soon as this one is dead.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        km = kwargs.pop("km")
        prepare_next = kwargs.pop("prepare_next", False)
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, km=km, **final)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
            release(km, prepare_next=prepare_next)


def install() -> None:
    """Register the engine and kill the spare kernel when this process exits."""
    papermill_engines.register(ENGINE, WarmEngine)
    multiprocessing.util.Finalize(None, drop_spare, exitpriority=10)
