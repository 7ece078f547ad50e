"""A papermill engine that runs each notebook on a kernel started ahead of time.

Starting a kernel costs most of a short notebook's run. In a batch worker the
next notebook's kernel is launched as soon as the current notebook starts, so
it boots while the current one executes. Every notebook still gets a fresh
kernel of its own; each is killed (not asked to quit) when its notebook is done.

Used only inside batch worker processes (imports papermill and jupyter_client).
"""

from __future__ import annotations

import multiprocessing.util

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


def launch(kernel: str, cwd: str) -> AsyncKernelManager:
    """Start a kernel process in ``cwd`` without waiting for it to be ready."""
    km = AsyncKernelManager(kernel_name=kernel)
    run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGS), cwd=cwd)
    return km


def kill(km: AsyncKernelManager) -> None:
    """Kill a kernel now and remove its connection file."""
    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
    except RuntimeError:
        pass
    finally:
        run_sync(km.cleanup_resources)()


def take(kernel: str, cwd: str, *, prepare_next: bool) -> AsyncKernelManager:
    """A started kernel for this notebook (the spare if it fits), launching the next spare if asked."""
    global _spare
    km = None
    if _spare is not None:
        key, spare = _spare
        _spare = None
        if key == (kernel, cwd) and run_sync(spare.is_alive)():
            km = spare
        else:
            kill(spare)
    if km is None:
        km = launch(kernel, cwd)
    if prepare_next:
        _spare = ((kernel, cwd), launch(kernel, cwd))
    return km


def drop_spare() -> None:
    """Kill the spare kernel, if any (at worker exit)."""
    global _spare
    if _spare is not None:
        kill(_spare[1])
        _spare = None


class WarmEngine(NBClientEngine):
    """nbclient engine that executes on a kernel manager passed in as ``km`` and kills it afterwards."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
        km = kwargs.pop("km")
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, km=km, **final)
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
            kill(km)


def install() -> None:
    """Register the engine and kill the spare kernel when this process exits."""
    papermill_engines.register(ENGINE, WarmEngine)
    multiprocessing.util.Finalize(None, drop_spare, exitpriority=10)
