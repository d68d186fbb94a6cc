"""Where batch tasks run: threads, local processes, or a Dask cluster (prefect-dask).

Runners only decide where work runs; every runner cleans the same batches with the same code, so
the records are byte-identical whichever is chosen.
"""

from __future__ import annotations

import os

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

RUNNERS = ("process", "thread", "dask")


def make_task_runner(
    name: str = "process", address: str | None = None, workers: int | None = None
) -> TaskRunner:
    """A task runner by name.

    `process` (default) uses every core for the CPU-bound cleaning; `thread` keeps everything in
    one process (handy for debugging); `dask` runs on the cluster at `address`, or on a
    temporary local cluster of `workers` processes when no address is given.
    """
    workers = workers or os.cpu_count() or 1
    if name == "thread":
        return ThreadPoolTaskRunner(max_workers=workers)
    if name == "process":
        return ProcessPoolTaskRunner(max_workers=workers)
    if name == "dask":
        from prefect_dask import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs=local_cluster_options(workers))
    raise ValueError(f"unknown runner {name!r}; choose one of {', '.join(RUNNERS)}")


def local_cluster_options(workers: int) -> dict:
    """Options of the temporary local Dask cluster: `workers` single-threaded processes that
    listen on loopback only, with no dashboard (it would bind port 8787 on every interface)."""
    return {
        "n_workers": workers,
        "threads_per_worker": 1,
        "processes": True,
        "host": "127.0.0.1",
        "dashboard_address": None,
    }
