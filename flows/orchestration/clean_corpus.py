"""The `clean_corpus` Prefect flow: raw folder in, speech records and a run report out.

The flow only orchestrates. It lists inputs and skips those whose records are current, lets
batches learn each site's recurring lines, cleans the rest in batches (one task run per batch,
never per document: a task run costs Prefect tens of milliseconds), brings the manifest up to
date and publishes the report. All text work is in `cleaners/`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait

from cleaners.settings import Settings
from flows.orchestration.batch_task import clean_batch_unless_stopped
from flows.orchestration.stopping import (
    is_write_error,
    stop_reason,
    stop_requested,
    take_signals,
    work_saved,
)
from flows.run_state.batch import BatchSummary, Outcome, batches
from flows.run_state.clusters import BackgroundLinker, load_index, save_index, update_clusters
from flows.run_state.discover import discover
from flows.run_state.files import remove_stale_temp_files
from flows.run_state.learning import SiteLedger, learning_waves
from flows.run_state.manifest import Manifest, pipeline_fingerprint
from flows.run_state.plan import (
    load_site_memory,
    plan_run,
    restale_changed_sites,
    rules_digest,
    save_site_memory,
    update_manifest,
)
from flows.run_state.report import render_markdown, report_data, write_report
from flows.run_state.state import CleanFolderLock
from flows.startup.workers import stop_workers

# Batches time out on the worker pool (Settings.batch_timeout): Prefect's own task timeout
# cannot interrupt a task that runs in a worker thread, and warns so on every batch.
_TASK_OPTIONS = {
    "retries": 2,
    "retry_delay_seconds": [2, 10],
    "cache_policy": NO_CACHE,
}
clean_batch_task = task(clean_batch_unless_stopped, name="clean-batch", **_TASK_OPTIONS)


@flow(name="clean_corpus", log_prints=False)
def clean_corpus(
    raw_dir: str = "raw",
    clean_dir: str = "clean",
    force: bool = False,
    prune: bool = False,
    batch_size: int = Settings.batch_size,
    max_bytes: int = Settings.max_bytes,
    keywords: int = Settings.keywords,
) -> dict:
    """Clean new and changed files under `raw_dir` into YAML speech records under `clean_dir`.

    `force` cleans every input again; `prune` deletes the records of inputs that disappeared.
    Returns the run report (also in `clean_dir/_jianggao/report.{yaml,md}` and published as
    the `jianggao-run-report` artifact).
    """
    started = time.perf_counter()
    take_signals()
    settings = Settings(max_bytes=max_bytes, keywords=keywords, batch_size=batch_size)
    raw, clean = Path(raw_dir).resolve(), Path(clean_dir).resolve()
    if not raw.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw}")
    with CleanFolderLock(clean):
        remove_stale_temp_files(clean)  # safe: the lock means no other run is writing
        manifest = Manifest.load(clean)
        fingerprint = pipeline_fingerprint(settings)
        found = discover(raw, exclude=clean)
        plan = plan_run(raw, clean, found.inputs, manifest, fingerprint, force)
        ledger = SiteLedger(load_site_memory(clean))
        linker = BackgroundLinker(load_index(clean))
        progress = _Progress(len(plan.todo))
        summary = BatchSummary()
        for wave in learning_waves(plan.todo, settings.batch_size):
            if stop_requested():
                break
            learned = ledger.snapshot()
            summary.merge(_clean_all(raw, clean, wave, settings, learned, progress, linker, ledger))
        plan.sites.update({p: o.site for p, o in summary.outcomes.items() if o.site})
        learned = ledger.learned(set(plan.sites.values()))
        rules = {site: rules_digest(lines) for site, lines in learned.items()}
        again = ledger.cleaned_with_other_lines(learned) + restale_changed_sites(plan, manifest, rules)
        if again and not stop_requested():
            relearned = {site: lines for site, lines in learned.items() if lines}
            summary.merge(_clean_all(raw, clean, again, settings, relearned, _Progress(len(again)), linker))
        stopped = stop_reason()
        if stopped:
            _forget_unfinished(manifest, summary, plan.todo, again)
            remove_stale_temp_files(clean)  # staged by batches that never published
        deleted = update_manifest(clean, manifest, summary, plan.gone, prune and not stopped)
        clusters = update_clusters(clean, manifest, summary.sketches, linker.finish())
        manifest.pipeline, manifest.site_rules = fingerprint, rules
        report = report_data(summary, manifest, plan, deleted, time.perf_counter() - started)
        report.update(stopped=stopped or None, unreadable_folders=found.unreadable)
        try:
            save_index(clean, clusters)  # before the manifest, which names its clusters
            manifest.save(clean)
            save_site_memory(clean, ledger.memory)
            write_report(clean, report)
        except OSError as exc:
            if not is_write_error(exc):
                raise
            report["stopped"] = stopped or f"cannot write the clean folder {clean}: {exc.strerror}"
            report["manifest_saved"] = False
            remove_stale_temp_files(clean)
        work_saved()
    create_markdown_artifact(render_markdown(report), key="jianggao-run-report")
    return report


def _forget_unfinished(manifest: Manifest, summary: BatchSummary, todo: list[str], again: list[str]) -> None:
    """On a stop, keep in the manifest only what is finished as an uninterrupted run would leave it.

    An input to clean that did not finish, or was cleaned with lines its site has learned
    since (`again`), loses its manifest entry, so the rerun cleans it; its old records stay
    until then.
    """
    for path in again:
        summary.outcomes.pop(path, None)
        summary.removals.pop(path, None)
        manifest.entries.pop(path, None)
    for path in todo:
        if path not in summary.outcomes:
            manifest.entries.pop(path, None)


def _clean_all(
    raw: Path,
    clean: Path,
    inputs: list[str],
    settings: Settings,
    learned: dict[str, frozenset[str]],
    progress: _Progress,
    linker: BackgroundLinker,
    ledger: SiteLedger | None = None,
) -> BatchSummary:
    """Run the batches concurrently; a batch that still fails after retries refuses its inputs.

    Batch by batch in input order, however the batches finish, their new records go to the
    `linker` and, with a `ledger`, what the inputs show of their sites is counted.
    """
    chunks = list(batches(inputs, settings.batch_size))
    futures = [clean_batch_task.submit(raw, clean, chunk, settings, learned) for chunk in chunks]
    order = {future: index for index, future in enumerate(futures)}
    summary, finished, next_index = BatchSummary(), {}, 0
    pending = set(futures)
    while pending:
        # Polled, so a stop asked for by a signal or a full disk is noticed within a moment.
        done, pending = wait(pending, timeout=0.25)
        if stop_requested():
            stop_workers()  # lets the chunks being cleaned finish, cancels the rest
            done |= wait(pending, timeout=120).done
            pending = set()
        for future in sorted(done, key=order.__getitem__):
            index = order[future]
            result = future.result(raise_on_failure=False)
            if result is None or (stop_requested() and not isinstance(result, BatchSummary)):
                finished[index] = None  # stopped: not finished, the rerun cleans it
                continue
            if not isinstance(result, BatchSummary):
                why = Outcome.refusal("batch_failed", repr(result))
                result = BatchSummary({p: Outcome(refused=why) for p in chunks[index]})
            finished[index] = result
            progress.advance(len(chunks[index]))
        while next_index in finished or (stop_requested() and next_index < len(chunks)):
            part = finished.pop(next_index, None)
            next_index += 1
            if part is None:
                continue
            if ledger is not None:
                ledger.absorb(part.observed)
            part.observed.clear()  # counted; the run need not hold every input's lines
            linker.add(part.sketches)
            summary.merge(part)
    return summary


class _Progress:
    """A progress artifact in Prefect and a one-line bar on an interactive terminal."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.artifact = create_progress_artifact(0.0, key="jianggao-progress", description="inputs cleaned")

    def advance(self, count: int) -> None:
        self.done += count
        update_progress_artifact(self.artifact, 100.0 * self.done / max(1, self.total))
        _show_progress(self.done, self.total)


def _show_progress(done: int, total: int) -> None:
    """A one-line progress bar on an interactive terminal; nothing in logs or pipes."""
    if sys.stderr.isatty() and total:
        filled = 30 * done // total
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} inputs", end=end, file=sys.stderr)
