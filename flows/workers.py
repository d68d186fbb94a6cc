"""A pool of warm worker processes that batches fan out to, so both cores clean.

Prefect pays tens of milliseconds per task run and its process task runner pays an interpreter
start-up per worker on top, so documents never become task runs of their own. Instead
`jianggao run` starts this pool once, as early as it can: a forkserver that has already
imported the cleaning stages forks the workers, and each worker loads jieba's dictionary while
Prefect's server is still booting. A batch task then maps its documents over the pool. Where no
pool was started (Dask workers, tests, --workers 1) batches clean in their own process.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor

_pool: ProcessPoolExecutor | None = None


def _warm_up() -> None:
    """Load what the first document would otherwise wait for."""
    from cleaners.keywords import load_model

    load_model()


def _ready() -> bool:
    return True


def start_workers(count: int) -> Executor | None:
    """Start `count` warm worker processes (none for a count below 2) and return the pool."""
    global _pool
    if count < 2 or _pool is not None:
        return _pool
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["cleaners.pipeline"])
    _pool = ProcessPoolExecutor(count, mp_context=context, initializer=_warm_up)
    for _ in range(count):
        _pool.submit(_ready)
    return _pool


def worker_pool() -> Executor | None:
    """The pool started by this process, if any."""
    return _pool


def stop_workers() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None
