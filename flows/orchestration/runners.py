"""Where batch tasks run: threads, local processes, or a Dask cluster (prefect-dask).

Prefect is imported only when a runner is made, so the command line can list the names cheaply.
Runners only decide where work runs; every runner cleans the same batches with the same code, so
the records are byte-identical whichever is chosen.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prefect.task_runners import TaskRunner

RUNNERS = ("thread", "process", "dask")


def make_task_runner(
    name: str = "thread", address: str | None = None, workers: int | None = None
) -> TaskRunner:
    """A task runner by name.

    `thread` (default) runs batch tasks in threads, each fanning its documents out over the warm
    worker pool `jianggao run` starts (flows/startup/workers.py); `process` runs each batch task in
    Prefect's process pool instead (an interpreter start per worker, no warm pool); `dask` runs
    on the cluster at `address`, or on a temporary local cluster of `workers` processes.
    """
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

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
