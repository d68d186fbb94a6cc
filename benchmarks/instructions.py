#!/usr/bin/env python3
"""Instructions per input of the cleaning work, counted by valgrind: a figure a busy machine cannot move.

    python3 benchmarks/instructions.py [--files 200] [--source DIR]

Wall and CPU time on a shared virtual machine move by a third from one hour to the next
(benchmarks/README.md), so a change worth a few per cent cannot be seen in them. Callgrind counts
the instructions the interpreter executes instead: two runs of the same code agree within about
1%. What is counted is a worker's work for each input, less the disk: `clean_input`,
`dump_record` and `sketch_record`, on a corpus built as throughput.py builds it (so the figures
of the two go together). Start-up (imports, the keyword model, the first inputs' lazy loads)
is counted in a run of its own and taken off. A system call counts as one instruction, so the
disk's and the clock's costs do not show here; throughput.py shows them.

Needs valgrind (Debian and Ubuntu: `apt install valgrind`); a run takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 5  # inputs cleaned before the counted ones, in both runs: lazy loads count in neither
COLLECTED = re.compile(r"Collected : (\d+)")


def clean_files(corpus: Path, count: int) -> None:
    """A worker's work, without writing: the first `WARM_UP` inputs, then `count` more."""
    from cleaners.keywords import load_model
    from cleaners.near_dupes import sketch_record
    from cleaners.pipeline import clean_input
    from cleaners.records import dump_record
    from cleaners.settings import Settings

    settings = Settings()
    load_model()
    for path in sorted(corpus.iterdir())[: WARM_UP + count]:
        for record in clean_input(path.read_bytes(), path.name, settings, {}).records:
            dump_record(record)
            sketch_record(record)


def counted(corpus: Path, count: int, work: Path) -> int:
    """Instructions of one process that cleans `count` inputs after the warm-up."""
    command = [
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={work / 'callgrind.out'}",
        sys.executable, __file__, "--clean", str(corpus), str(count),
    ]  # fmt: skip
    if shutil.which("setarch"):  # the same addresses every run: hash tables and caches line up
        command = ["setarch", platform.machine(), "-R", *command]
    # numpy's OpenBLAS starts threads that spin now and then, and callgrind counts every thread:
    # one thread keeps them out (1-2% of noise between runs of the same code otherwise).
    env = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    found = COLLECTED.search(done.stderr)
    if done.returncode or not found:
        sys.exit(f"valgrind run failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=200, help="inputs counted (after the warm-up)")
    ap.add_argument("--source", type=Path, default=ROOT / "raw", help="sample inputs the corpus varies")
    ap.add_argument("--clean", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.clean:
        clean_files(Path(a.clean[0]), int(a.clean[1]))
        return
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed (Debian and Ubuntu: apt install valgrind)")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from throughput import build_corpus

    with tempfile.TemporaryDirectory(prefix="jianggao-instructions-") as folder:
        work = Path(folder)
        build_corpus(a.source, work / "raw", WARM_UP + a.files)
        start_up = counted(work / "raw", 0, work)
        total = counted(work / "raw", a.files, work)
    print(f"start-up and warm-up: {start_up / 1e9:.2f} G instructions")
    print(f"cleaning: {(total - start_up) / a.files / 1e6:.3f} M instructions per input ({a.files} inputs)")


if __name__ == "__main__":
    main()
