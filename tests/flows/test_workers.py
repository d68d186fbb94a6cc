"""Batches fanned out over the warm worker pool clean exactly as in-process, within a deadline."""

import shutil
import subprocess
import sys
from concurrent.futures import TimeoutError as FuturesTimeout
from pathlib import Path

import pytest

from cleaners.settings import Settings
from flows.run_state.batch import clean_batch
from flows.run_state.discover import discover
from flows.startup.workers import start_workers, stop_workers, worker_pool

SAMPLES = Path(__file__).resolve().parents[2] / "raw"


@pytest.fixture(scope="module")
def pool():
    start_workers(2)
    yield worker_pool()
    stop_workers()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_pool_and_in_process_records_are_byte_identical(pool, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLES, raw)
    inputs = discover(raw).inputs
    pooled = clean_batch(raw, tmp_path / "pooled", inputs, Settings())
    stop_workers()
    try:
        alone = clean_batch(raw, tmp_path / "alone", inputs, Settings())
    finally:
        start_workers(2)
    assert pooled.outcomes == alone.outcomes
    assert _tree(tmp_path / "pooled") == _tree(tmp_path / "alone") != {}


def test_a_batch_past_its_deadline_fails_so_prefect_can_retry_it(pool, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLES, raw)
    with pytest.raises(FuturesTimeout):
        clean_batch(raw, tmp_path / "clean", discover(raw).inputs, Settings(batch_timeout=1e-6))


def test_fork_server_preload_cleans_its_samples_through_every_stage():
    """The preload's two sample speeches (text and web page) must each come out as a record, or
    the stages' first-use loading is left to every worker's first input again."""
    probe = "import flows.startup.worker_preload as w; print(w.warm_up())"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"


def test_groups_cleaned_stage_by_stage_keep_records_and_order_whatever_their_size(tmp_path, monkeypatch):
    import flows.run_state.batch

    raw = tmp_path / "raw"
    shutil.copytree(SAMPLES, raw)
    (raw / "b-folder-named-like-a-file.txt").mkdir()  # unreadable, between readable inputs
    inputs = sorted(discover(raw).inputs + ["b-folder-named-like-a-file.txt"])
    running = worker_pool() is not None
    stop_workers()  # in this process, where the group size below applies
    try:
        together = clean_batch(raw, tmp_path / "together", inputs, Settings())
        monkeypatch.setattr(flows.run_state.batch, "LOCKSTEP_BYTES", 1)  # every input a group of its own
        alone = clean_batch(raw, tmp_path / "alone", inputs, Settings())
    finally:
        if running:
            start_workers(2)
    assert list(together.outcomes) == list(alone.outcomes) == inputs
    assert together.outcomes == alone.outcomes and list(together.sketches) == list(alone.sketches)
    assert together.outcomes["b-folder-named-like-a-file.txt"].refused.reason == "unreadable"
    assert _tree(tmp_path / "together") == _tree(tmp_path / "alone") != {}
