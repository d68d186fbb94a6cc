"""`jianggao run` as an operator meets it: Ctrl-C, SIGTERM, a full disk, a held lock, a server that
is down or cannot start, odd file names. Real runs of the real command (each pays Prefect's start-up), so they
are few: one interrupted run and its resume beside an uninterrupted reference, one SIGTERM run,
one Ctrl-C during start-up, one run on a full file system.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from test_crash_recovery import ENCODINGS, build_corpus, record_count, speech, tree_digest

ROOT = Path(__file__).resolve().parents[2]
GBK_NAME = "在全县安全生产会议上的讲话".encode("gbk") + b".txt"
GBK_FOLDER = "会议讲话".encode("gbk")


def corpus(raw: Path, count: int) -> None:
    """The crash test's synthetic speeches, plus a GBK-named file in a GBK-named folder."""
    build_corpus(raw, count)
    text = (raw / "site1" / "speech-001.txt").read_bytes()
    os.makedirs(os.fsencode(raw) + b"/" + GBK_FOLDER)
    Path(os.fsdecode(os.fsencode(raw) + b"/" + GBK_FOLDER + b"/" + GBK_NAME)).write_bytes(
        text.replace("第1篇".encode(), "第一篇".encode())
    )


def corpus_without_learning(raw: Path, count: int) -> None:
    """Synthetic speeches each in a folder of its own, so no site learns boilerplate from them:
    what a rerun must clean is then exactly what the stopped run did not finish."""
    rng = random.Random(5)
    for n in range(count):
        (raw / f"f{n:03d}").mkdir(parents=True)
        (raw / f"f{n:03d}" / "speech.txt").write_bytes(speech(rng, n).encode(ENCODINGS[n % len(ENCODINGS)]))
    (raw / "empty.txt").write_bytes(b"")
    os.makedirs(os.fsencode(raw) + b"/" + GBK_FOLDER)
    Path(os.fsdecode(os.fsencode(raw) + b"/" + GBK_FOLDER + b"/" + GBK_NAME)).write_bytes(
        speech(rng, count).encode("gbk")
    )


def start(raw: Path, clean: Path, home: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    """`jianggao run` in a session of its own (as a terminal's foreground job is)."""
    environ = dict(os.environ, CI="true", PREFECT_HOME=str(home), PYTHONPATH=str(ROOT))
    environ.pop("PREFECT_API_URL", None)
    environ.update(env or {})
    args = [sys.executable, "-m", "flows.cli", "run", str(raw), str(clean), "--batch-size", "8"]
    return subprocess.Popen(
        args + ["--workers", "2", *extra],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=ROOT,
    )


def descendants(pid: int) -> dict[int, bytes]:
    """Every live process below `pid` (whatever its session), with its command line."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found[child] = _cmdline(child)
                frontier.append(child)
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def survivors(procs: dict[int, bytes]) -> list[bytes]:
    """Those of `procs` still running (zombies waiting for their reaper are not running)."""
    alive = []
    for pid, cmdline in procs.items():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and _cmdline(pid) == cmdline:
            alive.append(cmdline)
    return alive


def wait_for(condition, proc: subprocess.Popen, limit: float = 240) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert proc.poll() is None, "the run ended too soon: " + proc.communicate()[1]
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.05)


def stop(proc: subprocess.Popen, signum: int, group: bool) -> tuple[str, str, list[bytes]]:
    """Send `signum` (to the whole group, as Ctrl-C does, or to the command alone, as `timeout`
    does); returns the output and the processes the run started that outlived it."""
    below = descendants(proc.pid)
    assert below, "the run has started no process yet"
    (os.killpg if group else os.kill)(proc.pid, signum)
    out, err = proc.communicate(timeout=60)  # "a few seconds"; a minute only to never hang
    time.sleep(0.5)  # the kernel reaps orphans shortly after
    return out, err, survivors(below)


def manifest(clean: Path) -> dict:
    return json.loads((clean / "_jianggao" / "manifest.json").read_text(encoding="utf-8"))


def report(clean: Path) -> dict:
    return yaml.safe_load((clean / "_jianggao" / "report.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    """A run stopped with Ctrl-C mid-way and resumed, beside an uninterrupted reference run."""
    base = tmp_path_factory.mktemp("ops")
    raw, reference, resumed = base / "raw", base / "reference", base / "resumed"
    corpus_without_learning(raw, 120)
    ref = start(raw, reference, base / "home-ref")
    victim = start(raw, resumed, base / "home-victim")
    wait_for(lambda: record_count(resumed) >= 40, victim)
    out, err, left = stop(victim, signal.SIGINT, group=True)
    stopped = {"rc": victim.returncode, "out": out, "err": err, "left": left, "report": report(resumed)}
    stopped["manifest"] = manifest(resumed)
    stopped["inodes"] = {p.relative_to(resumed).as_posix(): p.stat().st_ino for p in resumed.rglob("*.yaml")}
    ref_out, ref_err = ref.communicate(timeout=300)
    assert ref.returncode == 0, ref_out + ref_err
    rerun = start(raw, resumed, base / "home-victim")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out + err
    return raw, reference, resumed, stopped, report(resumed)


def test_ctrl_c_stops_the_run_and_everything_it_started(interrupted):
    _, _, _, stopped, _ = interrupted
    assert stopped["rc"] == 130, stopped["err"]
    assert stopped["left"] == []
    assert "Traceback" not in stopped["err"]
    assert stopped["err"].count("stopping after the inputs being cleaned now") == 1


def test_one_line_says_how_to_resume(interrupted):
    raw, _, resumed, stopped, _ = interrupted
    first = stopped["report"]
    assert first["stopped"] == "SIGINT" and first["unfinished"] > 0
    assert f"To clean the other {first['unfinished']}:" in stopped["out"]
    assert f"jianggao run {raw} {resumed}" in stopped["out"]
    summary = stopped["out"].splitlines()[0]
    assert f"{first['unfinished']} not finished" in summary


def test_the_rerun_cleans_only_what_was_not_finished(interrupted):
    """Every input the stopped run finished keeps its record files as they were; the rerun cleans
    the rest. (Where a site learns boilerplate, inputs cleaned before it learned it are cleaned
    again as on any rerun; this corpus has no such site, so the count is exact.)"""
    _, _, resumed, stopped, rerun = interrupted
    first, before = stopped["report"], stopped["manifest"]
    finished = first["cleaned"] + first["skipped_unchanged"] + len(first["refused"])
    assert 0 < finished == len(before["inputs"]) and first["unfinished"] > 0
    assert not any(manifest(resumed)["site_rules"].values())  # nothing learned: the premise
    for entry in before["inputs"].values():
        for rec in entry["records"]:
            assert (resumed / rec["file"]).stat().st_ino == stopped["inodes"][rec["file"]], rec["file"]
    newly_refused = len(rerun["refused"]) - len(first["refused"])
    assert rerun["skipped_unchanged"] == first["cleaned"] + first["skipped_unchanged"]
    assert rerun["cleaned"] + newly_refused == first["unfinished"]
    assert rerun["cleaned"] + rerun["skipped_unchanged"] + len(rerun["refused"]) == rerun["inputs"]


def test_resumed_records_equal_the_uninterrupted_run(interrupted):
    _, reference, resumed, _, _ = interrupted
    assert tree_digest(resumed, "*.yaml") == tree_digest(reference, "*.yaml")
    assert not list(resumed.rglob("*.tmp"))


def test_a_gbk_file_name_is_kept_losslessly(interrupted):
    raw, reference, _, _, _ = interrupted
    manifest = json.loads((reference / "_jianggao" / "manifest.json").read_text(encoding="utf-8"))
    exact = os.fsdecode(GBK_FOLDER + b"/" + GBK_NAME)
    assert exact in manifest["inputs"]  # the name as given, read back from JSON escapes
    (file,) = [r["file"] for r in manifest["inputs"][exact]["records"]]
    record = yaml.safe_load((reference / file).read_text(encoding="utf-8"))
    assert record["source"]["path"] == file.rsplit(".", 2)[0]
    assert "\\x" in record["source"]["path"] and record["source"]["path"].isprintable()
    from urllib.parse import unquote_to_bytes

    assert unquote_to_bytes(record["source"]["path_bytes"]) == GBK_FOLDER + b"/" + GBK_NAME
    assert sorted(report(reference)["refused"]) == ["empty.txt"]


def test_sigterm_from_a_scheduler_ends_the_run_and_all_it_started(tmp_path):
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    corpus(raw, 80)
    proc = start(raw, clean, tmp_path / "home")
    wait_for(lambda: record_count(clean) >= 3, proc)
    out, err, left = stop(proc, signal.SIGTERM, group=False)  # `timeout` signals the command only
    assert proc.returncode == 143, err
    assert left == []
    assert "Traceback" not in err
    assert report(clean)["stopped"] == "SIGTERM"
    assert "jianggao run" in out


def test_ctrl_c_during_start_up_prints_no_traceback(tmp_path):
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    corpus(raw, 4)
    proc = start(raw, clean, tmp_path / "home")
    wait_for(lambda: any(b"uvicorn" in c for c in descendants(proc.pid).values()), proc, 60)
    out, err, left = stop(proc, signal.SIGINT, group=True)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "jianggao: SIGINT" in err, err
    assert left == []
    assert record_count(clean) == 0


def test_a_second_run_on_a_held_clean_folder_is_refused_at_once(tmp_path):
    (tmp_path / "raw").mkdir()
    lock = tmp_path / "clean" / "_jianggao" / "lock"
    lock.parent.mkdir(parents=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = start(tmp_path / "raw", tmp_path / "clean", tmp_path / "home")
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3
    assert err.strip().splitlines() == [
        f"jianggao: another jianggao run is using {tmp_path / 'clean'}; wait for it to finish"
    ]
    assert not descendants(proc.pid)


def test_an_unreachable_configured_server_is_named_with_what_to_do(tmp_path):
    (tmp_path / "raw").mkdir()
    proc = start(
        tmp_path / "raw",
        tmp_path / "clean",
        tmp_path / "home",
        env={"PREFECT_API_URL": "http://127.0.0.1:9/api"},
    )
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 5
    (line,) = err.strip().splitlines()
    assert "http://127.0.0.1:9/api" in line and "does not answer" in line
    assert "env -u PREFECT_API_URL jianggao run" in line


def test_a_temporary_server_that_cannot_start_is_explained_in_one_line(tmp_path):
    (tmp_path / "raw").mkdir()
    database = f"sqlite+aiosqlite:///{tmp_path}/no-such-folder/prefect.db"
    proc = start(
        tmp_path / "raw",
        tmp_path / "clean",
        tmp_path / "home",
        # jianggao's own default level (this folder's conftest quiets the test harness's server)
        env={"PREFECT_SERVER_DATABASE_CONNECTION_URL": database, "PREFECT_SERVER_LOGGING_LEVEL": "ERROR"},
    )
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    (line,) = err.strip().splitlines()  # the server's traceback stays out of the terminal
    assert "server exited while starting" in line and "unable to open database file" in line


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare"), reason="mounting a small tmpfs needs root and unshare"
)
def test_a_full_disk_stops_the_run_with_one_line_and_no_temp_files(tmp_path):
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    corpus(raw, 80)
    clean.mkdir()
    env = dict(os.environ, CI="true", PREFECT_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    env.pop("PREFECT_API_URL", None)
    script = (
        f"mount -t tmpfs -o size=160k tmpfs {clean} || exit 99; "
        f"{sys.executable} -m flows.cli run {raw} {clean} --batch-size 8 --workers 2; "
        f"echo rc=$?; find {clean} -name '*.tmp' | wc -l"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    if "rc=" not in done.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr[-300:]}")
    assert done.stdout.strip().splitlines()[-2:] == ["rc=4", "0"], done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Errno" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("jianggao:")]
    assert len(errors) == 1 and "No space left on device" in errors[0]
