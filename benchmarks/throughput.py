#!/usr/bin/env python3
"""Throughput, fixed cost and memory of `jianggao run`, next to a naive baseline in the same run.

    python3 benchmarks/throughput.py [--sizes 600 3000] [--repeat 3] [--source DIR] [--workdir DIR]

Builds corpora of N files from the sample inputs in raw/ (or --source), each copy differing in
most of its lines so no two files (and few lines) are alike, then times `jianggao run` and a
naive one-process script (chardet + BeautifulSoup get_text + PyYAML dump) on the same files.
Each round (--repeat of them) times every corpus, jianggao and the baseline in turn, the small
corpus then the large one (the other way round in odd rounds, so a steady drift pushes odd and
even rounds' ratios in opposite directions rather than all one way), and each round gives its
own marginal costs: the machine's speed drifts over minutes on a shared two-core machine, and
with jianggao's start-up of five seconds or more, a drift of a tenth between runs of the small
corpus and runs of the large one minutes later moved jianggao's marginal cost by a quarter of a
millisecond per file. Pairing the runs within a minute keeps most of that out.
The figures are the medians over the rounds; a round in which either program's large corpus
took no longer than its small one measured nothing and is left out (and said so). They are
ratios measured in one run on one machine, so they travel better than times:

- marginal cost per file: (time for the largest corpus − time for the smallest) / extra files,
  per round; the target is jianggao ≤ 0.60 × the naive script's (the median of the rounds'
  ratios);
- fixed cost: `jianggao run` on a handful of files (mostly Prefect's server start);
- peak memory: the sum of resident memory over the whole process tree (the Prefect server
  included), sampled every 50 ms (the highest of the rounds);
- CPU: user + system seconds of the whole process tree (Prefect's server and the workers too),
  sampled with the memory, and its marginal cost per file. On a machine shared with other work,
  CPU time moves far less than wall time; it is printed beside it, not in place of it.

Every run writes into an output folder of its own that did not exist before, jianggao's and the
naive script's alike, so each run measures cleaning a corpus into an empty folder, not rewriting
the records the run before it left there.
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
from collections.abc import Callable
from dataclasses import dataclass, field
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


def _tree_usage(root_pid: int, cpu: dict[tuple[int, int], float]) -> int:
    """Resident bytes of a process and all its descendants; records each one's CPU seconds so
    far in `cpu`, keyed by process id and start time.

    The benchmark starts the command in a session of its own; a descendant that started a
    session of its own in turn (jianggao's embedded Prefect server does, to outlive a Ctrl-C
    meant for the run) is found through its parent.
    """
    page, tick = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
    tree = {pid for pid, stat in stats.items() if stat[3] == str(root_pid)}
    tree |= {pid for pid, stat in stats.items() if int(stat[1]) in tree}
    total = 0
    for pid in tree:
        stat = stats[pid]
        total += int(stat[21]) * page
        cpu[pid, int(stat[19])] = (int(stat[11]) + int(stat[12])) / tick
    return total


def timed(args: list[str]) -> tuple[float, int, float]:
    """Run a command in its own session; return wall seconds, peak tree memory in bytes and the
    tree's CPU seconds (a process that ends between two samples loses its last 50 ms at most)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    peak = 0
    cpu: dict[tuple[int, int], float] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_usage(proc.pid, cpu))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{err.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - start, peak, sum(cpu.values())


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


@dataclass
class Runs:
    """One command's runs: wall seconds and CPU seconds of each, and the highest peak memory."""

    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak: int = 0


def timed_rounds(
    commands: dict[tuple[str, int], Callable[[int], list[str]]], repeat: int
) -> dict[tuple[str, int], Runs]:
    """Run the commands, keyed by (program, corpus size), `repeat` rounds: in each round every
    size's commands in turn, sizes ascending (descending in odd rounds); each command is asked for
    its arguments with the round. Returns each key's `Runs`, one entry per round."""
    runs = {key: Runs() for key in commands}
    sizes = sorted({size for _, size in commands})
    for round_ in range(repeat):
        for size in sizes if round_ % 2 == 0 else sizes[::-1]:
            for (program, key_size), command in commands.items():
                if key_size == size:
                    seconds, peak, cpu = timed(command(round_))
                    run = runs[program, size]
                    run.times.append(seconds)
                    run.cpu.append(cpu)
                    run.peak = max(run.peak, peak)
    return runs


def marginals(small: list[float], large: list[float], extra: int) -> list[float]:
    """Each round's marginal cost per file: its large-corpus time less its small-corpus time."""
    return [(hi - lo) / extra for lo, hi in zip(small, large, strict=True)]


def compared(ours: list[float], base: list[float]) -> str:
    """jianggao's and the naive script's median marginal costs and the median of the rounds'
    ratios, over the rounds in which both marginal costs are positive."""
    valid = [(o, b) for o, b in zip(ours, base, strict=True) if o > 0 and b > 0]
    if not valid:
        return "no round measured a marginal cost (each large corpus ran as fast as its small one)"
    ratios = [o / b for o, b in valid]
    left_out = f", {len(ours) - len(valid)} round(s) left out" if len(valid) < len(ours) else ""
    return (
        f"jianggao {statistics.median(o for o, _ in valid) * 1000:.1f} ms, naive "
        f"{statistics.median(b for _, b in valid) * 1000:.1f} ms, median of the rounds' ratios "
        f"{statistics.median(ratios):.2f} (rounds: {', '.join(f'{r:.2f}' for r in ratios)}{left_out})"
    )


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
    ap.add_argument("--repeat", type=int, default=3, help="rounds, each running every command once")
    ap.add_argument("--source", type=Path, default=ROOT / "raw")
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--naive-only", nargs=2, type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.naive_only:
        naive(*a.naive_only)
        return
    work = a.workdir or Path(tempfile.mkdtemp(prefix="jianggao-bench-"))
    small = work / "raw-5"
    build_corpus(a.source, small, 5)
    fixed = timed_rounds({("jianggao", 5): lambda r: jianggao_cmd(small, work / f"clean-5-{r}")}, a.repeat)
    print(f"fixed cost: jianggao run on 5 files {spread(fixed['jianggao', 5].times)} (target < 12 s)")
    sizes = sorted(a.sizes)
    megabytes = {size: build_corpus(a.source, work / f"raw-{size}", size) for size in sizes}
    commands: dict[tuple[str, int], Callable[[int], list[str]]] = {}
    for size in sizes:
        raw = work / f"raw-{size}"
        commands["jianggao", size] = lambda r, raw=raw, size=size: jianggao_cmd(
            raw, work / f"clean-{size}-{r}"
        )
        commands["naive", size] = lambda r, raw=raw, size=size: [
            sys.executable,
            __file__,
            "--naive-only",
            str(raw),
            str(work / f"naive-{size}-{r}"),
        ]
    runs = timed_rounds(commands, a.repeat)
    for size in sizes:
        ours, base = runs["jianggao", size], runs["naive", size]
        report = yaml.safe_load(
            (work / f"clean-{size}-{a.repeat - 1}" / "_jianggao" / "report.yaml").read_text(encoding="utf-8")
        )
        ours_s, base_s, mb = statistics.median(ours.times), statistics.median(base.times), megabytes[size]
        print(
            f"{size:>6} files {mb:6.1f} MB | jianggao {spread(ours.times)} {size / ours_s:6.1f} files/s "
            f"{mb / ours_s:5.2f} MB/s peak {ours.peak / 2**20:6.0f} MiB | naive {spread(base.times)} "
            f"{size / base_s:6.1f} files/s peak {base.peak / 2**20:5.0f} MiB"
        )
        print(
            f"       CPU seconds, whole process tree: jianggao {spread(ours.cpu)}, naive {spread(base.cpu)}"
        )
        stages = ", ".join(f"{k} {v:.1f}" for k, v in report["seconds_by_stage"].items())
        print(f"       CPU seconds by stage (summed over workers, last run): {stages}")
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        extra = hi - lo

        def per_round(program: str, attr: str) -> list[float]:
            return marginals(getattr(runs[program, lo], attr), getattr(runs[program, hi], attr), extra)

        ours_wall, base_wall = per_round("jianggao", "times"), per_round("naive", "times")
        ours_cpu, base_cpu = per_round("jianggao", "cpu"), per_round("naive", "cpu")
        print(f"marginal cost per file: {compared(ours_wall, base_wall)} (target ≤ 0.60)")
        print(f"marginal CPU per file (whole tree): {compared(ours_cpu, base_cpu)}")
        peaks = runs["jianggao", hi].peak / runs["jianggao", lo].peak
        print(f"peak memory {hi} vs {lo} files: {peaks:.2f}× (target ≤ 1.20)")
    print(f"corpora and outputs in {work}")


if __name__ == "__main__":
    main()
