"""Which records share LSH band keys: the candidates `cleaners.cluster_graph` compares.

Every record's band keys (`cleaners.near_dupes.Sketch.bands`) go into one sorted array, so the
keys a pending record shares with the rest of the corpus are found for all pending records at
once, in a few numpy passes over the corpus, never record by record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np

from cleaners.near_dupes import Sketch

_OWNER_BITS = 26


def shared_keys(
    names: list[str],
    sketches: Mapping[str, Sketch],
    pending: set[str],
    root_of: Callable[[str], str],
    bands: int,
) -> tuple[dict[int, dict[str, str]], dict[str, tuple[list[int], list[int]]]]:
    """The band keys that a pending record shares with another of `names` (in joining order).

    Returns, for each such key, the first settled record (in joining order) of each group of
    copies holding it, filed under the group's root (`root_of`); and for each pending record
    its shared keys, the whole body's and the head's (`bands` whole-body bands), ascending.
    """
    if not pending or len(names) < 2:
        return {}, {}
    keys, owners = _band_entries(sketches, names)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    lengths = np.diff(np.append(starts, len(keys)))
    is_pending = np.array([n in pending for n in names])
    has_pending = np.add.reduceat(is_pending[owners], starts) > 0
    group_type = np.int32 if len(starts) < 2**31 else np.int64  # half the memory at any real size
    group = np.repeat(np.arange(len(starts), dtype=group_type), lengths)
    shared = ((lengths >= 2) & has_pending)[group]
    mine = is_pending[owners]
    root_ids: dict[str, int] = {}  # each group of copies, by its union-find root, numbered
    group_of = np.array([root_ids.setdefault(root_of(n), len(root_ids)) for n in names])
    settled = np.flatnonzero(shared & ~mine)
    pairs = group[settled].astype(np.int64) * len(names) + group_of[owners[settled]]  # (key, group)
    _, first = np.unique(pairs, return_index=True)
    settled = np.sort(settled[first])  # the first member of each group of copies, per key
    root_names = list(root_ids)
    settled_owners = owners[settled]
    member_names = list(map(names.__getitem__, settled_owners.tolist()))
    member_roots = list(map(root_names.__getitem__, group_of[settled_owners].tolist()))
    reps = {
        key: dict(zip(member_roots[start:end], member_names[start:end], strict=True))
        for key, start, end in _runs(keys[settled])
    }
    wanted = np.flatnonzero(shared & mine)
    is_head = (keys[wanted] >> np.uint64(32)) >= bands
    part = owners[wanted] * 2 + is_head  # each record's whole-body keys, then its head keys
    by_part = np.argsort(part, kind="stable")  # keys stay ascending within a part
    wanted_keys = keys[wanted][by_part].tolist()
    keys_of: dict[str, tuple[list[int], list[int]]] = {}
    for part_number, start, end in _runs(part[by_part]):
        keys_of.setdefault(names[part_number // 2], ([], []))[part_number % 2].extend(wanted_keys[start:end])
    return reps, keys_of


def _runs(values: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(value, start, end) of each run of equal values in a sorted array."""
    if not len(values):
        return
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1]))).tolist()
    yield from zip(values[starts].tolist(), starts, starts[1:] + [len(values)], strict=True)


def _band_entries(sketches: Mapping[str, Sketch], names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every (band key, record) pair of `names`, sorted by key, a key's records in joining order:
    the keys (band number and key) and the records' positions in `names`."""
    # One sortable uint64 per (record, band): band number (6 bits), key (32), record (26 bits:
    # up to 67 million records). Sorting it groups equal keys, their records in joining order.
    bands = np.stack([sketches[n].bands for n in names]).astype(np.uint64)
    packed = bands << np.uint64(_OWNER_BITS)
    packed |= np.arange(bands.shape[1], dtype=np.uint64) << np.uint64(32 + _OWNER_BITS)
    packed |= np.arange(len(names), dtype=np.uint64)[:, None]
    del bands
    packed = np.sort(packed.ravel())
    return packed >> np.uint64(_OWNER_BITS), (packed & np.uint64((1 << _OWNER_BITS) - 1)).astype(np.int64)
