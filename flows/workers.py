"""A pool of warm worker processes that batches fan out to, so both cores clean.

Prefect pays tens of milliseconds per task run and its process task runner pays an interpreter
start-up per worker on top, so documents never become task runs of their own. Instead
`jianggao run` starts this pool once, as early as it can: a fork server loads the stages and
the keyword model once (`flows.worker_preload`) while Prefect's server is still booting, then
forks the workers from itself. A batch task maps its documents over the pool. Where no pool was
started (Dask workers, tests, --workers 1) batches clean in their own process.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import forkserver

_pool: ProcessPoolExecutor | None = None


def _ready() -> bool:
    return True


def start_workers(count: int) -> Executor | None:
    """Start `count` warm worker processes (none for a count below 2) and return the pool."""
    global _pool
    if count < 2 or _pool is not None:
        return _pool
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["flows.worker_preload"])
    _start_fork_server_deaf_to_ctrl_c()
    _pool = ProcessPoolExecutor(count, mp_context=context)
    # Each submit forks a worker, which waits for the fork server's preload: do that waiting
    # on a side thread so the caller goes on importing in parallel.
    threading.Thread(target=_spawn_all, args=(_pool, count), daemon=True).start()
    return _pool


def _start_fork_server_deaf_to_ctrl_c() -> None:
    """Start the fork server (and the resource tracker) with Ctrl-C blocked.

    Ctrl-C reaches every process of the terminal's group. Started with SIGINT blocked (a mask
    survives fork and exec), the fork server and the workers it forks never die of it mid-import
    with a traceback; `jianggao run` stops them itself. This process unblocks it at once, and a
    Ctrl-C pressed meanwhile is delivered then.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _spawn_all(pool: ProcessPoolExecutor, count: int) -> None:
    for _ in range(count):
        pool.submit(_ready)


def worker_pool() -> Executor | None:
    """The pool started by this process, if any."""
    return _pool


def stop_workers() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None
