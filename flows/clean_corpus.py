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
from prefect.futures import as_completed

from cleaners.records import remove_stale_temp_files
from cleaners.settings import Settings
from cleaners.site_memory import SiteMemory
from flows.batch import BatchSummary, Outcome, batches, clean_batch, discover_inputs, learn_batch
from flows.manifest import Manifest, pipeline_fingerprint
from flows.plan import (
    RunPlan,
    load_site_memory,
    plan_run,
    restale_changed_sites,
    rules_digest,
    save_site_memory,
    update_manifest,
)
from flows.report import render_markdown, report_data, write_report
from flows.state import CleanFolderLock

# Batches time out on the worker pool (Settings.batch_timeout): Prefect's own task timeout
# cannot interrupt a task that runs in a worker thread, and warns so on every batch.
_TASK_OPTIONS = {"retries": 2, "retry_delay_seconds": [2, 10], "cache_policy": NO_CACHE}
learn_batch_task = task(learn_batch, name="learn-batch", **_TASK_OPTIONS)
clean_batch_task = task(clean_batch, name="clean-batch", **_TASK_OPTIONS)


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
    settings = Settings(max_bytes=max_bytes, keywords=keywords, batch_size=batch_size)
    raw, clean = Path(raw_dir).resolve(), Path(clean_dir).resolve()
    if not raw.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw}")
    with CleanFolderLock(clean):
        remove_stale_temp_files(clean)  # safe: the lock means no other run is writing
        manifest = Manifest.load(clean)
        fingerprint = pipeline_fingerprint(settings)
        plan = plan_run(raw, clean, discover_inputs(raw), manifest, fingerprint, force)
        memory = load_site_memory(clean)
        learned = _learn_sites(raw, plan, settings, memory)
        rules = {site: rules_digest(lines) for site, lines in learned.items()}
        restale_changed_sites(plan, manifest, rules)
        summary = _clean_all(raw, clean, plan, settings, learned)
        deleted = update_manifest(clean, manifest, summary, plan.gone, prune)
        manifest.pipeline, manifest.site_rules = fingerprint, rules
        manifest.save(clean)
        save_site_memory(clean, memory)
        report = report_data(summary, manifest, plan, deleted, time.perf_counter() - started)
        write_report(clean, report)
    create_markdown_artifact(render_markdown(report), key="jianggao-run-report")
    return report


def _learn_sites(
    raw: Path, plan: RunPlan, settings: Settings, memory: SiteMemory
) -> dict[str, frozenset[str]]:
    """Observe the inputs to clean, add them to the memory, and return each site's learned lines."""
    futures = [
        learn_batch_task.submit(raw, chunk, settings) for chunk in batches(plan.todo, settings.batch_size)
    ]
    for future in futures:
        result = future.result(raise_on_failure=False)
        if isinstance(result, tuple):
            seen, sites = result
            memory.merge(seen)
            plan.sites.update(sites)
    return {site: memory.learned(site) for site in set(plan.sites.values())}


def _clean_all(
    raw: Path, clean: Path, plan: RunPlan, settings: Settings, learned: dict[str, frozenset[str]]
) -> BatchSummary:
    """Run the batches concurrently; a batch that still fails after retries refuses its inputs."""
    chunks = {
        clean_batch_task.submit(raw, clean, chunk, settings, *_site_rules_for(chunk, plan, learned)): chunk
        for chunk in batches(plan.todo, settings.batch_size)
    }
    summary = BatchSummary()
    progress = create_progress_artifact(0.0, key="jianggao-progress", description="inputs cleaned")
    for done, future in enumerate(as_completed(list(chunks)), start=1):
        result = future.result(raise_on_failure=False)
        if not isinstance(result, BatchSummary):
            result = BatchSummary({p: Outcome(refused=f"batch_failed: {result!r}") for p in chunks[future]})
        summary.merge(result)
        update_progress_artifact(progress, 100.0 * done / len(chunks))
        _show_progress(len(summary.outcomes), len(plan.todo))
    return summary


def _site_rules_for(
    chunk: list[str], plan: RunPlan, learned: dict[str, frozenset[str]]
) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """The learned lines and sites of one batch's inputs only: Prefect walks every task
    parameter looking for futures, so handing each batch the whole run's maps costs O(n²)."""
    sites = {p: plan.sites[p] for p in chunk if p in plan.sites}
    return {s: learned[s] for s in set(sites.values()) if s in learned}, sites


def _show_progress(done: int, total: int) -> None:
    """A one-line progress bar on an interactive terminal; nothing in logs or pipes."""
    if sys.stderr.isatty() and total:
        filled = 30 * done // total
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} inputs", end=end, file=sys.stderr)
