"""The `clean_corpus` Prefect flow: raw folder in, speech records and a run report out.

The flow only orchestrates: it lists inputs, cuts them into batches (one task run per batch,
never per document: a task run costs Prefect tens of milliseconds), lets the batches learn and
clean, writes the report and publishes it as an artifact. All text work is in `cleaners/`.
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from cleaners.settings import Settings
from flows.batch import BatchSummary, batches, clean_batch, discover_inputs
from flows.report import render_markdown, report_data, write_report
from flows.state import CleanFolderLock

clean_batch_task = task(
    clean_batch,
    name="clean-batch",
    retries=2,
    retry_delay_seconds=[2, 10],
    timeout_seconds=900,
    cache_policy=NO_CACHE,
)


@flow(name="clean_corpus", log_prints=False)
def clean_corpus(
    raw_dir: str = "raw",
    clean_dir: str = "clean",
    batch_size: int = 64,
    max_bytes: int = Settings.max_bytes,
    keywords: int = Settings.keywords,
) -> dict:
    """Clean every file under `raw_dir` into YAML speech records under `clean_dir`.

    Returns the run report (also written to `clean_dir/_jianggao/report.{yaml,md}` and
    published as the `jianggao-run-report` artifact).
    """
    started = time.perf_counter()
    settings = Settings(max_bytes=max_bytes, keywords=keywords, batch_size=batch_size)
    raw, clean = Path(raw_dir).resolve(), Path(clean_dir).resolve()
    if not raw.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw}")
    with CleanFolderLock(clean):
        inputs = discover_inputs(raw)
        summary = _clean_all(raw, clean, inputs, settings)
        report = report_data(summary, seconds=time.perf_counter() - started)
        write_report(clean, report)
    create_markdown_artifact(render_markdown(report), key="jianggao-run-report")
    return report


def _clean_all(raw: Path, clean: Path, inputs: list[str], settings: Settings) -> BatchSummary:
    """Run the batches concurrently; a batch that still fails after retries refuses its inputs."""
    chunks = list(batches(inputs, settings.batch_size))
    futures = [clean_batch_task.submit(raw, clean, chunk, settings) for chunk in chunks]
    summary = BatchSummary()
    for chunk, future in zip(chunks, futures, strict=True):
        result = future.result(raise_on_failure=False)
        if isinstance(result, BatchSummary):
            summary.merge(result)
        else:
            failed = BatchSummary(inputs=len(chunk))
            failed.refused = {p: f"batch_failed: {result!r}" for p in chunk}
            summary.merge(failed)
    return summary
