"""Keep the clean folder's clusters of copies up to date after a run, and read them back.

The cluster index lives in `CLEAN_DIR/_jianggao/clusters.npz`, beside the manifest: every
current record's sketch (band keys and fingerprints, under 1 KB for most speeches), the links
found between records and the cluster each record is in. A run brings it in line with the
manifest: records of re-cleaned or pruned inputs leave it, new records are linked to the
corpus (`cleaners.cluster_graph`), and each manifest record gets its `cluster` and `canonical`.
Records on disk never change for it. The index is written atomically before the manifest; a
run killed before that leaves the old index, and the rerun, which cleans the same inputs again,
finds the same clusters. A record missing from the index (an older clean folder, a crash
between the two writes) is sketched again from its file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import numpy as np

from cleaners.cluster_graph import ClusterState, add_records, name_clusters, remove_records
from cleaners.near_dupes import DEFAULTS, NearDupeSettings, Sketch, sketch_record
from cleaners.records import load_records
from flows.run_state.files import STATE_DIR, write_atomically
from flows.run_state.manifest import Manifest

INDEX_FILE = "clusters.npz"
INDEX_VERSION = 1
_FLAGS = ("truncated", "dated")


def join_new_records(
    state: ClusterState, sketches: Mapping[str, Sketch | None], settings: NearDupeSettings = DEFAULTS
) -> None:
    """Link the records the index does not hold yet, as a run's batches bring them (in input
    order), so most of the linking is done while later batches are cleaned. Records it holds
    already are left to `update_clusters`, which tells whether they changed."""
    new = {name: sketch for name, sketch in sketches.items() if name not in state.sketches}
    if new:
        add_records(state, new, settings=settings)


class BackgroundLinker:
    """`join_new_records` on a thread of its own, batch after batch in the order given, so that
    the flow goes on to the next batch (or the last re-cleaning) while the one before is linked.

    Only the linker touches the index until `finish`, which waits for every batch, re-raises
    the first error and hands the index back.
    """

    def __init__(self, state: ClusterState, settings: NearDupeSettings = DEFAULTS) -> None:
        self.state, self.settings = state, settings
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="link-clusters")
        self._joins: list[Future[None]] = []

    def add(self, sketches: Mapping[str, Sketch | None]) -> None:
        """Link this batch's new records after the batches added before it."""
        self._joins.append(self._thread.submit(join_new_records, self.state, sketches, self.settings))

    def finish(self) -> ClusterState:
        """The index with every added batch linked."""
        try:
            for join in self._joins:
                join.result()
        finally:
            self._thread.shutdown()
        return self.state


def update_clusters(
    clean: Path,
    manifest: Manifest,
    sketches: Mapping[str, Sketch | None],
    state: ClusterState | None = None,
    settings: NearDupeSettings = DEFAULTS,
) -> ClusterState:
    """Bring the index (`state`, or the stored one) in line with `manifest`, using this run's
    `sketches` (by record file), and set each manifest record's `cluster` and `canonical`; the
    caller saves the returned index (`save_index`) before the manifest, in the same place as its
    other writes."""
    state = load_index(clean, settings) if state is None else state
    live = {rec["file"] for entry in manifest.entries.values() for rec in entry.records}
    changed = {n for n, sk in sketches.items() if n in live and not _same(state.sketches, n, sk)}
    gone = [n for n in state.sketches if n not in live or n in changed]
    requeue = remove_records(state, gone)
    fresh = {n: sketches[n] for n in changed}
    for name in sorted(live - set(state.sketches) - set(fresh)):  # not sketched by this run
        fresh[name] = _sketch_file(clean / name, settings)
    add_records(state, fresh, requeue, settings)
    for entry in manifest.entries.values():  # ids the manifest knows: kept if the index was lost
        for rec in entry.records:
            if rec.get("cluster") and rec["file"] not in state.cluster_of:
                state.cluster_of[rec["file"]] = rec["cluster"]
    members = name_clusters(state)
    for entry in manifest.entries.values():
        for rec in entry.records:
            member = members.get(rec["file"])
            if member:
                rec["cluster"], rec["canonical"] = member.cluster, member.canonical
    return state


def cluster_counts(manifest: Manifest) -> dict[str, int]:
    """How many clusters the manifest's records form, and how many records are extra copies."""
    records = [rec for entry in manifest.entries.values() for rec in entry.records]
    clusters = {rec.get("cluster") or rec["file"] for rec in records}
    sizes: dict[str, int] = {}
    for rec in records:
        key = rec.get("cluster") or rec["file"]
        sizes[key] = sizes.get(key, 0) + 1
    return {
        "clusters": len(clusters),
        "copies": len(records) - len(clusters),
        "clusters_with_copies": sum(1 for size in sizes.values() if size > 1),
    }


def read_memberships(clean: Path) -> dict[str, dict]:
    """Each record file's `cluster`, `canonical` and `copies` (the other members' files), from
    the manifest; {} when there is none."""
    try:
        data = json.loads((clean / STATE_DIR / "manifest.json").read_text(encoding="utf-8"))
        records = [rec for entry in data["inputs"].values() for rec in entry["records"]]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    members: dict[str, list[str]] = {}
    for rec in records:
        if rec.get("cluster"):
            members.setdefault(rec["cluster"], []).append(rec["file"])
    return {
        rec["file"]: {
            "cluster": rec["cluster"],
            "canonical": bool(rec.get("canonical")),
            "copies": sorted(f for f in members[rec["cluster"]] if f != rec["file"]),
        }
        for rec in records
        if rec.get("cluster")
    }


def _same(known: Mapping[str, Sketch | None], name: str, new: Sketch | None) -> bool:
    """True when the index already holds this record with this very sketch."""
    if name not in known:
        return False
    old = known[name]
    if old is new:  # the very sketch linked during this run, or neither has a sketch
        return True
    if old is None or new is None:
        return False
    return (
        np.array_equal(old.bands, new.bands)
        and np.array_equal(old.fingerprints, new.fingerprints)
        and (old.rate, old.shingles, old.truncated, old.dated, old.removed, old.chars)
        == (new.rate, new.shingles, new.truncated, new.dated, new.removed, new.chars)
    )


def _sketch_file(path: Path, settings: NearDupeSettings) -> Sketch | None:
    try:
        record = next(load_records(path.read_text(encoding="utf-8")), None)
    except (OSError, ValueError):
        return None
    return sketch_record(record, settings) if record else None


def save_index(clean: Path, state: ClusterState, settings: NearDupeSettings = DEFAULTS) -> None:
    """Write the index as one .npz file, atomically (temp file, fsync, rename)."""
    names = state.order
    sketched = [n for n in names if state.sketches.get(n) is not None]
    fields = ("rate", "shingles", "removed", "chars")
    meta = {
        "version": INDEX_VERSION,
        "settings": asdict(settings),
        "names": names,
        "sketched": sketched,
        "numbers": [[getattr(state.sketches[n], f) for f in fields] for n in sketched],
        "flags": [[getattr(state.sketches[n], f) for f in _FLAGS] for n in sketched],
        "copies": sorted([a, b] for a, others in state.copies.items() for b in others if a < b),
        "container": sorted([p, t, j] for p, (t, j) in state.container.items()),
        "cluster_of": [state.cluster_of.get(n) for n in names],
    }
    prints = [state.sketches[n].fingerprints for n in sketched]
    empty = np.zeros((0, 2 * settings.bands), dtype=np.uint32)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        bands=np.stack([state.sketches[n].bands for n in sketched]) if sketched else empty,
        prints=np.concatenate(prints) if prints else np.zeros(0, dtype=np.uint32),
        offsets=np.cumsum([0] + [len(p) for p in prints]),
    )
    write_atomically(clean / STATE_DIR / INDEX_FILE, buffer.getvalue())


def load_index(clean: Path, settings: NearDupeSettings = DEFAULTS) -> ClusterState:
    """The stored index, or an empty one when there is none, it is unreadable or it was built
    with other settings (its records are then sketched again from their files)."""
    try:
        with np.load(clean / STATE_DIR / INDEX_FILE, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode())
            bands, prints, offsets = data["bands"], data["prints"], data["offsets"]
        if meta["version"] != INDEX_VERSION or meta["settings"] != asdict(settings):
            return ClusterState()
    except (OSError, ValueError, KeyError, TypeError):
        return ClusterState()
    state = ClusterState(order=list(meta["names"]))
    state.sketches = dict.fromkeys(state.order)
    for i, name in enumerate(meta["sketched"]):
        rate, shingles, removed, chars = meta["numbers"][i]
        truncated, dated = meta["flags"][i]
        fingerprints = prints[offsets[i] : offsets[i + 1]]
        sketch = Sketch(bands[i], fingerprints, rate, shingles, truncated, dated, removed, chars)
        state.sketches[name] = sketch
    for a, b in meta["copies"]:
        state.copies.setdefault(a, set()).add(b)
        state.copies.setdefault(b, set()).add(a)
    state.container = {p: (t, j) for p, t, j in meta["container"]}
    state.cluster_of = {n: c for n, c in zip(state.order, meta["cluster_of"], strict=True) if c}
    return state
