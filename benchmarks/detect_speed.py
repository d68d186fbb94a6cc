"""How fast `decode_bytes` decides an encoding, next to plain `chardet.detect` on the same bytes.

    python3 benchmarks/detect_speed.py [DIR ...] [--repeat N]

Builds synthetic speeches in several encodings and sizes (plus every file under each DIR given)
and prints, per group, the milliseconds per MB each takes. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import chardet

from cleaners.decode import decode_bytes

SIMPLIFIED = "同志们：今天我们召开全市干部大会，主要任务是深入学习贯彻会议精神，总结工作，部署任务。"
TRADITIONAL = "同志們：今天我們召開全市幹部大會，主要任務是深入學習貫徹會議精神，總結工作，部署任務。"
HEADINGS = ("一、", "二、", "三、", "（一）", "（二）", "1.", "2.")
SIZES = {"2KB": 2_000, "50KB": 50_000, "1MB": 1_000_000}


@dataclass(frozen=True)
class Sample:
    """One input to time: its group (encoding and size, or folder) and its bytes."""

    group: str
    data: bytes


def make_speech(base: str, size: int, seed: int) -> str:
    """A speech of about `size` characters: headings and shuffled sentences of `base`."""
    rng = random.Random(seed)
    clauses = base.split("，")
    lines = []
    while sum(map(len, lines)) < size:
        rng.shuffle(clauses)
        lines.append(rng.choice(HEADINGS) + "，".join(clauses) + f"（{rng.randint(1, 2026)}）")
    return "\n".join(lines)


def make_samples() -> list[Sample]:
    """Synthetic speeches in the encodings the pipeline meets, at three sizes each."""
    samples = []
    for label, size in SIZES.items():
        chars = size // 2
        simplified, traditional = make_speech(SIMPLIFIED, chars, 1), make_speech(TRADITIONAL, chars, 2)
        html = f'<html><head><meta charset="gb2312"></head><body><p>{simplified}</p></body></html>'
        samples += [
            Sample(f"utf-8 {label}", simplified.encode("utf-8")),
            Sample(f"gb18030 {label}", simplified.encode("gb18030")),
            Sample(f"big5 {label}", traditional.encode("big5hkscs")),
            Sample(f"utf-16 bom {label}", simplified.encode("utf-16")),
            Sample(f"utf-16-le no bom {label}", simplified.encode("utf-16-le")),
            Sample(f"html gb2312 meta {label}", html.encode("gb18030")),
        ]
    return samples


def read_samples(folder: Path) -> list[Sample]:
    """Every file under a folder, as one group named after it."""
    return [Sample(f"dir {folder.name}", p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()]


def time_per_mb(samples: list[Sample], detect: Callable[[bytes], object], repeat: int) -> float:
    """Milliseconds per MB that `detect` takes over the samples (best of `repeat` runs)."""
    size = sum(len(s.data) for s in samples) or 1
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for sample in samples:
            detect(sample.data)
        best = min(best, time.perf_counter() - start)
    return best * 1000 / (size / 1_000_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="folders of real inputs to time as well")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    samples = make_samples() + [s for folder in args.dirs for s in read_samples(folder)]
    groups = dict.fromkeys(s.group for s in samples)
    print(f"{'group':<28}{'files':>6}{'bytes':>11}{'decode_bytes ms/MB':>20}{'chardet ms/MB':>16}")
    for group in [*groups, "all"]:
        chosen = [s for s in samples if group in ("all", s.group)]
        ours = time_per_mb(chosen, decode_bytes, args.repeat)
        theirs = time_per_mb(chosen, chardet.detect, args.repeat)
        size = sum(len(s.data) for s in chosen)
        print(f"{group:<28}{len(chosen):>6}{size:>11}{ours:>20.1f}{theirs:>16.1f}")


if __name__ == "__main__":
    main()
