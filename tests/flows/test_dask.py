"""The flow on a temporary local Dask cluster writes the same records as the thread runner."""

import hashlib
import shutil
from pathlib import Path

import psutil
import pytest

from flows.orchestration.runners import local_cluster_options, make_task_runner

SAMPLES = Path(__file__).resolve().parents[2] / "raw"


def _record_digests(clean: Path) -> dict[str, str]:
    """Every file under `clean` but the run state in `_jianggao/`, by relative path."""
    return {
        p.relative_to(clean).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(clean.rglob("*"))
        if p.is_file() and p.relative_to(clean).parts[0] != "_jianggao"
    }


def _children() -> set[int]:
    """Child processes of this one, but multiprocessing's resource tracker, which lives as long
    as its parent once a process pool (here, the Dask nannies') has started it."""
    return {
        child.pid
        for child in psutil.Process().children(recursive=True)
        if "multiprocessing.resource_tracker" not in " ".join(_cmdline(child))
    }


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:
        return []


def test_local_cluster_stays_on_loopback_without_a_dashboard():
    options = local_cluster_options(2)
    assert options["host"] == "127.0.0.1"
    assert options["dashboard_address"] is None
    assert make_task_runner("dask", workers=2).cluster_kwargs == options


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory):
    from flows.orchestration.clean_corpus import clean_corpus

    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(SAMPLES, raw, dirs_exist_ok=True)
    reference, on_dask = tmp_path_factory.mktemp("thread"), tmp_path_factory.mktemp("dask")
    # Batches of 2 give the two workers three clean-batch tasks to share.
    thread_report = clean_corpus.with_options(task_runner=make_task_runner("thread", workers=2))(
        raw_dir=str(raw), clean_dir=str(reference), batch_size=2
    )
    before = _children()
    dask_report = clean_corpus.with_options(task_runner=make_task_runner("dask", workers=2))(
        raw_dir=str(raw), clean_dir=str(on_dask), batch_size=2
    )
    leftover = _leftover_children(before)
    return reference, on_dask, thread_report, dask_report, leftover


def _leftover_children(before: set[int], timeout: float = 10.0) -> set[str]:
    """Children started since `before` that are still alive after `timeout` seconds."""
    new = []
    for pid in _children() - before:
        try:
            new.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            continue
    _, alive = psutil.wait_procs(new, timeout=timeout)
    return {" ".join(_cmdline(proc)) or str(proc.pid) for proc in alive}


def test_dask_records_match_the_thread_runner_byte_for_byte(runs):
    reference, on_dask, *_ = runs
    expected = _record_digests(reference)
    assert len(expected) == 5
    assert _record_digests(on_dask) == expected


def test_dask_report_matches_apart_from_timing(runs):
    *_, thread_report, dask_report, _ = runs
    for key in ("inputs", "speeches", "refused"):
        assert dask_report[key] == thread_report[key]


def test_local_cluster_shuts_down_with_the_flow(runs):
    *_, leftover = runs
    assert not leftover
