"""The batch task the flow submits: `clean_batch`, unless the run is stopping.

A module of its own, with nothing at module level: Dask ships this function to its workers by
value, with the module globals its code names, and the stop flag (a threading.Event, holding a
lock) cannot travel. So everything is imported inside, at call time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaners.settings import Settings
    from flows.run_state.batch import BatchSummary


def clean_batch_unless_stopped(
    raw: Path, clean: Path, chunk: list[str], settings: Settings, learned: dict[str, frozenset[str]]
) -> BatchSummary | None:
    """`clean_batch`, or None when the run is stopping. A clean folder that cannot be written
    (full disk, read-only) stops the run instead of failing batch after batch, retries and all."""
    from flows.orchestration import stopping
    from flows.run_state.batch import clean_batch

    if stopping.STOP.is_set():
        return None
    try:
        return clean_batch(raw, clean, chunk, settings, learned)
    except Exception as exc:
        if stopping.is_write_error(exc):
            stopping.request_stop(f"cannot write the clean folder {clean}: {exc.strerror or exc}")
        if stopping.STOP.is_set():  # includes the worker pool shut down under this batch
            return None
        raise
