"""`jianggao run`: start the temporary server and the workers, run the flow, say how it went.

Everything a user sees of a run's end lives here: the summary, the one line for each error a
user can act on, and the exit statuses (`EXIT_CODES`). Prefect is imported only once the run
starts, after quiet, offline-friendly defaults are set.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import logging
import os
import shlex
import sys
import time
from pathlib import Path

from flows.orchestration.stopping import EXIT_SIGNAL


def quiet_prefect(verbose: bool) -> None:
    """Defaults for an embedded, offline Prefect; a user's own environment still wins."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "INFO" if verbose else "ERROR")  # to its log
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "info" if verbose else "warning")
    if not verbose:
        # "Still processing items: 2 items remaining...": Prefect's event sender, flushing its
        # last events at exit as it should; nothing the user can act on.
        logging.getLogger("EventsWorker").setLevel(logging.ERROR)


def _skip_final_collection() -> None:
    """Freeze the heap as the process exits. The interpreter's last garbage collection would
    otherwise walk every object Prefect made (half a second or more here) just before the
    operating system takes all the memory back anyway."""
    gc.freeze()


EXIT_CODES = """exit status: 0 done (refused inputs included), 1 unexpected error, 2 usage (a folder
missing or the clean folder is the raw folder), 3 another run holds the clean folder, 4 the
clean folder cannot be written (full disk, read-only), 5 the configured Prefect server does not
answer, 130 stopped by Ctrl-C (SIGINT), 143 stopped by SIGTERM"""


def cmd_run(args: argparse.Namespace) -> int:
    atexit.register(_skip_final_collection)  # registered first, so it runs last
    started = time.monotonic()
    raw, clean = Path(args.raw_dir), Path(args.clean_dir)
    if not raw.is_dir():
        return _fail(f"raw folder not found: {raw}", 2)
    if clean.resolve() == raw.resolve():
        return _fail(f"the clean folder must not be the raw folder itself: {clean}", 2)
    from flows.orchestration import stopping
    from flows.run_state.state import CleanFolderBusy, CleanFolderLock

    lock = CleanFolderLock(clean)
    try:  # before anything slow starts: a second run on this folder is refused at once
        lock.__enter__()
    except CleanFolderBusy as exc:
        return _fail(str(exc), 3)
    except OSError as exc:
        return _fail(f"cannot write the clean folder {clean}: {exc.strerror or exc}", 4)
    stopping.arm()
    try:
        return _run(args, raw, clean, started)
    except KeyboardInterrupt as exc:
        why = str(exc) or "SIGINT"
        stopping.say_ended_before_work(why)
        return EXIT_SIGNAL.get(why, 130)
    except Exception as exc:
        if args.verbose:
            raise
        return _fail(f"{type(exc).__name__}: {exc} (run again with --verbose for the traceback)", 1)
    finally:
        lock.__exit__()


def _fail(message: str, status: int) -> int:
    print(f"jianggao: {message}", file=sys.stderr)
    return status


def _run(args: argparse.Namespace, raw: Path, clean: Path, started: float) -> int:
    quiet_prefect(args.verbose)
    from flows.startup.embedded import EmbeddedServer, server_answers
    from flows.startup.prefect_config import configured_api_url
    from flows.startup.workers import start_workers, stop_workers

    configured = configured_api_url()
    server = EmbeddedServer(quiet=not args.verbose) if configured is None else None
    if server:
        server.start()
        # atexit runs last-registered first: registered before Prefect is imported, the server
        # stops only after Prefect has flushed its logs and events to it.
        atexit.register(server.stop)
    else:
        from prefect.settings import PREFECT_API_URL

        url = PREFECT_API_URL.value() or configured
        if not server_answers(url):
            where = "environment" if os.environ.get("PREFECT_API_URL") else "Prefect settings"
            undo = (
                "env -u PREFECT_API_URL jianggao run ..."
                if where == "environment"
                else "remove it (prefect config unset PREFECT_API_URL, or from .env or prefect.toml)"
            )
            return _fail(
                f"the Prefect server at {url} (PREFECT_API_URL, set in your {where}) does not answer; "
                f"start it (prefect server start), or run on a temporary server of its own: {undo}",
                5,
            )
    workers = args.workers or os.cpu_count() or 1
    try:
        if args.runner == "thread":  # only thread-run batches reach this process's pool
            start_workers(workers)
        return _run_flow(args, raw, clean, workers, server, started)
    except KeyboardInterrupt:  # while starting: no work is under way, end the workers at once
        stop_workers(now=True)
        raise
    finally:
        stop_workers()


def _run_flow(args: argparse.Namespace, raw: Path, clean: Path, workers: int, server, started: float) -> int:
    from flows.orchestration.clean_corpus import clean_corpus
    from flows.orchestration.runners import make_task_runner
    from flows.run_state.report import render_text
    from flows.startup.embedded import import_engine_modules, without_heartbeats

    if server:
        import_engine_modules()
        server.wait_ready()
    runner = make_task_runner(args.runner, args.address, workers)
    # Prefect's modules and settings live as long as the process: frozen, the run's own
    # collections skip them (each full one walked them all, a tenth of a second). Unfrozen
    # after, for a caller that goes on in this process (`main` is callable from Python).
    gc.freeze()
    try:
        with without_heartbeats() if server else contextlib.nullcontext():
            report = clean_corpus.with_options(task_runner=runner)(
                raw_dir=str(raw),
                clean_dir=str(clean),
                force=args.force,
                prune=args.prune,
                batch_size=args.batch_size,
                max_bytes=args.max_bytes,
            )
    finally:
        gc.unfreeze()
    print(render_text(report, time.monotonic() - started))
    stopped = report.get("stopped")
    if not stopped:
        print(f"records in {clean}/, report in {clean}/_jianggao/report.md")
        return 0
    again = f"jianggao run {shlex.quote(str(raw))} {shlex.quote(str(clean))}"
    if stopped in EXIT_SIGNAL:
        left = report.get("unfinished", 0)
        print(f"jianggao: stopped by {stopped}; finished inputs are saved. To clean the other {left}:")
        print(f"  {again}")
        return EXIT_SIGNAL[stopped]
    saved = "" if report.get("manifest_saved", True) else " (the manifest could not be saved either)"
    return _fail(f"stopped: {stopped}{saved}; free space or fix the folder, then: {again}", 4)
