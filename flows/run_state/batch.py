"""Clean inputs a batch at a time: plain functions the flow wraps as tasks.

A batch reads its inputs from the raw folder (read-only), cleans them stage by stage with
`cleaners.pipeline.clean_inputs`, stages each record in a temp file, publishes the batch's
records with one sync and atomic renames, and returns a small summary; records never travel
back through Prefect. One bad input becomes a refusal in the summary and the batch goes on.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from cleaners.document import Refusal
from cleaners.names import escape_name, name_bytes
from cleaners.near_dupes import Sketch, sketch_record
from cleaners.pipeline import CleanedInput, clean_inputs
from cleaners.reasons import load_reasons
from cleaners.records import dump_record
from cleaners.settings import Settings
from cleaners.site_memory import Observation
from flows.run_state.files import publish_staged, record_file, stage_file
from flows.startup.workers import worker_pool

logger = logging.getLogger(__name__)

CHUNK_SIZE = 32  # inputs per trip to a pool worker: fewer round trips, still an even spread
LOCKSTEP_BYTES = 1 << 20  # input cleaned stage by stage at once (`cleaners.lockstep`), at most


@dataclass
class Outcome:
    """What happened to one input: its identity on disk and its records, or why it was refused.

    `refused` is the stage's `Refusal`, or one the run makes itself (`Outcome.refusal`).
    """

    sha256: str = ""
    size: int = 0
    mtime_ns: int = 0
    site: str = ""
    records: list[dict[str, str | None]] = field(default_factory=list)  # file, id, title, date (+ cluster)
    refused: Refusal | None = None

    @staticmethod
    def refusal(reason: str, detail: str) -> Refusal:
        """A refusal the run makes itself (`unreadable`, `error`, `batch_failed`).

        The code must be in the registry (`cleaners/data/reasons.yaml`), as a stage's must; an
        unregistered one is a bug, which tests/test_reasons.py finds in the source first.
        """
        if reason not in load_reasons().refusals:
            raise ValueError(f"refusal code {reason!r} is not in cleaners/data/reasons.yaml")
        return Refusal(reason, detail)


@dataclass
class BatchSummary:
    """What a batch (or a whole run, once merged) did."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    removals: dict[str, Counter[str]] = field(default_factory=dict)  # per input: a re-clean replaces
    seconds: Counter[str] = field(default_factory=Counter)
    observed: dict[str, Observation] = field(default_factory=dict)  # what each input shows of its site
    staged: list[tuple[str, str]] = field(default_factory=list)  # (temp file, record file)
    sketches: dict[str, Sketch | None] = field(default_factory=dict)  # per record file, for clusters

    def merge(self, other: BatchSummary) -> BatchSummary:
        """Add another batch's results; an input cleaned again keeps only its latest outcome."""
        self.outcomes.update(other.outcomes)
        self.removals.update(other.removals)
        self.seconds.update(other.seconds)
        self.observed.update(other.observed)
        self.staged += other.staged
        self.sketches.update(other.sketches)
        return self

    @property
    def removals_by_reason(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.removals.values():
            total.update(counts)  # in place: adding Counters with + copies the total every time
        return total

    @property
    def refused(self) -> dict[str, Refusal]:
        return {p: o.refused for p, o in self.outcomes.items() if o.refused}

    @property
    def speeches(self) -> int:
        return sum(len(o.records) for o in self.outcomes.values())

    @property
    def bytes(self) -> int:
        return sum(o.size for o in self.outcomes.values())


def batches(items: Sequence[str], size: int) -> Iterator[list[str]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), max(1, size)):
        yield list(items[start : start + size])


def clean_batch(
    raw_dir: Path,
    clean_dir: Path,
    rel_paths: Sequence[str],
    settings: Settings,
    learned: Mapping[str, frozenset[str]] | None = None,
) -> BatchSummary:
    """Clean `rel_paths` and write their records; `learned` maps a site to its recurring lines.

    On the worker pool the inputs go out in chunks, so the learned lines travel once per chunk
    rather than once per input.
    """
    learned = learned or {}
    pool = worker_pool()
    if pool is None:
        summaries: Iterable[BatchSummary] = [_clean_chunk(raw_dir, clean_dir, rel_paths, settings, learned)]
    else:
        chunks = batches(rel_paths, CHUNK_SIZE)
        args = (repeat(raw_dir), repeat(clean_dir), chunks, repeat(settings), repeat(learned))
        summaries = pool.map(_clean_chunk, *args, timeout=settings.batch_timeout)
    summary = BatchSummary()
    for part in summaries:
        summary.merge(part)
    publish_staged(summary.staged)
    summary.staged.clear()
    return summary


def _clean_chunk(
    raw_dir: Path,
    clean_dir: Path,
    rel_paths: Sequence[str],
    settings: Settings,
    learned: Mapping[str, frozenset[str]],
) -> BatchSummary:
    """Clean a chunk's inputs stage by stage (`clean_inputs`), in groups of at most
    `LOCKSTEP_BYTES` of input (a large input goes alone), so that the inputs under way never
    hold much memory; the summary lists them in the chunk's order."""
    parts: dict[str, BatchSummary] = {}
    group: list[_Input] = []
    group_bytes = 0
    for rel_path in rel_paths:
        try:
            data, stat = read_input(raw_dir / rel_path, settings.max_bytes)
        except OSError as exc:
            refused = Outcome.refusal("unreadable", str(exc.strerror or exc))
            parts[rel_path] = BatchSummary({rel_path: Outcome(refused=refused)})
            continue
        if group and group_bytes + len(data) > LOCKSTEP_BYTES:
            parts.update(_clean_group(clean_dir, group, settings, learned))
            group, group_bytes = [], 0
        group.append(_Input(rel_path, escape_name(rel_path), data, stat))
        group_bytes += len(data)
    if group:
        parts.update(_clean_group(clean_dir, group, settings, learned))
    summary = BatchSummary()
    for rel_path in rel_paths:
        summary.merge(parts[rel_path])
    return summary


@dataclass
class _Input:
    """An input read from the raw folder, waiting for its group to be cleaned."""

    rel_path: str
    shown: str  # the name records are filed under: a name that is not UTF-8, escaped
    data: bytes
    stat: os.stat_result


def _clean_group(
    clean_dir: Path, group: list[_Input], settings: Settings, learned: Mapping[str, frozenset[str]]
) -> dict[str, BatchSummary]:
    """Each input's summary. Like the cleaning, the rest goes stage by stage too: every record
    is written, then every record sketched."""
    results = clean_inputs([(item.data, item.shown) for item in group], settings, learned)
    done = list(zip(group, results, strict=True))
    parts = {item.rel_path: _outcome(clean_dir, item, result) for item, result in done}
    for item, result in done:
        if isinstance(result, CleanedInput) and not result.refusal:
            part = parts[item.rel_path]
            files = [entry["file"] for entry in part.outcomes[item.rel_path].records]
            part.sketches = dict(zip(files, map(sketch_record, result.records), strict=True))
    return parts


def _outcome(clean_dir: Path, item: _Input, result: CleanedInput | Exception) -> BatchSummary:
    """An input's summary, its records staged (not yet sketched)."""
    summary = BatchSummary()
    rel_path, stat = item.rel_path, item.stat
    if isinstance(result, Exception):  # a bug in a stage: refuse this input, keep its batch going
        logger.debug("cleaning %s failed", rel_path, exc_info=result)
        digest = hashlib.sha256(item.data).hexdigest()
        detail = f"{type(result).__name__}: {result} (a jianggao bug; please report it with this input)"
        refused = Outcome.refusal("error", detail)
        summary.outcomes[rel_path] = Outcome(digest, stat.st_size, stat.st_mtime_ns, refused=refused)
        return summary
    outcome = Outcome(result.sha256, stat.st_size, stat.st_mtime_ns, result.site)
    summary.outcomes[rel_path] = outcome
    summary.removals[rel_path] = result.removals
    summary.seconds.update(result.seconds)
    if result.observed:
        summary.observed[rel_path] = result.observed
    if result.refusal:
        outcome.refused = result.refusal
        return summary
    exact = name_bytes(rel_path)
    for index, record in enumerate(result.records, start=1):
        if exact:
            record["source"]["path_bytes"] = exact
        file = record_file(item.shown, index)
        path = os.path.join(clean_dir, file)
        summary.staged.append((stage_file(path, dump_record(record)), path))
        outcome.records.append(
            {"file": file, "id": record["id"], "title": record["title"], "date": record["date"]}
        )
    return summary


def read_input(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """Read at most `max_bytes + 1` bytes (enough to refuse an oversized file) and its stat.

    The first read asks for the size the file says it has (a file object reading up to
    `max_bytes` would map a buffer of that size, 20 MB by default, for every input), and
    reading goes on to the end, in case the file grew meanwhile.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        stat = os.fstat(fd)
        parts = [os.read(fd, min(stat.st_size, max_bytes) + 1)]
        read = len(parts[0])
        while parts[-1] and read <= max_bytes:
            parts.append(os.read(fd, max_bytes + 1 - read))
            read += len(parts[-1])
        return b"".join(parts), stat
    finally:
        os.close(fd)
