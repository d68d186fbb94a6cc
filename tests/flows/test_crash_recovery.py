"""A run killed with SIGKILL mid-way loses nothing: the next run finishes the work, and its records
equal those of an uninterrupted run byte for byte.

Three `jianggao run` subprocesses (each pays Prefect's start-up): a reference run and the run that
is killed start together, then the resume runs. Each has its own PREFECT_HOME, works offline
(CI=true) and is driven through the real command line with the thread runner. The runs happen
once, in a module fixture; the tests only look at the folders they left.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.run_state.files import read_record_files

INPUTS = 160
ENCODINGS = ("utf-8", "gbk", "utf-16", "utf-8-sig", "gb18030")
SUBJECTS = (
    "安全生产",
    "作风建设",
    "廉洁自律",
    "乡村振兴",
    "基层治理",
    "教育整顿",
    "优化营商环境",
    "主题党日",
)
OCCASIONS = ("全县", "全市", "机关党支部", "社区党委", "局党组", "系统")
SENTENCES = (
    "我们要坚持以人民为中心的发展思想，把群众的急难愁盼作为工作的出发点和落脚点。",
    "各级党组织要切实扛起主体责任，层层传导压力，确保各项任务落到实处。",
    "要持续深化作风建设，坚决整治形式主义、官僚主义，为基层减负松绑。",
    "广大党员干部要带头学习，在学懂弄通做实上下功夫，不断提高履职本领。",
    "要坚持问题导向，聚焦突出问题，建立台账，逐项销号，确保取得实效。",
    "要严格落实中央八项规定精神，锲而不舍纠治“四风”，营造风清气正的政治生态。",
    "各部门要加强协调配合，形成工作合力，推动各项工作取得新进展。",
)
HEADINGS = ("一、", "二、", "三、")


def speech(rng: random.Random, n: int) -> str:
    subject, occasion = rng.choice(SUBJECTS), rng.choice(OCCASIONS)
    lines = [
        f"在{occasion}{subject}工作会议上的讲话（第{n}篇）",
        f"（2025年{rng.randint(1, 12)}月{rng.randint(1, 28)}日）",
        "同志们：",
    ]
    for heading in HEADINGS[: rng.randint(2, 3)]:
        lines.append(f"{heading}抓好{subject}的第{rng.randint(1, 99)}项重点任务")
        lines += [rng.choice(SENTENCES) + rng.choice(SENTENCES) for _ in range(rng.randint(3, 5))]
    lines.append("谢谢大家！")
    return "\n".join(lines) + "\n"


def build_corpus(raw: Path, count: int = INPUTS) -> None:
    """Synthetic speeches in several encodings, a few refusals, odd names and nested folders."""
    rng = random.Random(9)
    for n in range(count):
        folder = raw / f"site{n % 4}" / ("子目录" if n % 5 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        name = f"讲话 {n:03d}.txt" if n % 7 == 0 else f"speech-{n:03d}.txt"
        (folder / name).write_bytes(speech(rng, n).encode(ENCODINGS[n % len(ENCODINGS)]))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def jianggao(raw: Path, clean: Path, home: Path) -> subprocess.Popen:
    env = dict(os.environ, CI="true", PREFECT_HOME=str(home), PREFECT_API_URL="")
    env.pop("PREFECT_API_URL")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "run",
            str(raw),
            str(clean),
            "--runner",
            "thread",
            "--batch-size",
            "8",
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def record_count(clean: Path) -> int:
    return sum(1 for p in clean.rglob("*.yaml") if "_jianggao" not in p.parts)


def finish(proc: subprocess.Popen, timeout: float = 300) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, out + err
    return out + err


def tree_digest(root: Path, pattern: str = "*") -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob(pattern))
        if p.is_file() and "_jianggao" not in p.relative_to(root).parts
    }


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    """(raw, reference clean, resumed clean, raw digest before, state left by the killed run)."""
    base = tmp_path_factory.mktemp("crash")
    raw, reference, resumed = base / "raw", base / "reference", base / "resumed"
    build_corpus(raw)
    before = tree_digest(raw)
    ref = jianggao(raw, reference, base / "home-ref")
    victim = jianggao(raw, resumed, base / "home-victim")
    deadline = time.monotonic() + 240
    while record_count(resumed) < 3 and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim.poll() is None, "the run finished before it could be killed: " + victim.communicate()[1]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    victim.communicate()
    left = {
        "records": record_count(resumed),
        "manifest": (resumed / "_jianggao" / "manifest.json").is_file(),
        "tmp": sorted(p.name for p in resumed.rglob("*.tmp")),
    }
    # A kill between the temp file's write and its rename leaves one behind: plant one that
    # looks exactly like it, to check the next run removes it and the readers never take it.
    first = next(p for p in sorted(resumed.rglob("*.yaml")) if "_jianggao" not in p.parts)
    (first.parent / f".{first.name}.k3x9q1.tmp").write_text("schema_version: 1\nid: half", encoding="utf-8")
    finish(ref)
    finish(jianggao(raw, resumed, base / "home-victim"))
    return raw, reference, resumed, before, left


def test_the_killed_run_left_complete_records_only(crashed):
    _, _, resumed, _, left = crashed
    assert left["records"] >= 3
    assert record_count(resumed) > left["records"]


def test_resumed_records_equal_an_uninterrupted_run_byte_for_byte(crashed):
    _, reference, resumed, _, _ = crashed
    assert tree_digest(resumed, "*.yaml") == tree_digest(reference, "*.yaml")
    assert record_count(reference) == INPUTS


def test_resumed_manifest_is_whole_and_equals_the_reference(crashed):
    _, reference, resumed, _, _ = crashed

    def inputs(clean: Path) -> dict:
        return json.loads((clean / "_jianggao" / "manifest.json").read_text(encoding="utf-8"))["inputs"]

    assert inputs(resumed) == inputs(reference)
    assert sorted(p for p, entry in inputs(resumed).items() if entry["refused"]) == ["empty.txt", "photo.txt"]
    assert inputs(resumed)["empty.txt"]["refused"]["reason"] == "empty"
    assert inputs(resumed)["photo.txt"]["refused"]["reason"] == "binary"


def test_leftover_temp_files_are_removed_and_never_read_as_records(crashed):
    _, reference, resumed, _, _ = crashed
    assert not list(resumed.rglob("*.tmp")), (
        "the rerun removes the half-written temp file planted after the kill"
    )
    mine = [(p.relative_to(resumed), r) for p, r in read_record_files(resumed)]
    theirs = [(p.relative_to(reference), r) for p, r in read_record_files(reference)]
    assert mine == theirs
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "validate", str(resumed)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_raw_folder_is_never_modified(crashed):
    raw, _, _, before, _ = crashed
    assert tree_digest(raw) == before
    assert not list(raw.rglob("*.tmp")) and not list(raw.rglob("*.yaml"))
