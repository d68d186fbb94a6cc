"""A pool of warm worker processes that batches fan out to, so both cores clean.

Prefect pays tens of milliseconds per task run and its process task runner pays an interpreter
start-up per worker on top, so documents never become task runs of their own. Instead
`jianggao run` starts this pool once, as early as it can: a fork server loads the stages and
the keyword model once (`flows.startup.worker_preload`) while Prefect's server is still booting, then
forks the workers from itself. A batch task maps its documents over the pool. Where no pool was
started (Dask workers, tests, --workers 1) batches clean in their own process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import forkserver, resource_tracker

_pool: ProcessPoolExecutor | None = None


def _ready() -> bool:
    return True


def start_workers(count: int) -> Executor | None:
    """Start `count` warm worker processes (none for a count below 2) and return the pool."""
    global _pool
    if count < 2 or _pool is not None:
        return _pool
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["flows.startup.worker_preload"])
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
    resource_tracker.ensure_running()  # first: it unblocks SIGINT after starting its own process
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _spawn_all(pool: ProcessPoolExecutor, count: int) -> None:
    try:
        for _ in range(count):
            pool.submit(_ready)
    except Exception:  # the run stopped while the workers started; nothing is lost
        return


def worker_pool() -> Executor | None:
    """The pool started by this process, if any."""
    return _pool


def stop_workers(now: bool = False) -> None:
    """Shut the pool down: chunks being cleaned finish, queued ones are cancelled. With `now`
    (a run stopped while starting, when no work is under way), the fork server and the workers
    are ended at once instead: otherwise the fork server, still loading, would fork workers
    for a pool that is gone, and each would die with a traceback."""
    global _pool
    if _pool is not None:
        if now:
            _end_processes(_pool)
        _pool.shutdown(wait=not now, cancel_futures=True)
        _pool = None


def _end_processes(pool: ProcessPoolExecutor) -> None:
    server = getattr(forkserver._forkserver, "_forkserver_pid", None)
    workers = [process.pid for process in (getattr(pool, "_processes", None) or {}).values()]
    for pid in [server, *workers]:
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
