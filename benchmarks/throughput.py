#!/usr/bin/env python3
"""Throughput, fixed cost and memory of `jianggao run`, next to a naive baseline in the same run.

    python3 benchmarks/throughput.py [--sizes 600 3000] [--repeat 3] [--source DIR] [--workdir DIR]

Builds corpora of N files from the sample inputs in raw/ (or --source), each copy differing in
most of its lines so no two files (and few lines) are alike, then times `jianggao run` and a
naive one-process script (chardet + BeautifulSoup get_text + PyYAML dump) on the same files.
Each command runs --repeat times, jianggao and the baseline in turn, and the median time counts:
a single run's start-up alone varies by a second or more on a shared two-core machine, which is
0.4 ms per file in the marginal cost. Figures are ratios measured in one run on one machine, so
they travel better than times:

- marginal cost per file: (time for the largest corpus − time for the smallest) / extra files;
- fixed cost: `jianggao run` on a handful of files (mostly Prefect's server start);
- peak memory: the sum of resident memory over the whole process tree, sampled every 50 ms
  (the highest of the repeats).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


ADVERBS = ("切实", "扎实", "全面", "持续", "不断", "认真", "坚决", "积极", "主动", "深入", "系统", "统筹")
COMMA = re.compile("[，,]")
ENCODINGS = ("utf-16", "utf-8-sig", "utf-8", "gb18030")  # what the samples are, tried in this order


def build_corpus(source: Path, out: Path, count: int) -> float:
    """Write `count` files cycling over `source`'s files; returns megabytes written.

    Every copy differs from the others in most of its lines (`vary_text`), not in one line
    only, so caches keyed on a line's text cannot make the corpus look cheaper than real input.
    """
    files = sorted(p for p in source.rglob("*") if p.is_file())
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        src = files[i % len(files)]
        data = vary_bytes(src.read_bytes(), i)
        (out / f"{i:05d}-{src.name}").write_bytes(data)
        total += len(data)
    return total / 1e6


def vary_bytes(data: bytes, copy: int) -> bytes:
    """The sample with `vary_text` applied, in the sample's own encoding (binary left as is)."""
    for encoding in ENCODINGS:
        if encoding == "utf-16" and not data.startswith(b"\xff\xfe"):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return vary_text(text, copy).encode(encoding)
    return data


def vary_text(text: str, copy: int) -> str:
    """Put an adverb, chosen by copy, line and place, after every comma (either width)."""
    lines = text.split("\n")
    for j, line in enumerate(lines):
        words = iter(random.Random(copy * 1009 + j).choices(ADVERBS, k=len(line)))
        lines[j] = COMMA.sub(lambda m, words=words: m.group() + next(words), line)
    return "\n".join(lines)


def _tree_rss(root_pid: int) -> int:
    """Resident bytes of a process and all its descendants (same session)."""
    total, page = 0, os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[3]) == root_pid:  # session id: the benchmark starts a new session
                total += int(stat[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def timed(args: list[str]) -> tuple[float, int]:
    """Run a command in its own session; return wall seconds and peak tree memory in bytes."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{err.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - start, peak


def naive(raw: Path, out: Path) -> None:
    """The baseline: detect, decode, strip tags, dump — nothing else."""
    import chardet
    from bs4 import BeautifulSoup

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(raw.iterdir()):
        data = path.read_bytes()
        encoding = chardet.detect(data)["encoding"] or "utf-8"
        text = BeautifulSoup(data.decode(encoding, errors="replace"), "lxml").get_text()
        record = {"source": path.name, "encoding": encoding, "text": text}
        (out / f"{path.name}.yaml").write_text(yaml.dump(record, Dumper=dumper, allow_unicode=True))


def timed_repeatedly(commands: list[list[str]], repeat: int) -> list[tuple[list[float], int]]:
    """Run the commands in turn, `repeat` rounds; per command its times and highest peak memory."""
    times: list[list[float]] = [[] for _ in commands]
    peaks = [0] * len(commands)
    for _ in range(repeat):
        for i, args in enumerate(commands):
            seconds, peak = timed(args)
            times[i].append(seconds)
            peaks[i] = max(peaks[i], peak)
    return list(zip(times, peaks, strict=True))


def spread(times: list[float]) -> str:
    """The median, and the range when there are several times."""
    median = statistics.median(times)
    return f"{median:.1f} s" if len(times) == 1 else f"{median:.1f} s ({min(times):.1f}-{max(times):.1f})"


def jianggao_cmd(raw: Path, out: Path) -> list[str]:
    exe = shutil.which("jianggao") or sys.exit("install the project first: pip install -e .")
    return [exe, "run", str(raw), str(out), "--force"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[600, 3000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per command; the median time counts")
    ap.add_argument("--source", type=Path, default=ROOT / "raw")
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--naive-only", nargs=2, type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.naive_only:
        naive(*a.naive_only)
        return
    work = a.workdir or Path(tempfile.mkdtemp(prefix="jianggao-bench-"))
    rows = {}
    small = work / "raw-5"
    build_corpus(a.source, small, 5)
    ((fixed_times, _),) = timed_repeatedly([jianggao_cmd(small, work / "clean-5")], a.repeat)
    print(f"fixed cost: jianggao run on 5 files {spread(fixed_times)} (target < 12 s)")
    for size in sorted(a.sizes):
        raw = work / f"raw-{size}"
        mb = build_corpus(a.source, raw, size)
        naive_cmd = [sys.executable, __file__, "--naive-only", str(raw), str(work / f"naive-{size}")]
        (ours_times, ours_mem), (base_times, base_mem) = timed_repeatedly(
            [jianggao_cmd(raw, work / f"clean-{size}"), naive_cmd], a.repeat
        )
        ours, base = statistics.median(ours_times), statistics.median(base_times)
        report = yaml.safe_load(
            (work / f"clean-{size}" / "_jianggao" / "report.yaml").read_text(encoding="utf-8")
        )
        rows[size] = (ours, ours_mem, base, base_mem)
        print(
            f"{size:>6} files {mb:6.1f} MB | jianggao {spread(ours_times)} {size / ours:6.1f} files/s "
            f"{mb / ours:5.2f} MB/s peak {ours_mem / 2**20:6.0f} MiB | naive {spread(base_times)} "
            f"{size / base:6.1f} files/s peak {base_mem / 2**20:5.0f} MiB"
        )
        stages = ", ".join(f"{k} {v:.1f}" for k, v in report["seconds_by_stage"].items())
        print(f"       CPU seconds by stage (summed over workers, last run): {stages}")
    if len(rows) >= 2:
        lo, hi = min(rows), max(rows)
        ours_marginal = (rows[hi][0] - rows[lo][0]) / (hi - lo)
        base_marginal = (rows[hi][2] - rows[lo][2]) / (hi - lo)
        print(
            f"marginal cost per file: jianggao {ours_marginal * 1000:.1f} ms, naive "
            f"{base_marginal * 1000:.1f} ms, ratio {ours_marginal / base_marginal:.2f} (target ≤ 1.00)"
        )
        print(f"peak memory {hi} vs {lo} files: {rows[hi][1] / rows[lo][1]:.2f}× (target ≤ 1.20)")
    print(f"corpora and outputs in {work}")


if __name__ == "__main__":
    main()
