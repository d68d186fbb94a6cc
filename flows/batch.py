"""Discover inputs and clean them a batch at a time: plain functions the flow wraps as tasks.

A batch reads its inputs from the raw folder (read-only), cleans each with
`cleaners.pipeline.clean_input`, writes each record atomically and returns a small summary;
records never travel back through Prefect. One bad input becomes a refusal in the summary and
the batch goes on.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaners.pipeline import clean_input
from cleaners.records import dump_record, record_path, write_atomically
from cleaners.settings import Settings

STATE_DIR = "_jianggao"


@dataclass
class BatchSummary:
    """What a batch (or a whole run, once merged) did."""

    inputs: int = 0
    speeches: int = 0
    bytes: int = 0
    refused: dict[str, str] = field(default_factory=dict)  # rel_path -> "reason: detail"
    written: dict[str, list[str]] = field(default_factory=dict)  # rel_path -> record files
    hashes: dict[str, str] = field(default_factory=dict)  # rel_path -> sha256 of raw bytes
    removals: Counter[str] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)

    def merge(self, other: BatchSummary) -> BatchSummary:
        self.inputs += other.inputs
        self.speeches += other.speeches
        self.bytes += other.bytes
        self.refused.update(other.refused)
        self.written.update(other.written)
        self.hashes.update(other.hashes)
        self.removals.update(other.removals)
        self.seconds.update(other.seconds)
        return self


def discover_inputs(raw_dir: Path) -> list[str]:
    """Every regular file under `raw_dir`, recursively, as sorted POSIX paths relative to it.

    Hidden files and folders (editor and VCS droppings) are skipped; links are not followed.
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(raw_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(dirpath, name)
            if not name.startswith(".") and path.is_file() and not path.is_symlink():
                found.append(path.relative_to(raw_dir).as_posix())
    return sorted(found)


def batches(items: Sequence[str], size: int) -> Iterator[list[str]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), max(1, size)):
        yield list(items[start : start + size])


def clean_batch(
    raw_dir: Path,
    clean_dir: Path,
    rel_paths: Sequence[str],
    settings: Settings,
    learned: dict[str, frozenset[str]] | None = None,
    sites: dict[str, str] | None = None,
) -> BatchSummary:
    """Clean `rel_paths` and write their records; `learned` maps a site to its recurring lines."""
    summary = BatchSummary()
    for rel_path in rel_paths:
        summary.merge(_clean_one(raw_dir, clean_dir, rel_path, settings, learned, sites))
    return summary


def _clean_one(raw_dir, clean_dir, rel_path, settings, learned, sites) -> BatchSummary:
    summary = BatchSummary(inputs=1)
    try:
        data = _read_limited(raw_dir / rel_path, settings.max_bytes)
    except OSError as exc:
        summary.refused[rel_path] = f"unreadable: {exc.strerror or exc}"
        return summary
    site_lines = (learned or {}).get((sites or {}).get(rel_path, ""), frozenset())
    result = clean_input(data, rel_path, settings, site_lines)
    summary.bytes = result.size
    summary.hashes[rel_path] = result.sha256
    summary.removals.update(result.removals)
    summary.seconds.update(result.seconds)
    if result.refusal:
        summary.refused[rel_path] = f"{result.refusal.reason}: {result.refusal.detail}"
        return summary
    files = []
    for index, record in enumerate(result.records, start=1):
        path = record_path(clean_dir, rel_path, index)
        write_atomically(path, dump_record(record))
        files.append(path.relative_to(clean_dir).as_posix())
    summary.written[rel_path] = files
    summary.speeches = len(files)
    return summary


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """Read at most `max_bytes + 1` bytes, so an oversized file is refused without loading it."""
    with path.open("rb") as fh:
        return fh.read(max_bytes + 1)
